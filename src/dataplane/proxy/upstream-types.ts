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
  readonly body: UpstreamBody
}

export interface UpstreamRequest {
  readonly method: string
  readonly path: string
  /** End-to-end headers, `host` included. */
  readonly headers: Record<string, string | string[]>
}

/** The request body to send: none, a buffered copy (retries), or the client's stream. */
export type RequestBody = Buffer | Readable | null

/** An attempt in flight: await `response`, `abort` on timeout or when the client goes away. */
export interface Attempt {
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

/** Socket error codes that mean the backend was never reached (a `connect` failure). */
export const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT'])
