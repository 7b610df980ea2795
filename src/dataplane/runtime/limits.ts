import type http from 'node:http'

/**
 * What a hostile or broken client may cost a port: how many connections, how long it may take to
 * say what it wants, how much it may send. One place for the numbers, so the accept layer
 * (stream-port.ts) and the HTTP engines (http-servers.ts) enforce the same ones.
 *
 * Defaults follow what common proxies ship with: node's own header and request timeouts
 * (`headersTimeout` 60 s, `requestTimeout` 300 s), node's 16 KiB header limit, and Envoy's
 * default per-listener connection budget order of magnitude.
 */
export interface Limits {
  /**
   * Client connections open at once on one port (HTTP, TLS and TCP ports alike). A connection
   * accepted past the limit is reset at once, before a byte is read; open ones are unaffected.
   */
  readonly maxConnectionsPerPort: number
  /**
   * How long an HTTP client has for a request's headers (RFC 9112 §2.2 leaves it to the server;
   * this is slowloris protection). The cleartext accept layer holds a connection to it while it
   * peeks for the HTTP/2 preface; node's `headersTimeout` holds every request to it.
   */
  readonly headersTimeoutMs: number
  /** How long an HTTP client has to send a whole request, body included (node's `requestTimeout`). */
  readonly requestTimeoutMs: number
  /** The most bytes of request line and headers; more answers 431 (RFC 6585 §5). */
  readonly maxHeaderBytes: number
  /** The most bytes of request body; more answers 413 (RFC 9110 §15.5.14). */
  readonly maxBodyBytes: number
}

export const DEFAULT_LIMITS: Limits = {
  maxConnectionsPerPort: 10_000,
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  maxHeaderBytes: 16 * 1024,
  maxBodyBytes: 1024 * 1024 * 1024,
}

/** The defaults with `given` laid over them. */
export function resolveLimits(given: Partial<Limits> = {}): Limits {
  const out: Record<string, number> = { ...DEFAULT_LIMITS }
  for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v
  return out as unknown as Limits
}

/**
 * The `http.createServer` options that enforce `limits` on HTTP/1.1: header size (node answers
 * `HPE_HEADER_OVERFLOW` as a client error) and the two timeouts. node checks the timeouts every
 * `connectionsCheckingInterval` (30 s by default), so a timeout is enforced within timeout +
 * interval; the interval here is a quarter of the headers timeout, at most one second.
 */
export function httpServerOptions(limits: Limits): http.ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    // node requires requestTimeout >= headersTimeout when both are set.
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
  }
}

/**
 * The raw answer to write for node's `clientError` (a request the parser refused), then close:
 * 431 for headers past the limit (RFC 6585 §5), 413 for a chunk extension past node's limit, 408
 * when the headers or request timeout fired (RFC 9110 §15.5.9), else 400 (RFC 9112 §3: smuggling
 * attempts — conflicting Content-Length and Transfer-Encoding, obs-fold, bare LF — land here).
 */
export function clientErrorResponse(error: Error & { code?: string }): string {
  return httpRefusal(error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW' ? 413 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400)
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Content Too Large', 417: 'Expectation Failed', 431: 'Request Header Fields Too Large', 501: 'Not Implemented', 505: 'HTTP Version Not Supported' }

/** A complete, bodiless HTTP/1.1 response that closes the connection. */
export function httpRefusal(status: 400 | 408 | 413 | 417 | 431 | 501 | 505): string {
  return `HTTP/1.1 ${status} ${REASONS[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`
}

