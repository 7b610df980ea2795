import http2 from 'node:http2'
import type { Readable } from 'node:stream'
import type * as ir from '../../ir/index.ts'
import { H1Pool } from './h1-client.ts'
import { responseHeaders } from './headers.ts'
import { CONNECT_CODES, UpstreamError, type Attempt, type RequestBody, type UpstreamBody, type UpstreamRequest, type UpstreamResponse } from './upstream-types.ts'

export { settled, UpstreamError, type Attempt, type RequestBody, type UpstreamBody, type UpstreamRequest, type UpstreamResponse } from './upstream-types.ts'

/** Pooled HTTP/1.1 connections idle this long are closed, before a backend's own idle timeout (node's is 5 s) can race a reuse. */
const IDLE_MS = 4000

/**
 * Upstream connections: an HTTP/1.1 keep-alive pool per endpoint (`h1-client.ts`) and one HTTP/2
 * session per h2c endpoint (RFC 9113 §3.3 prior knowledge), re-opened when it closes.
 */
export class Upstreams {
  readonly #pools = new Map<string, H1Pool>()
  /** The pool of each endpoint object, so a request finds it without building and hashing a key; a reload's new endpoint objects find their pool by key once. */
  readonly #byEndpoint = new WeakMap<ir.Endpoint, H1Pool>()
  readonly #sessions = new Map<string, http2.ClientHttp2Session>()
  #sweeper: NodeJS.Timeout | null = null

  send(ep: ir.Endpoint, protocol: ir.AppProtocol, req: UpstreamRequest, body: RequestBody): Attempt {
    return protocol === 'h2c' ? this.#sendH2c(ep, req, body) : this.#pool(ep).send(req, body)
  }

  #pool(ep: ir.Endpoint): H1Pool {
    const known = this.#byEndpoint.get(ep)
    if (known !== undefined && !known.closed) return known
    const key = `${ep.address}\0${ep.port}`
    let pool = this.#pools.get(key)
    if (pool === undefined) {
      pool = new H1Pool(ep.address, ep.port)
      this.#pools.set(key, pool)
      if (this.#sweeper === null) {
        this.#sweeper = setInterval(() => {
          for (const p of this.#pools.values()) p.sweep(IDLE_MS)
        }, 1000)
        this.#sweeper.unref()
      }
    }
    this.#byEndpoint.set(ep, pool)
    return pool
  }

  #sendH2c(ep: ir.Endpoint, r: UpstreamRequest, body: RequestBody): Attempt {
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
      stream.once('response', (headers) => resolve({ status: Number(headers[':status'] ?? 502), headers: responseHeaders(headers), raw: null, body: streamBody(stream) }))
      stream.once('error', (e: NodeJS.ErrnoException) => reject(e instanceof UpstreamError ? e : new UpstreamError(!connected || CONNECT_CODES.has(e.code ?? '') ? 'connect' : 'reset', `${key}: ${e.message}`, { cause: e })))
      stream.once('close', () => reject(new UpstreamError('reset', `${key}: stream closed before a response`)))
    })
    response.catch(() => {})
    if (body === null) stream.end()
    else if (Buffer.isBuffer(body)) stream.end(body)
    else body.pipe(stream)
    return { whenDone: (ok, fail) => void response.then(ok, fail), abort: (reason) => stream.destroy(reason) }
  }

  /** Closes idle pooled connections and every h2c session. */
  close(): void {
    if (this.#sweeper) clearInterval(this.#sweeper)
    this.#sweeper = null
    for (const p of this.#pools.values()) p.close()
    this.#pools.clear()
    for (const s of this.#sessions.values()) s.close()
    this.#sessions.clear()
  }
}

/** A node Readable as an UpstreamBody. */
function streamBody(r: Readable): UpstreamBody {
  return {
    // By hand rather than Readable.pipe, which needs a full Writable; the sink may be the
    // hand-written HTTP/1.1 response.
    pipe: (dest, onError) => {
      r.once('error', onError)
      r.on('data', (c: Buffer) => {
        if (!dest.write(c)) {
          r.pause()
          dest.once('drain', () => r.resume())
        }
      })
      r.once('end', () => dest.end())
    },
    discard: () => void r.resume(),
    abort: (e) => void r.destroy(e),
  }
}
