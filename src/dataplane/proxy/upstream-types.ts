import type { Readable } from 'node:stream'
import type { BodySink } from './exchange.ts'

/** The body of a backend's response, whatever protocol carried it. */
export interface UpstreamBody {
  /** Streams the rest of the body into `dest` with backpressure and ends it; `onError` if it breaks off. */
  pipe(dest: BodySink, onError: (e: Error) => void): void
  /** Reads and drops the body (a response that will be retried). */
  discard(): void
  /** Stops reading and closes what carries the body. */
  abort(e: Error): void
}

/** What came back from a backend. `headers` are end-to-end only (hop-by-hop already removed) and owned by the caller. */
export interface UpstreamResponse {
  readonly status: number
  readonly headers: Record<string, string | string[]>
  /** The same fields as an HTTP/1.1 backend wrote them (`ResponseHead.raw`), valid while `headers` is unchanged; null otherwise. */
  readonly raw: string | null
  readonly body: UpstreamBody
}

export interface UpstreamRequest {
  readonly method: string
  readonly path: string
  /** End-to-end headers, `host` included. */
  readonly headers: Record<string, string | string[]>
  /**
   * The whole HTTP/1.1 head to send, through its final CRLF, when the client's head goes out as it
   * came (`RequestHead.raw` and this hop's forwarding fields); it says what `method`, `path` and
   * `headers` say. The HTTP/1.1 client sends it instead of writing those field by field.
   */
  readonly head?: string | null
}

/** The request body to send: none, a buffered copy (retries), or the client's stream. */
export type RequestBody = Buffer | Readable | null

/**
 * An attempt in flight: `whenDone` once, right after it is sent, to hear how it went; `abort` on
 * timeout or when the client goes away. Callbacks rather than a promise: the common exchange then
 * answers the client in the same turn the backend's bytes arrive, without a promise, its reactions
 * and a microtask per request (about 2 % of the proxy's time per request).
 */
export interface Attempt {
  /** Calls one of them, once: the response head arrived, or the attempt failed before it did. */
  whenDone(onResponse: (r: UpstreamResponse) => void, onError: (e: UpstreamError) => void): void
  abort(reason: Error): void
}

/** The attempt's outcome as a promise, for the retry loop's `await`. */
export function settled(a: Attempt): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => a.whenDone(resolve, reject))
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

/** Socket error codes that mean the backend was never reached (a `connect` failure). */
export const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT'])
