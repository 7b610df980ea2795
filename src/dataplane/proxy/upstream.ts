import http from 'node:http'
import http2 from 'node:http2'
import type { Readable } from 'node:stream'
import type * as ir from '../../ir/index.ts'

/** What came back from a backend, whatever protocol carried it. */
export interface UpstreamResponse {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: Readable
}

export interface UpstreamRequest {
  readonly method: string
  readonly path: string
  /** End-to-end headers, `host` included. */
  readonly headers: Record<string, string | string[]>
}

/** An attempt in flight: write the body to `body`, await `response`, `abort` on timeout. */
export interface Attempt {
  readonly body: NodeJS.WritableStream
  readonly response: Promise<UpstreamResponse>
  abort(reason: Error): void
}

/**
 * Why an attempt failed, which decides the status: `connect` (nothing reached the backend: 503,
 * as Envoy answers "upstream connect error"), `reset` (the backend broke the exchange: 502),
 * `timeout` (504). Connect failures and timeouts are retryable (gateway-api.md §7 Retry).
 */
export class UpstreamError extends Error {
  readonly kind: 'connect' | 'reset' | 'timeout'
  constructor(kind: 'connect' | 'reset' | 'timeout', message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'UpstreamError'
    this.kind = kind
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT'])

/**
 * Upstream connections: an HTTP/1.1 keep-alive pool per endpoint (node's Agent keys its socket
 * pools by host:port, which is exactly one endpoint) and one HTTP/2 session per h2c endpoint
 * (RFC 9113 §3.3 prior knowledge), re-opened when it closes.
 */
export class Upstreams {
  readonly #agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' })
  readonly #sessions = new Map<string, http2.ClientHttp2Session>()

  send(ep: ir.Endpoint, protocol: ir.AppProtocol, req: UpstreamRequest): Attempt {
    return protocol === 'h2c' ? this.#sendH2c(ep, req) : this.#sendHttp1(ep, req)
  }

  #sendHttp1(ep: ir.Endpoint, r: UpstreamRequest): Attempt {
    const req = http.request({ host: ep.address, port: ep.port, method: r.method, path: r.path, headers: r.headers, agent: this.#agent, setHost: false })
    let gotSocket = false
    req.once('socket', (s) => {
      // A pooled socket is already connected; a new one counts as connected once it says so.
      if (!s.connecting) gotSocket = true
      else s.once('connect', () => (gotSocket = true))
    })
    const response = new Promise<UpstreamResponse>((resolve, reject) => {
      req.once('response', (res) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: res }))
      req.once('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof UpstreamError) reject(e)
        else reject(new UpstreamError(!gotSocket || CONNECT_CODES.has(e.code ?? '') ? 'connect' : 'reset', `${ep.address}:${ep.port}: ${e.message}`, { cause: e }))
      })
    })
    response.catch(() => {})
    return { body: req, response, abort: (reason) => req.destroy(reason) }
  }

  #sendH2c(ep: ir.Endpoint, r: UpstreamRequest): Attempt {
    const key = `${ep.address}:${ep.port}`
    let session = this.#sessions.get(key)
    if (!session || session.closed || session.destroyed) {
      session = http2.connect(`http://${ep.address.includes(':') ? `[${ep.address}]` : ep.address}:${ep.port}`)
      const s = session
      s.on('error', () => {})
      s.once('close', () => this.#sessions.get(key) === s && this.#sessions.delete(key))
      this.#sessions.set(key, s)
    }
    const { host, ...rest } = r.headers
    const stream = session.request({ ...rest, ':method': r.method, ':path': r.path, ':authority': (Array.isArray(host) ? host[0] : host) ?? key, ':scheme': 'http' })
    const connected = !session.connecting
    const response = new Promise<UpstreamResponse>((resolve, reject) => {
      stream.once('response', (headers) => resolve({ status: Number(headers[':status'] ?? 502), headers: headers as http.IncomingHttpHeaders, body: stream }))
      stream.once('error', (e: NodeJS.ErrnoException) => reject(e instanceof UpstreamError ? e : new UpstreamError(!connected || CONNECT_CODES.has(e.code ?? '') ? 'connect' : 'reset', `${key}: ${e.message}`, { cause: e })))
      stream.once('close', () => reject(new UpstreamError('reset', `${key}: stream closed before a response`)))
    })
    response.catch(() => {})
    return { body: stream, response, abort: (reason) => stream.destroy(reason) }
  }

  /** Closes idle pooled connections and every h2c session. */
  close(): void {
    this.#agent.destroy()
    for (const s of this.#sessions.values()) s.close()
    this.#sessions.clear()
  }
}
