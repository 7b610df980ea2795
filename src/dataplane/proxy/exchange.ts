import type { IncomingHttpHeaders } from 'node:http'

/**
 * What serving a request reads of it: node's `IncomingMessage` and `Http2ServerRequest` have this
 * shape, and so does the hand-written HTTP/1.1 server's request (runtime/h1-server.ts), so one
 * routing/filter/forwarding path serves all three without adapters.
 */
export interface ProxyRequest {
  readonly method?: string | undefined
  /** The request target as sent. */
  readonly url?: string | undefined
  /** `1.0`, `1.1` or `2.0`. */
  readonly httpVersion: string
  /** Names lower-cased, repeats combined as node combines them. */
  readonly headers: IncomingHttpHeaders
  /** The client's connection: its address, and on TLS the SNI (`servername`). */
  readonly socket: { readonly remoteAddress?: string | undefined }
  /** An HTTP/1.1 head that may be forwarded as it came (h1-request-parser.ts `RequestHead.raw`), else null or absent. */
  readonly rawHead?: string | null
}

/**
 * What serving a request does to its response: the subset of node's `ServerResponse` /
 * `Http2ServerResponse` the proxy uses, so those and the hand-written HTTP/1.1 response both fit.
 * `'close'` is emitted once, when the response finished or the connection went away
 * (`writableFinished` tells which); `write` / `'drain'` carry backpressure.
 */
export interface ProxyResponse extends BodySink {
  readonly headersSent: boolean
  readonly destroyed: boolean
  readonly writableFinished: boolean
  readonly statusCode: number
  writeHead(status: number, headers: Record<string, string | string[] | number>): unknown
  /**
   * HTTP/1.1 only: `writeHead` with `raw`, the same fields as the backend wrote them (hop-by-hop
   * lines left out, each line ending in CRLF), sent as they are instead of serialising `headers`.
   */
  writeHeadRaw?(status: number, headers: Record<string, string | string[]>, raw: string): void
  /** Only `connection: close` is ever set (close the connection after this response). */
  setHeader(name: 'connection', value: 'close'): unknown
  end(): unknown
  end(chunk: string): unknown
  once(event: 'close' | 'drain', listener: () => void): unknown
  destroy(): unknown
}

/** Where a backend's response body is written, with backpressure: `write` false means wait for `'drain'`. */
export interface BodySink {
  write(chunk: Buffer): boolean
  /**
   * `write` for a chunk valid only during the call (a view of a reused read buffer): the sink
   * copies whatever it keeps past the call. Optional; without it, callers pass a copy to `write`.
   */
  writeBorrowed?(chunk: Buffer): boolean
  end(): unknown
  once(event: 'drain', listener: () => void): unknown
}
