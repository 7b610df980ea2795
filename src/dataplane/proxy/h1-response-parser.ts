/**
 * A strict, incremental HTTP/1.1 response parser (RFC 9112) for the upstream client: status line,
 * header fields, and the body framed by Content-Length, chunked transfer coding, or the end of the
 * connection (RFC 9112 §6.3). Hop-by-hop fields (RFC 9110 §7.6.1) are left out of `headers` as
 * they are parsed, so a proxy can forward them as they are. Pure: bytes in, callbacks out; never
 * throws — a malformed message is an `Error` returned by `execute`.
 */

import { FieldNameMemo } from './field-name.ts'
import { isFieldValue } from './field-value.ts'
import { BodyDecoder } from './h1-body.ts'

/** The head of a final (non-1xx) response. */
export interface ResponseHead {
  readonly status: number
  /** End-to-end fields only; names lower-cased; `set-cookie` an array, other repeats joined with `, `. */
  readonly headers: Record<string, string | string[]>
  /** Whether the connection may carry another exchange after this response (RFC 9112 §9.3). */
  readonly keepAlive: boolean
  /**
   * The same end-to-end fields as the backend wrote them, each line ending in CRLF (hop-by-hop
   * lines left out), for an HTTP/1.1 writer to send without serialising `headers` again; null when
   * it cannot be had by cutting lines out (a `Connection` naming other fields).
   */
  readonly raw: string | null
}

export interface ResponseSink {
  onHead(head: ResponseHead): void
  onBody(chunk: Buffer): void
  onEnd(): void
}

/** Hop-by-hop fields, never put in `headers` (RFC 9110 §7.6.1, RFC 9113 §8.2.2). */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'http2-settings'])

const CONTENT_LENGTH = /^\d{1,15}$/
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1')
/** A chunk-size line, read leniently after the size (a backend's extensions are dropped anyway). */
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,12})[\t ]*(;[\t\x20-\x7e\x80-\xff]*)?$/

const HEAD = 0
const BODY = 1
const UNTIL_CLOSE = 2
const DONE = 3

export class ResponseParser {
  readonly #maxHead: number
  readonly #body: BodyDecoder
  readonly #names = new FieldNameMemo()
  #sink: ResponseSink | null = null
  #noBody = false
  #state = DONE
  #pending: Buffer | null = null
  /** Bytes of a complete response's connection that followed it (a misbehaving backend). */
  extra = 0

  constructor(maxHeadBytes = 65536) {
    this.#maxHead = maxHeadBytes
    this.#body = new BodyDecoder({ sizeLine: CHUNK_SIZE, maxLine: 8192, maxExtensions: Infinity, maxTrailers: maxHeadBytes, maxBody: Infinity })
  }

  /** Ready for the response to a request with `method` (HEAD responses carry no body, RFC 9110 §9.3.2). */
  expect(method: string, sink: ResponseSink): void {
    this.#sink = sink
    this.#noBody = method === 'HEAD'
    this.#state = HEAD
    this.#pending = null
    this.extra = 0
  }

  get done(): boolean {
    return this.#state === DONE
  }

  /** Whether the body runs until the connection closes. */
  get untilClose(): boolean {
    return this.#state === UNTIL_CLOSE
  }

  /** Feeds bytes; returns an Error for a malformed response (the connection must then be closed). */
  execute(chunk: Buffer): Error | null {
    let i = 0
    const n = chunk.length
    while (i < n) {
      switch (this.#state) {
        case HEAD: {
          const r = this.#head(chunk, i)
          if (typeof r !== 'number') return r
          i = r
          break
        }
        case BODY: {
          const r = this.#body.execute(chunk, i, this.#sink!)
          if (typeof r !== 'number') return new Error(r.message)
          i = r
          if (this.#body.done) this.#finish()
          break
        }
        case UNTIL_CLOSE:
          this.#sink!.onBody(i === 0 ? chunk : chunk.subarray(i))
          i = n
          break
        default:
          this.extra += n - i
          i = n
      }
    }
    return null
  }

  /** The connection ended: completes a body read until close, else says what was cut short. */
  eof(): Error | null {
    if (this.#state === UNTIL_CLOSE) {
      this.#finish()
      return null
    }
    return this.#state === DONE ? null : new Error(this.#state === HEAD ? 'connection closed before a complete response head' : 'connection closed in the middle of the response body')
  }

  #finish(): void {
    this.#state = DONE
    this.#sink!.onEnd()
  }

  /** Looks for the end of the head from `from`; returns where parsing continues, or an Error. */
  #head(chunk: Buffer, from: number): number | Error {
    let buf = chunk
    let start = from
    let searchFrom = from
    if (this.#pending !== null) {
      const prior = this.#pending.length
      buf = Buffer.concat([this.#pending, chunk.subarray(from)])
      start = 0
      searchFrom = Math.max(0, prior - 3)
    }
    const end = buf.indexOf(HEAD_END, searchFrom)
    if (end === -1) {
      if (buf.length - start > this.#maxHead) return new Error(`response head larger than ${this.#maxHead} bytes`)
      this.#pending = Buffer.from(buf.subarray(start))
      return chunk.length
    }
    if (end - start > this.#maxHead) return new Error(`response head larger than ${this.#maxHead} bytes`)
    const consumed = this.#pending === null ? end + 4 : end + 4 - this.#pending.length + from
    this.#pending = null
    const err = this.#parseHead(buf.toString('latin1', start, end))
    return err ?? consumed
  }

  #parseHead(text: string): Error | null {
    // One latin1 string per head, scanned line by line with indexOf: no split array, no per-line
    // substring, no trim copies — only the name and value strings that end up in `headers`.
    let eol = text.indexOf('\r\n')
    if (eol === -1) eol = text.length
    const status = statusOf(text, eol)
    if (status === 0) return new Error(`malformed status line ${JSON.stringify(text.slice(0, Math.min(eol, 80)))}`)
    const minor = text.charCodeAt(7) === 0x31
    const headers: Record<string, string | string[]> = {}
    let connection = ''
    let te: string | null = null
    let cl: string | null = null
    // The kept lines, as runs of the head's text between the lines left out.
    let raw = ''
    let kept = eol + 2
    for (let pos = eol + 2, line = 0; pos < text.length; line++) {
      let next = text.indexOf('\r\n', pos)
      if (next === -1) next = text.length
      const colon = text.indexOf(':', pos)
      // RFC 9112 §5.2: obs-fold (a line starting with SP/HTAB) is rejected; §2.2: a bare CR or LF is an error.
      if (colon === -1 || colon > next || colon === pos) return new Error(`malformed header line ${JSON.stringify(text.slice(pos, Math.min(next, pos + 80)))}`)
      const name = this.#names.get(text, pos, colon, line)
      if (name === null) return new Error(`invalid header name ${JSON.stringify(text.slice(pos, Math.min(colon, pos + 80)).toLowerCase())}`)
      // OWS around the value is SP / HTAB only (RFC 9110 §5.6.3).
      let vs = colon + 1
      let ve = next
      while (vs < ve && (text.charCodeAt(vs) === 0x20 || text.charCodeAt(vs) === 9)) vs++
      while (ve > vs && (text.charCodeAt(ve - 1) === 0x20 || text.charCodeAt(ve - 1) === 9)) ve--
      if (!isFieldValue(text, vs, ve)) return new Error(`invalid characters in header ${name}`)
      const lineStart = pos
      pos = next + 2
      // Whether the line goes into `raw`: hop-by-hop lines and a repeated Content-Length do not.
      let keep = true
      // The common `Connection: keep-alive` is recognised in place: on HTTP/1.1 it changes nothing.
      if (name === 'connection' && minor && ve - vs === 10 && connection === '' && text.startsWith('keep-alive', vs)) keep = false
      else {
        const value = text.slice(vs, ve)
        switch (name) {
          case 'content-length':
            // RFC 9112 §6.3: differing lengths are unrecoverable.
            if (!CONTENT_LENGTH.test(value) || (cl !== null && cl !== value)) return new Error('invalid or conflicting Content-Length')
            if (cl === null) headers[name] = value
            else keep = false
            cl = value
            break
          case 'set-cookie': {
            const prior = headers[name]
            if (prior === undefined) headers[name] = [value]
            else (prior as string[]).push(value)
            break
          }
          case 'transfer-encoding':
            te = te === null ? value : `${te}, ${value}`
            keep = false
            break
          case 'connection':
            connection = connection === '' ? value : `${connection}, ${value}`
            keep = false
            break
          default:
            if (HOP_BY_HOP.has(name)) keep = false
            else {
              const prior = headers[name]
              headers[name] = prior === undefined ? value : `${prior as string}, ${value}`
            }
        }
      }
      if (!keep) {
        raw += text.slice(kept, lineStart)
        kept = pos
      }
    }
    // The head's text stops before the last line's CRLF.
    if (kept < text.length) raw += `${text.slice(kept)}\r\n`
    if (status < 200) {
      // 1xx interim responses (RFC 9110 §15.2) are read and dropped; 101 is only ever answered to an Upgrade, which this client never sends.
      if (status === 101) return new Error('101 Switching Protocols without an Upgrade request')
      this.#state = HEAD
      return null
    }
    let close = !minor
    let rawOk = true
    if (connection !== '') {
      for (const t of connection.split(',')) {
        const token = t.trim().toLowerCase()
        if (token === 'close') close = true
        else if (token === 'keep-alive' && !minor) close = false
        else if (token !== '' && !HOP_BY_HOP.has(token)) {
          delete headers[token]
          // A field named here is hop-by-hop too; its lines are somewhere in `raw`.
          rawOk = false
        }
      }
    }
    const head = rawOk ? raw : null
    if (this.#noBody || status === 204 || status === 304) {
      this.#sink!.onHead({ status, headers, keepAlive: !close, raw: head })
      this.#finish()
      return null
    }
    if (te !== null) {
      // RFC 9112 §6.1: a message with both is a smuggling attempt or a broken backend; not forwarded.
      if (cl !== null) return new Error('both Transfer-Encoding and Content-Length')
      const codings = te.toLowerCase().split(',')
      if (codings[codings.length - 1]!.trim() === 'chunked') {
        if (codings.length > 1) return new Error(`unsupported transfer coding ${te}`)
        this.#state = BODY
        this.#body.chunked()
        this.#sink!.onHead({ status, headers, keepAlive: !close, raw: head })
        return null
      }
      // §6.3 item 4: a response whose final coding is not chunked runs until the connection closes.
      this.#state = UNTIL_CLOSE
      this.#sink!.onHead({ status, headers, keepAlive: false, raw: head })
      return null
    }
    if (cl !== null) {
      const length = Number(cl)
      this.#sink!.onHead({ status, headers, keepAlive: !close, raw: head })
      if (length === 0) this.#finish()
      else {
        this.#state = BODY
        this.#body.length(length)
      }
      return null
    }
    this.#state = UNTIL_CLOSE
    this.#sink!.onHead({ status, headers, keepAlive: false, raw: head })
    return null
  }
}

/**
 * The status code of a status line `HTTP/1.x NNN[ reason]` ending at `eol` (RFC 9112 §4), or 0 when
 * the line is malformed. The reason phrase is checked, not kept: a proxy sends its own.
 */
function statusOf(text: string, eol: number): number {
  if (eol < 12 || !text.startsWith('HTTP/1.', 0)) return 0
  const minor = text.charCodeAt(7)
  if ((minor !== 0x30 && minor !== 0x31) || text.charCodeAt(8) !== 0x20) return 0
  const a = text.charCodeAt(9) - 0x30
  const b = text.charCodeAt(10) - 0x30
  const c = text.charCodeAt(11) - 0x30
  if (a < 1 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return 0
  if (eol > 12 && (text.charCodeAt(12) !== 0x20 || !isFieldValue(text, 13, eol))) return 0
  return a * 100 + b * 10 + c
}
