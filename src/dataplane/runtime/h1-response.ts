import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { holdUntilTurnEnd, slabRoom, type ProxyResponse } from '../proxy/index.ts'

/** What a response tells its connection. */
export interface ResponseOwner {
  /** The response was written whole (`keepAlive`: the connection may carry another request). */
  finished(res: H1Response, keepAlive: boolean): void
}

const statusLines: string[] = []
/** `HTTP/1.1 200 OK` and its CRLF, made once per status code. */
function statusLine(status: number): string {
  return (statusLines[status] ??= `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`)
}

let dateSecond = 0
let dateText = ''
/** The Date field (RFC 9110 §6.6.1), formatted once per second. */
function httpDate(): string {
  const now = Date.now()
  const s = Math.floor(now / 1000)
  if (s !== dateSecond) {
    dateSecond = s
    dateText = new Date(now).toUTCString()
  }
  return dateText
}

/** A body up to this size is joined to the head in one buffer (node's threshold for its own pool). */
const SMALL_BODY = 4 * 1024

/** A copy of `chunk` (a view of a shared read buffer) that lives until `s` has written it (write-slab.ts). */
function copyOf(s: Duplex, chunk: Buffer): Buffer {
  const out = slabRoom(s, chunk.length)
  chunk.copy(out)
  return out
}

/**
 * One HTTP/1.1 response on a client connection, written by hand: the head is kept until the first
 * body bytes (or the end) so that head and a small body leave in one write; the body is framed by
 * the Content-Length the backend gave, else chunked (HTTP/1.1) or by closing the connection
 * (HTTP/1.0, RFC 9112 §6.3). It implements the `ProxyResponse` subset of node's ServerResponse that
 * the proxy uses.
 */
export class H1Response implements ProxyResponse {
  statusCode = 200
  headersSent = false
  writableFinished = false
  destroyed = false
  readonly #socket: Duplex
  readonly #owner: ResponseOwner
  readonly #http10: boolean
  readonly #head: boolean
  #keepAlive: boolean
  #pending: string | null = null
  #chunked = false
  #hasLength = false
  #bodyless = false
  #onClose: (() => void) | null = null
  #onDrain: (() => void) | null = null

  constructor(socket: Duplex, owner: ResponseOwner, method: string, http10: boolean, keepAlive: boolean) {
    this.#socket = socket
    this.#owner = owner
    this.#head = method === 'HEAD'
    this.#http10 = http10
    this.#keepAlive = keepAlive
  }

  setHeader(name: 'connection', value: 'close'): void {
    if (name === 'connection' && value === 'close') this.#keepAlive = false
  }

  writeHead(status: number, headers: Record<string, string | string[] | number>): void {
    if (this.headersSent) return
    let head = statusLine(status)
    for (const name in headers) {
      const v = headers[name]!
      // Not checked again: every value was checked where it entered (docs/reliability.md, "Header values").
      if (typeof v !== 'object') head += `${name}: ${v}\r\n`
      else for (const one of v) head += `${name}: ${one}\r\n`
    }
    this.#started(status, headers, head)
  }

  /** `writeHead` with the fields as the backend wrote them (ProxyResponse.writeHeadRaw). */
  writeHeadRaw(status: number, headers: Record<string, string | string[]>, raw: string): void {
    if (this.headersSent) return
    this.#started(status, headers, statusLine(status) + raw)
  }

  #started(status: number, headers: Record<string, unknown>, head: string): void {
    this.statusCode = status
    this.headersSent = true
    // RFC 9110 §6.6.1: a response forwarded without a Date gets one.
    if (headers.date === undefined) head += `date: ${httpDate()}\r\n`
    // RFC 9110 §6.4.1: 1xx, 204 and 304 have no content; a HEAD response has none either.
    this.#bodyless = this.#head || status === 204 || status === 304 || status < 200
    this.#hasLength = headers['content-length'] !== undefined
    this.#pending = head
  }

  /**
   * Completes the head once the framing is known (RFC 9112 §6.3): the backend's Content-Length;
   * else, when the whole body is at hand (`end` without a prior `write`), its length; else chunked
   * for HTTP/1.1 and the end of the connection for HTTP/1.0.
   */
  #finishHead(whole: number): string {
    let head = this.#pending!
    this.#pending = null
    if (!this.#bodyless && !this.#hasLength) {
      if (whole >= 0) head += `content-length: ${whole}\r\n`
      else if (this.#http10) this.#keepAlive = false
      else {
        this.#chunked = true
        head += 'transfer-encoding: chunked\r\n'
      }
    }
    if (!this.#keepAlive) head += 'connection: close\r\n'
    else if (this.#http10) head += 'connection: keep-alive\r\n'
    return head + '\r\n'
  }

  write(chunk: Buffer): boolean {
    return this.#write(chunk, false)
  }

  /** BodySink.writeBorrowed: `chunk` is valid only during the call; what the socket keeps is copied. */
  writeBorrowed(chunk: Buffer): boolean {
    return this.#write(chunk, true)
  }

  #write(chunk: Buffer, borrowed: boolean): boolean {
    if (this.destroyed || this.writableFinished) return false
    if (!this.headersSent) this.writeHead(this.statusCode, {})
    if (this.#bodyless || chunk.length === 0) return true
    const s = this.#socket
    // Sent with the turn's other writes (write-batch.ts): the socket keeps `chunk` until then.
    holdUntilTurnEnd(s)
    const head = this.#pending === null ? null : this.#finishHead(-1)
    if (head !== null && !this.#chunked && chunk.length <= SMALL_BODY) {
      // Head and a small body in one buffer, one write, one segment; a larger body goes out with
      // the head in one writev instead of being copied.
      const out = slabRoom(s, head.length + chunk.length)
      out.write(head, 0, 'latin1')
      chunk.copy(out, head.length)
      return s.write(out)
    }
    const kept = borrowed ? copyOf(s, chunk) : chunk
    if (this.#chunked) {
      s.cork()
      s.write(head === null ? `${chunk.length.toString(16)}\r\n` : `${head}${chunk.length.toString(16)}\r\n`, 'latin1')
      s.write(kept)
      const ok = s.write('\r\n', 'latin1')
      s.uncork()
      return ok
    }
    if (head === null) return s.write(kept)
    s.cork()
    s.write(head, 'latin1')
    const ok = s.write(kept)
    s.uncork()
    return ok
  }

  end(chunk?: string): void {
    if (this.destroyed || this.writableFinished) return
    if (!this.headersSent) this.writeHead(this.statusCode, {})
    const body = chunk === undefined || this.#bodyless ? 0 : Buffer.byteLength(chunk)
    const head = this.#pending === null ? '' : this.#finishHead(body)
    const tail = this.#chunked ? '0\r\n\r\n' : ''
    // The usual end (a body already written whole with its length) writes nothing, so holds nothing.
    if (body === 0) {
      if (head !== '' || tail !== '') {
        holdUntilTurnEnd(this.#socket)
        this.#socket.write(head + tail, 'latin1')
      }
    } else {
      // The head is latin1 (obs-text values pass through byte for byte), the gateway's own text utf8.
      const s = this.#socket
      holdUntilTurnEnd(s)
      s.cork()
      if (head !== '') s.write(head, 'latin1')
      s.write(this.#chunked ? `${body.toString(16)}\r\n${chunk}\r\n${tail}` : chunk!, 'utf8')
      s.uncork()
    }
    this.writableFinished = true
    this.#emitClose()
    this.#owner.finished(this, this.#keepAlive)
  }

  /** Writes a complete refusal in place of this response (nothing of it was written yet). */
  refuse(raw: string, status: number): void {
    if (this.headersSent || this.destroyed) return
    this.statusCode = status
    this.headersSent = true
    this.#keepAlive = false
    this.#socket.write(raw, 'latin1')
    this.writableFinished = true
    this.#emitClose()
  }

  /** One listener per event is all the proxy uses (forward.ts: one `'close'`; a body waiting on `'drain'`). */
  once(event: 'close' | 'drain', listener: () => void): this {
    if (event === 'close') this.#onClose = listener
    else this.#onDrain = listener
    return this
  }

  /** The socket drained: a paused body may go on. */
  drained(): void {
    const cb = this.#onDrain
    this.#onDrain = null
    cb?.()
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.#socket.destroy()
  }

  /** The connection closed: a response not yet finished ends here. */
  closed(): void {
    this.destroyed = true
    this.#emitClose()
  }

  /** `'close'`, once: after the response was written whole (`writableFinished`), or when the connection went first. */
  #emitClose(): void {
    const cb = this.#onClose
    this.#onClose = null
    cb?.()
  }
}
