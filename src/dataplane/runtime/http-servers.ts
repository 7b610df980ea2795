import http2 from 'node:http2'
import type net from 'node:net'
import type { Duplex } from 'node:stream'
import type { HTTPPortPlan, TLSPortPlan } from '../compile/index.ts'
import { handleHTTP2Request, type ProxyEnv } from '../proxy/index.ts'
import { H1Server } from './h1-server.ts'
import type { Limits } from './limits.ts'

/**
 * The HTTP engines of one port: the hand-written HTTP/1.1 server (h1-server.ts) and node's HTTP/2
 * server, neither listening — the port's accept layer hands each connection to one of them
 * (cleartext after peeking for the h2c preface, TLS after the handshake by ALPN). Every request
 * reads the port's plan once, when it arrives, so requests in flight finish on the plan they
 * started with.
 */
export class HTTPServers {
  readonly #h1: H1Server
  readonly #h2: http2.Http2Server
  readonly #sessions = new Set<http2.Http2Session>()
  #draining = false

  constructor(env: ProxyEnv, scheme: 'http' | 'https', plan: () => HTTPPortPlan | TLSPortPlan, limits: Limits) {
    this.#h1 = new H1Server(env, scheme, plan, limits)
    this.#h2 = http2.createServer({}, (req, res) => handleHTTP2Request(env, plan(), scheme, req, res))
    this.#h2.on('session', (s: http2.Http2Session) => {
      this.#sessions.add(s)
      s.once('close', () => this.#sessions.delete(s))
      if (this.#draining) s.close()
    })
  }

  /** An HTTP/1.1 connection, plain or TLS, whose first bytes are in its readable buffer. */
  http1(socket: net.Socket): void {
    this.#h1.connection(socket)
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
    this.#h1.drain()
    for (const s of this.#sessions) s.close()
  }

  /** Closes whatever is left. */
  close(): void {
    this.#h1.close()
    for (const s of this.#sessions) s.destroy()
    this.#h2.close()
  }
}
