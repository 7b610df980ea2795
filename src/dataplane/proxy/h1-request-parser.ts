/**
 * A strict, incremental HTTP/1.1 request parser (RFC 9112) for client connections: request line,
 * header fields, and the body framed by Content-Length or the chunked transfer coding. Requests
 * come from the internet, so every ambiguity a proxy and a backend could read differently
 * (request smuggling) is refused rather than repaired. Pure: bytes in, callbacks out; never throws
 * — a refused request is a `RequestRefusal` (status and reason) returned by `execute`.
 *
 * The parser stops at the end of each message (and after the head of an Upgrade or CONNECT
 * request), so a server answers pipelined requests one at a time and hands the rest on.
 */

import { FieldNameMemo } from './field-name.ts'
import { isFieldValue } from './field-value.ts'
import { BodyDecoder, type BodyError } from './h1-body.ts'
import { HOP_BY_HOP } from './h1-response-parser.ts'
import { FORWARDING_FIELDS } from './headers.ts'

/** A request head, shaped as node's `IncomingMessage` shows it (forward.ts and the router read it so). */
export interface RequestHead {
  readonly method: string
  /** The request target as sent (origin-, absolute-, authority- or asterisk-form). */
  readonly url: string
  readonly httpVersion: '1.0' | '1.1'
  /** Names lower-cased; repeats combined as node does (`set-cookie` an array, `cookie` joined with `; `, some first-wins, the rest joined with `, `). */
  readonly headers: Record<string, string | string[]>
  /** Whether the connection may carry another request after this one (RFC 9112 §9.3). */
  readonly keepAlive: boolean
  /** `Connection: upgrade` with an `Upgrade` field (RFC 9110 §7.8), or CONNECT: the connection leaves HTTP after this head. */
  readonly upgrade: boolean
  /** `Expect: 100-continue` (RFC 9110 §10.1.1) on HTTP/1.1. */
  readonly expectContinue: boolean
  /** An `Expect` this server cannot meet (answered 417). */
  readonly expectFailed: boolean
  /** Whether a body follows (a Content-Length above 0, or chunked). */
  readonly hasBody: boolean
  /**
   * The head as it came, through the last field line's CRLF, when it can be forwarded as it is:
   * HTTP/1.1, no hop-by-hop field (and so no chunked framing), no forwarding field this hop would
   * rewrite, no field given twice (where `headers` keeps one or joins them, the backend must not
   * see something else). Else null. Every line of it passed the checks above.
   */
  readonly raw: string | null
}

export interface RequestSink {
  onHead(head: RequestHead): void
  onBody(chunk: Buffer): void
  onEnd(): void
}

/** Why a request is refused: the status to answer (then the connection closes) and a reason for the log. */
export interface RequestRefusal {
  readonly status: 400 | 413 | 431 | 501 | 505
  readonly reason: string
}

export interface RequestLimits {
  /** Request line and header section, and separately the trailer section; more answers 431 (RFC 6585 §5). */
  readonly maxHeaderBytes: number
  /** Body bytes, declared or counted as chunks arrive; more answers 413 (RFC 9110 §15.5.14). */
  readonly maxBodyBytes: number
}

/**
 * The methods node's llhttp accepts (`http.METHODS`): a fixed list rather than any token (RFC 9110
 * §9.1 allows extension methods), so this parser refuses exactly the methods node's server did.
 */
const METHODS = new Set(['ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE'])

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[\x21-\x7e]*$/
/** authority-form (RFC 9112 §3.2.3): host and port, nothing else. */
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+):\d{1,5}$/
/**
 * chunk = chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1). The BWS §7.1.1 lets a recipient accept
 * around `;` and `=` is refused, as llhttp refuses it: whitespace in framing is where readers differ.
 */
const CHUNK_LINE = /^([0-9A-Fa-f]{1,16})((?:;[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[\t\x20\x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t\x20-\x7e\x80-\xff])*"))?)*)$/
/** node's limit on the chunk extensions of one message (HPE_CHUNK_EXTENSIONS_OVERFLOW). */
const MAX_EXTENSION_BYTES = 16 * 1024

const HEAD = 0
const BODY = 1
/** A message ended; the next `execute` starts the next one. */
const DONE = 2
/** An Upgrade or CONNECT head was read; what follows is not HTTP. */
const LEFT = 3

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1')
/** Fields that keep a head from being forwarded as it came: hop-by-hop ones, and the forwarding fields this hop rewrites (headers.ts `addForwarded`). */
const NOT_AS_IS = new Set([...HOP_BY_HOP, ...FORWARDING_FIELDS])

function refuse(status: RequestRefusal['status'], reason: string): RequestRefusal {
  return { status, reason }
}

/** The status for a body the decoder refused: 413 past a size limit, 431 for trailers, else 400. */
function refusal(e: BodyError, limits: RequestLimits): RequestRefusal {
  switch (e.kind) {
    case 'body':
      return refuse(413, `request body over the limit of ${limits.maxBodyBytes} bytes`)
    case 'line':
    case 'extensions':
      return refuse(413, 'chunk extensions too large')
    case 'trailers':
      return refuse(431, 'trailer section too large')
    case 'malformed':
      return refuse(400, e.message)
  }
}

export class RequestParser {
  readonly #limits: RequestLimits
  readonly #sink: RequestSink
  readonly #body: BodyDecoder
  readonly #names = new FieldNameMemo()
  #state: number = DONE
  /** Bytes of an incomplete head carried across reads: the first `#pendingLength` bytes of `#pending`. */
  #pending: Buffer | null = null
  #pendingLength = 0

  constructor(limits: RequestLimits, sink: RequestSink) {
    this.#limits = limits
    this.#sink = sink
    // node's limit on chunk extensions (HPE_CHUNK_EXTENSIONS_OVERFLOW) also bounds a chunk-size line.
    this.#body = new BodyDecoder({ sizeLine: CHUNK_LINE, maxLine: MAX_EXTENSION_BYTES + 18, maxExtensions: MAX_EXTENSION_BYTES, maxTrailers: limits.maxHeaderBytes, maxBody: limits.maxBodyBytes })
  }

  /** Whether no message is under way (between requests). */
  get idle(): boolean {
    return (this.#state === DONE || this.#state === HEAD) && this.#pendingLength === 0
  }

  /**
   * Parses from `from`; returns the offset where it stopped — the end of `chunk`, the end of a
   * message, or the end of an Upgrade head (the rest of `chunk` then belongs to the new protocol) —
   * or a refusal, after which the connection must be answered and closed.
   */
  execute(chunk: Buffer, from = 0): number | RequestRefusal {
    let i = from
    const n = chunk.length
    if (this.#state === DONE) this.#state = HEAD
    while (i < n) {
      switch (this.#state) {
        case HEAD: {
          const r = this.#head(chunk, i)
          if (typeof r !== 'number') return r
          i = r
          const now: number = this.#state
          if (now === DONE || now === LEFT) return i
          break
        }
        case BODY: {
          const r = this.#body.execute(chunk, i, this.#sink)
          if (typeof r !== 'number') return refusal(r, this.#limits)
          i = r
          if (this.#body.done) return this.#finish(i)
          break
        }
        default:
          // LEFT: the caller hands these bytes to the new protocol.
          return i
      }
    }
    return i
  }

  #finish(at: number): number {
    this.#state = DONE
    this.#sink.onEnd()
    return at
  }

  /** Looks for the end of the head from `from`; returns where parsing continues, or a refusal. */
  #head(chunk: Buffer, from: number): number | RequestRefusal {
    let buf = chunk
    let start = from
    let search = from
    const prior = this.#pendingLength
    if (prior > 0) {
      // The head so far grows in place (doubling), so a head trickled a byte at a time costs
      // linear copying, not quadratic.
      const need = prior + chunk.length - from
      let acc = this.#pending!
      if (acc.length < need) {
        const bigger = Buffer.allocUnsafe(Math.max(need, acc.length * 2))
        acc.copy(bigger, 0, 0, prior)
        this.#pending = acc = bigger
      }
      chunk.copy(acc, prior, from)
      buf = acc.subarray(0, need)
      start = 0
      search = Math.max(0, prior - 3)
    }
    // RFC 9112 §2.2: empty lines before the request line are ignored.
    while (buf[start] === 13 && buf[start + 1] === 10) start += 2
    if (search < start) search = start
    const end = buf.indexOf(CRLFCRLF, search)
    const max = this.#limits.maxHeaderBytes
    if (end === -1) {
      if (buf.length - start > max) return refuse(431, `request head larger than ${max} bytes`)
      // A bare LF is refused as soon as it arrives, not when the head would have ended (RFC 9112 §2.2).
      for (let lf = buf.indexOf(10, Math.max(start, search - 1)); lf !== -1; lf = buf.indexOf(10, lf + 1)) if (lf === start || buf[lf - 1] !== 13) return refuse(400, 'bare LF in the request head')
      const keep = buf.length - start
      if (prior === 0) {
        if (keep > 0) {
          this.#pending = Buffer.allocUnsafe(Math.max(1024, keep * 2))
          buf.copy(this.#pending, 0, start)
        }
      } else if (start > 0) buf.copy(this.#pending!, 0, start)
      this.#pendingLength = keep
      return chunk.length
    }
    if (end + 4 - start > max) return refuse(431, `request head larger than ${max} bytes`)
    this.#pending = null
    this.#pendingLength = 0
    const r = this.#parseHead(buf.toString('latin1', start, end + 2))
    if (r !== null) return r
    return prior === 0 ? end + 4 : from + end + 4 - prior
  }

  /** `text` is the head up to and including the last field line's CRLF. */
  #parseHead(text: string): RequestRefusal | null {
    const eol = text.indexOf('\r\n')
    const sp1 = text.indexOf(' ')
    const sp2 = sp1 === -1 ? -1 : text.indexOf(' ', sp1 + 1)
    if (sp1 <= 0 || sp2 === -1 || sp2 > eol) return refuse(400, 'malformed request line')
    // GET, the usual method, is matched in place and is the internalized constant (cheap to compare later).
    const method = sp1 === 3 && text.startsWith('GET ') ? 'GET' : text.slice(0, sp1)
    if (method !== 'GET' && !METHODS.has(method)) return refuse(400, 'unknown method')
    if (!isTarget(text, sp1 + 1, sp2)) return refuse(400, 'invalid request target')
    const url = text.slice(sp1 + 1, sp2)
    const version = text.slice(sp2 + 1, eol)
    let minor: boolean
    if (version === 'HTTP/1.1') minor = true
    else if (version === 'HTTP/1.0') minor = false
    else return /^HTTP\/\d\.\d$/.test(version) ? refuse(505, `${version} is not supported`) : refuse(400, 'malformed HTTP version')
    // RFC 9112 §3.2: the target's form must fit the method.
    if (method === 'CONNECT') {
      if (!AUTHORITY.test(url)) return refuse(400, 'CONNECT needs an authority-form target')
    } else if (url.charCodeAt(0) !== 0x2f) {
      if (url === '*') {
        if (method !== 'OPTIONS') return refuse(400, 'asterisk-form is only for OPTIONS')
      } else if (!ABSOLUTE.test(url)) return refuse(400, 'invalid request target')
    }
    const headers: Record<string, string | string[]> = {}
    let cl: string | null = null
    let te: string | null = null
    let connection: string | null = null
    let expect: string | null = null
    let hosts = 0
    let upgradeField = false
    // Whether the head can be forwarded as it came (RequestHead.raw).
    let asIs = minor
    for (let pos = eol + 2, line = 0; pos < text.length; line++) {
      const next = text.indexOf('\r\n', pos)
      const colon = text.indexOf(':', pos)
      // RFC 9112 §5.1: no whitespace between name and colon; §5.2: obs-fold (a line starting with SP/HTAB) is refused.
      if (colon === -1 || colon > next || colon === pos) return refuse(400, 'malformed header line')
      const name = this.#names.get(text, pos, colon, line)
      if (name === null) return refuse(400, 'invalid header name')
      let vs = colon + 1
      let ve = next
      while (vs < ve && (text.charCodeAt(vs) === 0x20 || text.charCodeAt(vs) === 9)) vs++
      while (ve > vs && (text.charCodeAt(ve - 1) === 0x20 || text.charCodeAt(ve - 1) === 9)) ve--
      if (!isFieldValue(text, vs, ve)) return refuse(400, `invalid characters in header ${text.slice(pos, colon)}`)
      const value = text.slice(vs, ve)
      pos = next + 2
      switch (name) {
        case 'content-length':
          // RFC 9112 §6.3: a repeated Content-Length is refused even when equal (as llhttp does), so no two readers can differ.
          if (cl !== null || !/^\d{1,15}$/.test(value)) return refuse(400, 'invalid or repeated Content-Length')
          cl = value
          break
        case 'transfer-encoding':
          te = te === null ? value : `${te}, ${value}`
          break
        case 'host':
          // RFC 9112 §3.2: more than one Host is refused.
          if (++hosts > 1) return refuse(400, 'more than one Host')
          break
        case 'connection':
          connection = connection === null ? value : `${connection}, ${value}`
          break
        case 'expect':
          expect = expect === null ? value : `${expect}, ${value}`
          break
        case 'upgrade':
          upgradeField = true
          break
      }
      if (asIs && (NOT_AS_IS.has(name) || headers[name] !== undefined)) asIs = false
      addField(headers, name, value)
    }
    // RFC 9112 §3.2: a client must send Host in every HTTP/1.1 request.
    if (minor && hosts === 0) return refuse(400, 'no Host header')
    // RFC 9112 §9.3: HTTP/1.1 persists unless told `close`; HTTP/1.0 only with `keep-alive`. `close` wins.
    let close = false
    let keepAlive = minor
    let upgrade = method === 'CONNECT'
    // The usual one-token values are compared as they came; splitting a list into trimmed,
    // lower-cased tokens was a third of this function's time when every request said `close`.
    if (connection === 'close') close = true
    else if (connection === 'keep-alive') keepAlive = true
    else if (connection !== null) {
      for (const t of connection.toLowerCase().split(',')) {
        const token = t.trim()
        if (token === 'close') close = true
        else if (token === 'keep-alive') keepAlive = true
        else if (token === 'upgrade' && upgradeField) upgrade = true
      }
    }
    let length = 0
    let chunked = false
    if (te !== null) {
      // RFC 9112 §6.1: Content-Length with Transfer-Encoding is the shape of request smuggling.
      if (cl !== null) return refuse(400, 'both Transfer-Encoding and Content-Length')
      // §6.1: HTTP/1.0 has no transfer codings; its framing cannot be trusted.
      if (!minor) return refuse(400, 'Transfer-Encoding in an HTTP/1.0 request')
      const codings = te.toLowerCase().split(',')
      const last = codings[codings.length - 1]!.trim()
      // §6.1: a final coding other than chunked leaves the length unknown: 400 and close.
      if (last !== 'chunked') return refuse(400, `transfer coding ${JSON.stringify(te)} does not end in chunked`)
      // §6.1: codings this server does not understand answer 501; chunked twice (or an empty or
      // malformed coding) is a malformed field.
      if (codings.length > 1) {
        for (let k = 0; k < codings.length - 1; k++) {
          const c = codings[k]!.trim()
          if (c === 'chunked' || !TOKEN.test(c)) return refuse(400, `malformed Transfer-Encoding ${JSON.stringify(te)}`)
        }
        return refuse(501, `transfer coding ${JSON.stringify(te)} is not supported`)
      }
      chunked = true
    } else if (cl !== null) {
      length = Number(cl)
      if (length > this.#limits.maxBodyBytes) return refuse(413, `request body of ${cl} bytes is over the limit of ${this.#limits.maxBodyBytes}`)
    }
    let expectContinue = false
    let expectFailed = false
    // node's rule: on HTTP/1.1, 100-continue is met; any other expectation answers 417 (RFC 9110 §10.1.1).
    if (expect !== null && minor) {
      if (/(?:^|\W)100-continue(?:$|\W)/i.test(expect)) expectContinue = true
      else expectFailed = true
    }
    const hasBody = chunked || length > 0
    this.#sink.onHead({ method, url, httpVersion: minor ? '1.1' : '1.0', headers, keepAlive: keepAlive && !close, upgrade, expectContinue, expectFailed, hasBody, raw: asIs ? text : null })
    if (upgrade) this.#state = LEFT
    else if (chunked) {
      this.#state = BODY
      this.#body.chunked()
    } else if (length > 0) {
      this.#state = BODY
      this.#body.length(length)
    } else {
      this.#state = DONE
      this.#sink.onEnd()
    }
    return null
  }
}

/** Adds one field as node's `IncomingMessage` does (`_addHeaderLine`), so every reader sees the same thing. */
function addField(h: Record<string, string | string[]>, name: string, value: string): void {
  switch (name) {
    // Fields node keeps the first of (a repeat would be ambiguous).
    case 'content-type':
    case 'content-length':
    case 'user-agent':
    case 'referer':
    case 'host':
    case 'authorization':
    case 'proxy-authorization':
    case 'if-modified-since':
    case 'if-unmodified-since':
    case 'from':
    case 'location':
    case 'max-forwards':
    case 'retry-after':
    case 'etag':
    case 'last-modified':
    case 'server':
    case 'age':
    case 'expires':
      if (h[name] === undefined) h[name] = value
      return
    case 'set-cookie': {
      const prior = h[name]
      if (prior !== undefined) (prior as string[]).push(value)
      else h[name] = [value]
      return
    }
    default: {
      const prior = h[name]
      // RFC 6265 §5.4: cookies are joined with `; `, other lists with `, ` (RFC 9110 §5.3).
      if (typeof prior === 'string') h[name] = prior + (name === 'cookie' ? '; ' : ', ') + value
      else h[name] = value
    }
  }
}

/** The request target `text[start..end)`: visible ASCII only, at least one character (RFC 9112 §3.2, RFC 3986 §2; clients percent-encode the rest). */
function isTarget(text: string, start: number, end: number): boolean {
  if (end <= start) return false
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x21 || c > 0x7e) return false
  }
  return true
}
