import http from 'node:http'
import http2 from 'node:http2'
import type { Duplex } from 'node:stream'
import type { HTTPPortPlan, TLSPortPlan } from '../compile/index.ts'
import { handleRequest, handleUpgrade, type ProxyEnv } from '../proxy/index.ts'
import { clientErrorResponse, httpServerOptions, type Limits } from './limits.ts'

/**
 * The HTTP engines of one port: node's HTTP/1.1 server and HTTP/2 server, neither listening — the
 * port's accept layer hands each connection to one of them (cleartext after peeking for the h2c
 * preface, TLS after the handshake by ALPN). Every request reads the port's plan once, when it
 * arrives, so requests in flight finish on the plan they started with.
 */
export class HTTPServers {
  readonly #h1: http.Server
  readonly #h2: http2.Http2Server
  /** HTTP/1.1 connections and how many requests each has in flight (drain closes idle ones). */
  readonly #sockets = new Map<Duplex, { active: number }>()
  readonly #sessions = new Set<http2.Http2Session>()
  #draining = false

  constructor(env: ProxyEnv, scheme: 'http' | 'https', plan: () => HTTPPortPlan | TLSPortPlan, limits: Limits) {
    const onRequest = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
      const sock = req.httpVersion === '2.0' ? undefined : this.#sockets.get(req.socket)
      if (sock) {
        sock.active++
        res.once('close', () => {
          sock.active--
          if (this.#draining && sock.active === 0) req.socket.destroy()
        })
        if (this.#draining) res.setHeader('connection', 'close')
      }
      handleRequest(env, plan(), scheme, req, res)
    }
    // Every request on a connection, not only the first the accept layer read, gets the same limits.
    this.#h1 = http.createServer({ keepAliveTimeout: 5000, ...httpServerOptions(limits) }, onRequest)
    // node arms its header and request timeouts (slowloris protection) when a server starts
    // listening; this one never listens, so say it did.
    this.#h1.emit('listening')
    this.#h1.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(env, plan(), scheme, req, socket, head))
    this.#h1.on('clientError', (e: Error, socket: Duplex) => {
      // 431 for headers past the limit, 408 for a request too slow, 400 for anything malformed.
      if (socket.writable) socket.end(clientErrorResponse(e))
      else socket.destroy()
    })
    this.#h2 = http2.createServer({}, onRequest)
    this.#h2.on('session', (s: http2.Http2Session) => {
      this.#sessions.add(s)
      s.once('close', () => this.#sessions.delete(s))
      if (this.#draining) s.close()
    })
  }

  /** An HTTP/1.1 connection, plain or TLS, whose first bytes are in its readable buffer. */
  http1(socket: Duplex): void {
    this.#sockets.set(socket, { active: 0 })
    socket.once('close', () => this.#sockets.delete(socket))
    this.#h1.emit('connection', socket)
    // The accept layer left the socket paused with its first bytes put back; let them flow.
    socket.resume()
  }

  /** An HTTP/2 connection (h2c prior knowledge, or TLS with ALPN h2); the session reads what is buffered. */
  http2(socket: Duplex & { allowHalfOpen?: boolean }): void {
    // A peer's FIN ends the session; a half-open socket would outlive it.
    socket.allowHalfOpen = false
    this.#h2.emit('connection', socket)
  }

  /** Stops taking requests: idle HTTP/1.1 connections close now, busy ones after their response, HTTP/2 sessions get GOAWAY (RFC 9113 §6.8). */
  drain(): void {
    this.#draining = true
    for (const [s, st] of this.#sockets) if (st.active === 0) s.destroy()
    for (const s of this.#sessions) s.close()
  }

  /** Closes whatever is left and stops node's timeout checks. */
  close(): void {
    for (const s of this.#sockets.keys()) s.destroy()
    for (const s of this.#sessions) s.destroy()
    this.#h1.close()
    this.#h2.close()
  }
}
