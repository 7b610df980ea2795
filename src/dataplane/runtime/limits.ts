/**
 * What a hostile or broken client may cost a port: how many connections, how long it may take to
 * say what it wants, how much it may send. One place for the numbers, so the accept layer
 * (stream-port.ts) and the HTTP/1.1 server (h1-server.ts) enforce the same ones.
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
   * peeks for the HTTP/2 preface; the HTTP/1.1 server holds every request to it.
   */
  readonly headersTimeoutMs: number
  /** How long an HTTP client has to send a whole request, body included (as node's `requestTimeout`). */
  readonly requestTimeoutMs: number
  /** The most bytes of request line and headers; more answers 431 (RFC 6585 §5). */
  readonly maxHeaderBytes: number
  /** The most bytes of request body; more answers 413 (RFC 9110 §15.5.14). */
  readonly maxBodyBytes: number
  /** How long an HTTP/1.1 keep-alive connection may sit idle between requests (RFC 9112 §9.3). */
  readonly keepAliveTimeoutMs: number
}

export const DEFAULT_LIMITS: Limits = {
  maxConnectionsPerPort: 10_000,
  headersTimeoutMs: 60_000,
  requestTimeoutMs: 300_000,
  maxHeaderBytes: 16 * 1024,
  maxBodyBytes: 1024 * 1024 * 1024,
  keepAliveTimeoutMs: 5000,
}

/** The defaults with `given` laid over them. */
export function resolveLimits(given: Partial<Limits> = {}): Limits {
  const out: Record<string, number> = { ...DEFAULT_LIMITS }
  for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v
  return out as unknown as Limits
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Content Too Large', 417: 'Expectation Failed', 431: 'Request Header Fields Too Large', 501: 'Not Implemented', 505: 'HTTP Version Not Supported' }

/** A complete, bodiless HTTP/1.1 response that closes the connection. */
export function httpRefusal(status: 400 | 408 | 413 | 417 | 431 | 501 | 505): string {
  return `HTTP/1.1 ${status} ${REASONS[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`
}

