/**
 * The body of an HTTP/1.1 message framed by Content-Length or the chunked transfer coding
 * (RFC 9112 §6.2, §7.1), decoded incrementally. One decoder for both directions: the request
 * parser (client bytes, with body, extension and trailer limits) and the response parser
 * (backend bytes) differ only in their `ChunkRules`. Pure; never throws.
 */

export interface ChunkRules {
  /** A chunk-size line without its CRLF: group 1 the size in hex, group 2 the chunk extensions. */
  readonly sizeLine: RegExp
  /** The most bytes of one chunk-size line. */
  readonly maxLine: number
  /** The most bytes of chunk extensions in one message. */
  readonly maxExtensions: number
  /** The most bytes of the trailer section. */
  readonly maxTrailers: number
  /** The most body bytes: a chunk announced past it is refused before its data is read. */
  readonly maxBody: number
}

/** What went wrong: the framing is broken, or one of the `ChunkRules` limits was passed. */
export interface BodyError {
  readonly kind: 'malformed' | 'line' | 'extensions' | 'trailers' | 'body'
  readonly message: string
}

export interface BodyTarget {
  onBody(chunk: Buffer): void
}

/** trailer-field (RFC 9112 §7.1.2): a field line; trailers are read and dropped. */
const TRAILER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e\x80-\xff]*$/

const IDLE = 0
const LENGTH = 1
const SIZE = 2
const DATA = 3
const DATA_CRLF = 4
const TRAILERS = 5
const DONE = 6

function problem(kind: BodyError['kind'], message: string): BodyError {
  return { kind, message }
}

export class BodyDecoder {
  readonly #rules: ChunkRules
  #state = IDLE
  #remaining = 0
  #line = ''
  #received = 0
  #extensions = 0
  #trailers = 0

  constructor(rules: ChunkRules) {
    this.#rules = rules
  }

  /** Expects `n` (> 0) bytes of body. */
  length(n: number): void {
    this.#state = LENGTH
    this.#remaining = n
  }

  /** Expects a chunked body. */
  chunked(): void {
    this.#state = SIZE
    this.#line = ''
    this.#received = 0
    this.#extensions = 0
    this.#trailers = 0
  }

  /** Whether the body has ended (then the parser finishes the message). */
  get done(): boolean {
    return this.#state === DONE
  }

  /** Decodes from `i`: body bytes go to `sink`; returns where it stopped (the end of `chunk`, or of the body) or an error. */
  execute(chunk: Buffer, i: number, sink: BodyTarget): number | BodyError {
    const n = chunk.length
    while (i < n) {
      switch (this.#state) {
        case LENGTH: {
          const take = Math.min(this.#remaining, n - i)
          this.#remaining -= take
          sink.onBody(i === 0 && take === n ? chunk : chunk.subarray(i, i + take))
          i += take
          if (this.#remaining === 0) {
            this.#state = DONE
            return i
          }
          break
        }
        case SIZE:
        case TRAILERS: {
          const lf = chunk.indexOf(10, i)
          const end = lf === -1 ? n : lf
          const more = this.#line.length + end - i
          if (this.#state === SIZE ? more > this.#rules.maxLine : this.#trailers + more > this.#rules.maxTrailers) return this.#state === SIZE ? problem('line', 'chunk size line too long') : problem('trailers', 'trailer section too large')
          this.#line += chunk.toString('latin1', i, end)
          i = end
          if (lf === -1) break
          i++
          const line = this.#line
          this.#line = ''
          if (line.charCodeAt(line.length - 1) !== 13) return problem('malformed', 'bare LF in chunked framing')
          const text = line.slice(0, -1)
          if (this.#state === TRAILERS) {
            this.#trailers += line.length + 1
            if (text === '') {
              this.#state = DONE
              return i
            }
            if (!TRAILER.test(text)) return problem('malformed', 'malformed trailer field')
            break
          }
          const m = this.#rules.sizeLine.exec(text)
          if (m === null) return problem('malformed', 'malformed chunk size line')
          this.#extensions += m[2]?.length ?? 0
          if (this.#extensions > this.#rules.maxExtensions) return problem('extensions', 'chunk extensions too large')
          const size = Number.parseInt(m[1]!, 16)
          if (size > this.#rules.maxBody - this.#received) return problem('body', `body over the limit of ${this.#rules.maxBody} bytes`)
          this.#received += size
          this.#remaining = size
          this.#state = size === 0 ? TRAILERS : DATA
          break
        }
        case DATA: {
          const take = Math.min(this.#remaining, n - i)
          this.#remaining -= take
          sink.onBody(chunk.subarray(i, i + take))
          i += take
          if (this.#remaining === 0) {
            this.#state = DATA_CRLF
            this.#line = ''
          }
          break
        }
        case DATA_CRLF: {
          // The CRLF after chunk data (RFC 9112 §7.1), possibly split across reads.
          const want = this.#line === '' ? 13 : 10
          if (chunk[i] !== want) return problem('malformed', 'chunk data not followed by CRLF')
          i++
          if (want === 13) this.#line = '\r'
          else {
            this.#line = ''
            this.#state = SIZE
          }
          break
        }
        default:
          return i
      }
    }
    return i
  }
}
