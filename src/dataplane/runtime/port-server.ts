import http from 'node:http'
import http2 from 'node:http2'
import type { Socket } from 'node:net'
import tls from 'node:tls'
import type * as ir from '../../ir/index.ts'
import type { PortPlan, TLSPortPlan } from '../compile/index.ts'
import { lookupHost } from '../compile/index.ts'
import { handleRequest, handleUpgrade, type ProxyEnv } from '../proxy/index.ts'
import type { Metrics } from './metrics.ts'

const TLS_ORDER = { 'TLSv1': 0, 'TLSv1.1': 1, 'TLSv1.2': 2, 'TLSv1.3': 3 } as Record<string, number>

/**
 * One listening socket (bind address + port) and its current PortPlan. The plan is swapped
 * atomically (`plan = …`): every request reads it once, when it arrives, so in-flight requests
 * finish on the plan they started with and open connections stay open across reloads.
 */
export class PortServer {
  plan: PortPlan
  readonly kind: PortPlan['kind']
  readonly server: http.Server | http2.Http2SecureServer
  readonly #sockets = new Map<Socket, { active: number }>()
  readonly #sessions = new Set<http2.Http2Session>()
  readonly #contexts = new WeakMap<ir.Certificate, tls.SecureContext>()
  #draining = false

  constructor(plan: PortPlan, env: ProxyEnv, metrics: Metrics) {
    this.plan = plan
    this.kind = plan.kind
    const onRequest = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => {
      const sock = req.httpVersion === '2.0' ? null : this.#sockets.get(req.socket as Socket)
      if (sock) {
        sock.active++
        res.once('close', () => {
          sock.active--
          if (this.#draining && sock.active === 0) (req.socket as Socket).destroy()
        })
      }
      if (this.#draining && req.httpVersion !== '2.0') res.setHeader('connection', 'close')
      handleRequest(env, this.plan, this.kind === 'tls' ? 'https' : 'http', req, res)
    }
    if (plan.kind === 'http') {
      this.server = http.createServer({ keepAliveTimeout: 5000 }, onRequest)
    } else {
      this.server = http2.createSecureServer({
        allowHTTP1: true,
        // Per-listener minimums are checked after the handshake (secureConnection below).
        minVersion: 'TLSv1.2',
        SNICallback: (servername, cb) => {
          const ctx = this.#contextFor(servername.toLowerCase())
          // gateway-api.md §6: an SNI no listener serves → abort the handshake.
          if (ctx) cb(null, ctx)
          else cb(new Error(`no listener serves SNI ${servername}`))
        },
        ...this.#defaultCert(plan),
      }, onRequest)
      this.server.on('secureConnection', (s: tls.TLSSocket) => {
        const p = this.plan as TLSPortPlan
        const l = lookupHost(p.listeners, typeof s.servername === 'string' ? s.servername.toLowerCase() : '')
        const min = l?.tls?.minVersion ?? 'TLSv1.2'
        if ((TLS_ORDER[s.getProtocol() ?? ''] ?? 0) < TLS_ORDER[min]!) s.destroy()
      })
      this.server.on('session', (s: http2.Http2Session) => {
        this.#sessions.add(s)
        s.once('close', () => this.#sessions.delete(s))
        if (this.#draining) s.close()
      })
      this.server.on('tlsClientError', () => {})
    }
    // Track the socket requests arrive on: the TCP socket for HTTP, the TLS socket for HTTPS.
    this.server.on(plan.kind === 'http' ? 'connection' : 'secureConnection', (s: Socket) => {
      this.#sockets.set(s, { active: 0 })
      metrics.connectionOpened()
      s.once('close', () => {
        this.#sockets.delete(s)
        metrics.connectionClosed()
      })
    })
    this.server.on('upgrade', (req: http.IncomingMessage, socket, head: Buffer) => handleUpgrade(env, this.plan, this.kind === 'tls' ? 'https' : 'http', req, socket, head))
    this.server.on('clientError', (_e: Error, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
      else socket.destroy()
    })
  }

  /** Swaps the plan; for TLS, also the certificate served to clients without SNI. */
  swap(plan: PortPlan): void {
    this.plan = plan
    if (plan.kind === 'tls') {
      const d = this.#defaultCert(plan)
      if (d.cert) (this.server as http2.Http2SecureServer).setSecureContext({ ...d, minVersion: 'TLSv1.2' })
    }
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
   * Stops accepting, lets in-flight requests finish, closes idle keep-alive connections at once and
   * HTTP/2 sessions with GOAWAY (RFC 9113 §6.8); after `graceMs` closes whatever is left.
   */
  async drain(graceMs: number): Promise<void> {
    this.#draining = true
    const closed = new Promise<void>((r) => this.server.close(() => r()))
    for (const [s, st] of this.#sockets) if (st.active === 0 && (s as tls.TLSSocket).alpnProtocol !== 'h2') s.destroy()
    for (const s of this.#sessions) s.close()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([closed, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))])
    clearTimeout(timer)
    for (const s of this.#sockets.keys()) s.destroy()
    for (const s of this.#sessions) s.destroy()
    await closed
  }

  #contextFor(sni: string): tls.SecureContext | null {
    const p = this.plan as TLSPortPlan
    const l = lookupHost(p.listeners, sni)
    const cert = l?.tls && (lookupHost(l.tls.certificates, sni) ?? l.tls.certificates.any)
    if (!cert) return null
    let ctx = this.#contexts.get(cert)
    if (!ctx) this.#contexts.set(cert, (ctx = tls.createSecureContext({ cert: cert.certPem, key: cert.keyPem })))
    return ctx
  }

  /** The certificate for clients that send no SNI: the hostname-less listener's, else the first. */
  #defaultCert(plan: PortPlan): { cert?: string; key?: string } {
    if (plan.kind !== 'tls') return {}
    const l = plan.listeners.any ?? plan.listenerList[0]
    const c = l?.tls?.certificates.any
    return c ? { cert: c.certPem, key: c.keyPem } : {}
  }
}
