import net from 'node:net'
import type { Duplex } from 'node:stream'
import type tls from 'node:tls'
import type { HTTPPortPlan, TCPPortPlan, TLSListenerPlan, TLSPortPlan } from '../compile/index.ts'
import { certificateForSNI, listenerForSNI, routeForSNI } from '../compile/index.ts'
import { forwardStream, hostNameOf, MAX_CLIENT_HELLO_BYTES, PREFACE_LENGTH, readClientHello, recordRefused, refuseStream, sniffPreface, type ClientHello, type ProxyEnv, type StreamTarget } from '../proxy/index.ts'
import { HTTPServers } from './http-servers.ts'
import { httpRefusal, type Limits } from './limits.ts'
import type { Metrics } from './metrics.ts'
import { peek } from './peek.ts'
import { directTLS, type DirectTLS } from './tls-direct.ts'
import { SecureContexts, terminateTLS, type ChooseBySNI } from './tls-terminate.ts'

export type StreamPortPlan = HTTPPortPlan | TLSPortPlan | TCPPortPlan

/**
 * A fatal `unrecognized_name` alert (RFC 6066 §3, RFC 8446 §6): how a TLS port refuses a
 * ClientHello whose SNI no listener or route serves (gateway-api.md §6 "reject the connection").
 */
const UNRECOGNIZED_NAME = Uint8Array.of(21, 3, 3, 0, 2, 2, 112)

export interface StreamPortOptions {
  /** How long a TLS client has for its ClientHello and the handshake. */
  readonly handshakeTimeoutMs: number
  readonly limits: Limits
}

/**
 * One TCP listening socket (bind address + port) and its current plan, swapped atomically on
 * reload: each connection reads the plan once, when it is accepted, so open connections keep
 * theirs and new ones take the new one. Every connection goes through one accept layer:
 *
 * - `http`: peek for the HTTP/2 preface → the HTTP/2 server (h2c prior knowledge), else HTTP/1.1;
 * - `tls`: peek the ClientHello → the listener by SNI → HTTPS (terminate, then HTTP by ALPN),
 *   TLS Terminate (terminate, then splice plain TCP) or TLS Passthrough (splice the bytes as they
 *   are, ClientHello first), choosing the TLSRoute by SNI; no listener or route → refuse. A port
 *   of HTTPS listeners alike in all but certificate skips the peek: OpenSSL reads the ClientHello
 *   and asks for the certificate by SNI (tls-direct.ts);
 * - `tcp`: splice to the route's backend.
 */
export class StreamPort {
  plan: StreamPortPlan
  readonly kind: StreamPortPlan['kind']
  readonly server: net.Server
  readonly #env: ProxyEnv
  readonly #opts: StreamPortOptions
  /** Every open connection: its accepted socket → the outermost stream over it (a TLS socket once terminated). */
  readonly #conns = new Map<net.Socket, Duplex>()
  readonly #contexts = new SecureContexts()
  #http: HTTPServers | null = null
  #draining = false
  #onIdle: (() => void) | null = null

  constructor(plan: StreamPortPlan, env: ProxyEnv, metrics: Metrics, opts: StreamPortOptions) {
    this.plan = plan
    this.kind = plan.kind
    this.#env = env
    this.#opts = opts
    // allowHalfOpen: a client's FIN must not end the way back (TCP and TLS splices half-close).
    this.server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
      // Past the port's budget: reset before reading a byte, so a flood of idle connections costs
      // one accept each and cannot starve the clients already served.
      if (this.#conns.size >= opts.limits.maxConnectionsPerPort) {
        metrics.connectionRefused()
        return void socket.on('error', () => {}).resetAndDestroy()
      }
      metrics.connectionOpened()
      this.#conns.set(socket, socket)
      socket.once('close', () => {
        this.#conns.delete(socket)
        metrics.connectionClosed()
        if (this.#conns.size === 0) this.#onIdle?.()
      })
      socket.on('error', () => {})
      if (this.#draining) return void socket.destroy()
      this.#accept(socket, this.plan)
    })
  }

  swap(plan: StreamPortPlan): void {
    this.plan = plan
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen({ host, port, exclusive: true }, () => {
        this.server.off('error', reject)
        const a = this.server.address()
        resolve(typeof a === 'object' && a ? a.port : port)
      })
    })
  }

  /**
   * Stops accepting; HTTP connections finish their requests in flight (idle ones close now, HTTP/2
   * gets GOAWAY), TCP and TLS streams keep flowing; after `graceMs`, whatever is left is closed.
   */
  async drain(graceMs: number): Promise<void> {
    this.#draining = true
    this.server.close()
    this.#http?.drain()
    if (this.#conns.size > 0) {
      let timer: NodeJS.Timeout | undefined
      await new Promise<void>((resolve) => {
        this.#onIdle = resolve
        timer = setTimeout(resolve, graceMs)
      })
      clearTimeout(timer)
    }
    for (const s of this.#conns.values()) s.destroy()
    this.#http?.close()
  }

  #accept(socket: net.Socket, plan: StreamPortPlan): void {
    const start = performance.now()
    switch (plan.kind) {
      case 'http':
        // Only as many bytes as tell the HTTP/2 preface from a request line (at most 24); the
        // HTTP/1.1 server bounds every request's head itself, the first included (h1-server.ts).
        // A client that sends nothing within the headers timeout gets 408 here.
        return peek(socket, sniffPreface, PREFACE_LENGTH, this.#opts.limits.headersTimeoutMs, (o) => {
          if (o.kind === 'timeout') return refuseHTTP(socket, 408)
          if (o.kind !== 'done') return void socket.destroy()
          if (o.value === 'h2c') this.#httpServers().http2(socket)
          else this.#httpServers().http1(socket)
        })
      case 'tls': {
        const direct = directTLS(plan)
        if (direct !== null) return this.#terminateDirect(socket, plan, direct, start)
        return peek(socket, clientHello, MAX_CLIENT_HELLO_BYTES, this.#opts.handshakeTimeoutMs, (o) => {
          // Not TLS, broken, too slow or too large: nothing to route, nothing to answer.
          if (o.kind !== 'done' || o.value.kind !== 'ok') return void socket.destroy()
          this.#routeTLS(socket, plan, o.value.sni, start)
        })
      }
      case 'tcp':
        return forwardStream(this.#env, socket, { protocol: 'TCP', listener: plan.listener, route: plan.route, backends: plan.backends, sni: null }, start)
    }
  }

  /** gateway-api.md §4.3, §6: the listener by SNI (most specific; none without SNI but a catch-all), then what it does. */
  #routeTLS(socket: net.Socket, plan: TLSPortPlan, sni: string | null, start: number): void {
    const listener: TLSListenerPlan | null = listenerForSNI(plan, sni)
    if (listener === null) return refuseStream(this.#env, socket, { protocol: 'TLS', listener: null, route: null, backends: null, sni }, sni === null ? 'no SNI and no listener without a hostname' : `no listener serves SNI ${sni}`, UNRECOGNIZED_NAME, start)
    if (listener.kind !== 'tls') {
      // An HTTPS listener (compile puts only HTTPS and TLS listeners on a TLS port).
      const tlsPlan = listener.tls
      if (!tlsPlan) return void socket.destroy()
      this.#terminate(socket, tlsPlan, sni, (secure) => this.#serveHTTPS(secure), () => socket.destroy())
      return
    }
    const protocol = listener.mode === 'passthrough' ? 'TLS passthrough' : 'TLS terminate'
    const route = routeForSNI(listener, sni)
    const target: StreamTarget = { protocol, listener: listener.name, route: route?.name ?? null, backends: route?.backends ?? null, sni }
    if (route === null) return refuseStream(this.#env, socket, target, sni === null ? 'no SNI to choose a TLSRoute by' : `no TLSRoute serves SNI ${sni}`, UNRECOGNIZED_NAME, start)
    if (listener.mode === 'passthrough') return forwardStream(this.#env, socket, target, start)
    // A failed handshake (an old TLS version, a timeout) is logged as a refused connection.
    if (listener.tls) this.#terminate(socket, listener.tls, sni, (secure) => forwardStream(this.#env, secure, target, start), (reason) => recordRefused(this.#env, socket, target, `TLS handshake: ${reason}`, start))
  }

  /** An HTTPS port that needs no peek (tls-direct.ts): the handshake starts now, the certificate chosen by SNI if it varies. */
  #terminateDirect(socket: net.Socket, plan: TLSPortPlan, direct: DirectTLS, start: number): void {
    const bySNI: ChooseBySNI | null = direct.bySNI ? (servername) => this.#contextForSNI(socket, plan, servername, start) : null
    this.#terminate(socket, direct.tls, null, (secure) => this.#serveHTTPS(secure), () => socket.destroy(), bySNI)
  }

  /** A terminated HTTPS connection goes to HTTP/2 or HTTP/1.1 by the protocol ALPN agreed. */
  #serveHTTPS(secure: tls.TLSSocket): void {
    if (secure.alpnProtocol === 'h2') this.#httpServers().http2(secure)
    else this.#httpServers().http1(secure)
  }

  /**
   * OpenSSL's SNI callback on a direct port: the certificate of the listener the name chooses, as
   * `#routeTLS` would choose it; a name no listener serves, or one that is not a DNS host name, is
   * refused with the same alert, written on the TCP socket beneath (OpenSSL has written nothing yet).
   */
  #contextForSNI(socket: net.Socket, plan: TLSPortPlan, servername: string, start: number): tls.SecureContext | null {
    const sni = hostNameOf(servername)
    const chosen = sni === null ? null : (listenerForSNI(plan, sni)?.tls ?? null)
    const cert = chosen === null ? null : certificateForSNI(chosen, sni)
    // The listener's minimum version is the port's (tls-direct.ts): the context it would get peeked.
    if (chosen !== null && cert !== null) return this.#contexts.get(cert, chosen.minVersion)
    const reason = sni === null ? 'the SNI is not a DNS host name (RFC 6066 §3)' : `no listener serves SNI ${sni}`
    refuseStream(this.#env, socket, { protocol: 'TLS', listener: null, route: null, backends: null, sni: sni ?? servername }, reason, UNRECOGNIZED_NAME, start)
    return null
  }

  #terminate(socket: net.Socket, tlsPlan: NonNullable<TLSListenerPlan['tls']>, sni: string | null, then: (secure: tls.TLSSocket) => void, failed: (reason: string) => void, bySNI: ChooseBySNI | null = null): void {
    const secure = terminateTLS(socket, tlsPlan, sni, this.#contexts, this.#opts.handshakeTimeoutMs, then, failed, bySNI)
    // From now on the TLS socket is what drain must close.
    if (secure) this.#conns.set(socket, secure)
    else socket.destroy()
  }

  #httpServers(): HTTPServers {
    return (this.#http ??= new HTTPServers(this.#env, this.kind === 'tls' ? 'https' : 'http', () => this.plan as HTTPPortPlan | TLSPortPlan, this.#opts.limits))
  }
}

/**
 * Answers 408 to a client that did not show within the headers timeout which protocol it speaks
 * (nothing sent, or a stalled prefix of the HTTP/2 preface), and closes. What the client still
 * sends is read and dropped, so closing does not reset the connection before the answer is read
 * (RFC 9112 §9.6); a client that never closes is cut after a second.
 */
function refuseHTTP(socket: net.Socket, status: 408): void {
  socket.on('end', () => socket.destroy())
  socket.resume()
  socket.end(httpRefusal(status))
  setTimeout(() => socket.destroy(), 1000).unref()
}

/** The peek classifier of a TLS port: a final ClientHello answer, or null for more bytes. */
function clientHello(bytes: Buffer): ClientHello | null {
  const r = readClientHello(bytes)
  return r.kind === 'need-more' ? null : r
}
