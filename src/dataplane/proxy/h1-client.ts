import net from 'node:net'
import type { Readable } from 'node:stream'
import type { BodySink } from './exchange.ts'
import { ResponseParser, type ResponseHead, type ResponseSink } from './h1-response-parser.ts'
import { CONNECT_CODES, UpstreamError, type Attempt, type UpstreamBody, type UpstreamRequest, type UpstreamResponse } from './upstream-types.ts'
import { holdUntilTurnEnd } from './write-batch.ts'

/** RFC 9110 §9.2.2: methods whose repetition has the effect of one request. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'])

/**
 * A pooled HTTP/1.1 client on `net.Socket` for one endpoint: one exchange per connection at a time
 * (no pipelining), a connection goes back to the pool only after its whole request was written and
 * its whole response read (RFC 9112 §9.3), LIFO reuse so hot connections stay hot. It replaces
 * `http.request` + Agent, whose per-request objects (ClientRequest, IncomingMessage, the agent's
 * bookkeeping) were most of the proxy's time (docs/performance.md).
 */
export class H1Pool {
  readonly #host: string
  readonly #port: number
  readonly #idle: H1Conn[] = []
  #closed = false

  constructor(host: string, port: number) {
    this.#host = host
    this.#port = port
  }

  send(r: UpstreamRequest, body: Buffer | Readable | null): Attempt {
    const ex = new Exchange(this, r, body)
    ex.start()
    return ex
  }

  /** A pooled connection, or a new one (`reused` tells which). */
  acquire(): H1Conn {
    for (;;) {
      const c = this.#idle.pop()
      if (c === undefined) break
      if (c.usable()) return c
    }
    return new H1Conn(this, this.#host, this.#port)
  }

  release(c: H1Conn): void {
    if (this.#closed || this.#idle.length >= MAX_IDLE) return c.destroy()
    c.idleSince = performance.now()
    this.#idle.push(c)
  }

  forget(c: H1Conn): void {
    const i = this.#idle.indexOf(c)
    if (i !== -1) this.#idle.splice(i, 1)
  }

  /** Closes connections idle for longer than `ms` (a backend's own idle timeout would race a reuse). */
  sweep(ms: number): void {
    const limit = performance.now() - ms
    while (this.#idle.length > 0 && this.#idle[0]!.idleSince < limit) this.#idle.shift()!.destroy()
  }

  get idle(): number {
    return this.#idle.length
  }

  get closed(): boolean {
    return this.#closed
  }

  close(): void {
    this.#closed = true
    for (const c of this.#idle.splice(0)) c.destroy()
  }

  get label(): string {
    return `${this.#host}:${this.#port}`
  }
}

const MAX_IDLE = 256
/**
 * Every backend connection reads into this one buffer (net's `onread` option) instead of getting a
 * freshly allocated buffer per read through the socket's 'data' machinery: 7 % more proxied
 * requests per second (docs/performance.md). Safe because a read is parsed to its end before the
 * next can arrive; whatever outlives the read is copied: an incomplete head (the parser), a body
 * chunk queued before its consumer is attached, or one the consumer keeps (`BodySink.writeBorrowed`).
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024)
/** Response body bytes held for a consumer not yet attached before the backend's socket is paused. */
const QUEUE_LIMIT = 64 * 1024

/** One connection to the backend and the exchange it carries, if any. */
class H1Conn {
  readonly socket: net.Socket
  readonly parser = new ResponseParser()
  readonly #pool: H1Pool
  exchange: Exchange | null = null
  idleSince = 0
  connected = false
  #dead = false

  constructor(pool: H1Pool, host: string, port: number) {
    this.#pool = pool
    // Read into the shared buffer (READ_BUFFER), not through 'data' events.
    const socket = net.connect({ host, port, noDelay: true, onread: { buffer: READ_BUFFER, callback: (n, buf) => this.#read(buf as Buffer, n) } })
    this.socket = socket
    socket.once('connect', () => (this.connected = true))
    socket.on('end', () => {
      const err = this.parser.eof()
      this.#dead = true
      // A reused connection closed before any answer is left to 'close', which may resend the request.
      if (err !== null && this.exchange !== null && !this.exchange.mayResend(this)) this.exchange.fail(new UpstreamError('reset', `${pool.label}: ${err.message}`))
      socket.destroy()
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      this.#dead = true
      if (this.exchange === null) pool.forget(this)
      else this.exchange.closed(this)
    })
  }

  /** `n` bytes arrived at the start of `buf`, the shared read buffer: parsed now, copied where kept. True: read on. */
  #read(buf: Buffer, n: number): boolean {
    const ex = this.exchange
    if (ex === null) {
      this.destroy()
      return false
    }
    const err = this.parser.execute(buf.subarray(0, n))
    if (err !== null) ex.fail(new UpstreamError('reset', `${this.#pool.label}: ${err.message}`))
    else if (this.parser.extra > 0) {
      // Bytes after a complete response: the backend is out of step; the connection is not reused.
      this.#pool.forget(this)
      this.destroy()
    }
    return true
  }

  usable(): boolean {
    return !this.#dead && !this.socket.destroyed
  }

  destroy(e?: Error): void {
    this.#dead = true
    this.socket.destroy(e)
  }

  /** The exchange finished cleanly: back to the pool if both sides allow it. */
  done(reuse: boolean): void {
    this.exchange = null
    if (reuse && this.parser.extra === 0 && this.usable()) this.#pool.release(this)
    else this.destroy()
  }
}

/** One request/response on one connection; the Attempt forward.ts hears from. */
class Exchange implements Attempt, ResponseSink, UpstreamBody {
  readonly #pool: H1Pool
  readonly #req: UpstreamRequest
  readonly #body: Buffer | Readable | null
  #onResponse: ((r: UpstreamResponse) => void) | null = null
  #onFailure: ((e: UpstreamError) => void) | null = null
  /** How the attempt went, kept when it went before `whenDone` was called (a failure inside `start`). */
  #outcome: UpstreamResponse | UpstreamError | null = null
  #conn: H1Conn | null = null
  #head: ResponseHead | null = null
  #gotBytes = false
  #requestDone = false
  #finished = false
  #retried = false
  /** Body bytes read before a consumer was attached, and whether the body already ended. */
  #queue: Buffer[] | null = null
  #ended = false
  #dest: BodySink | null = null
  #onError: ((e: Error) => void) | null = null
  #discard = false
  #waiting = false
  /** Bytes queued before a consumer was attached, and whether that paused the socket. */
  #queued = 0
  #paused = false

  constructor(pool: H1Pool, req: UpstreamRequest, body: Buffer | Readable | null) {
    this.#pool = pool
    this.#req = req
    this.#body = body
  }

  whenDone(onResponse: (r: UpstreamResponse) => void, onError: (e: UpstreamError) => void): void {
    const o = this.#outcome
    if (o === null) {
      this.#onResponse = onResponse
      this.#onFailure = onError
    } else if (o instanceof UpstreamError) onError(o)
    else onResponse(o)
  }

  #settle(o: UpstreamResponse | UpstreamError): void {
    const ok = this.#onResponse
    const fail = this.#onFailure
    this.#onResponse = this.#onFailure = null
    if (ok === null || fail === null) this.#outcome = o
    else if (o instanceof UpstreamError) fail(o)
    else ok(o)
  }

  start(): void {
    const chunked = this.#body !== null && !Buffer.isBuffer(this.#body) && this.#req.headers['content-length'] === undefined
    // A head that came as it is goes out as it came (UpstreamRequest.head; never chunked: it had
    // no Transfer-Encoding). Else it is written field by field.
    const head = (!chunked && this.#req.head) || writeHead(this.#req, chunked)
    const conn = this.#pool.acquire()
    this.#conn = conn
    conn.exchange = this
    conn.parser.expect(this.#req.method, this)
    const s = conn.socket
    // Sent with the turn's other writes (write-batch.ts).
    holdUntilTurnEnd(s, true)
    if (this.#body === null) {
      s.write(head, 'latin1')
      this.#requestDone = true
    } else if (Buffer.isBuffer(this.#body)) {
      s.cork()
      s.write(head, 'latin1')
      s.write(this.#body)
      s.uncork()
      this.#requestDone = true
    } else {
      s.write(head, 'latin1')
      this.#pump(this.#body, s, chunked)
    }
  }

  /** Streams a request body with backpressure both ways, re-framed as chunked when its length is unknown. */
  #pump(src: Readable, s: net.Socket, chunked: boolean): void {
    const conn = this.#conn!
    const onData = (d: Buffer) => {
      if (this.#conn !== conn) return cleanup()
      let ok: boolean
      if (chunked) {
        if (d.length === 0) return
        s.cork()
        s.write(`${d.length.toString(16)}\r\n`, 'latin1')
        s.write(d)
        ok = s.write('\r\n', 'latin1')
        s.uncork()
      } else ok = s.write(d)
      if (!ok && !src.isPaused()) {
        src.pause()
        s.once('drain', () => src.resume())
      }
    }
    const onEnd = () => {
      cleanup()
      if (this.#conn !== conn) return
      if (chunked) s.write('0\r\n\r\n', 'latin1')
      this.#requestDone = true
      this.#maybeDone()
    }
    const onClose = () => {
      // The client went away before its body ended: the backend must not see a truncated request as whole.
      if (!src.readableEnded) this.abort(new UpstreamError('reset', 'client request body aborted'))
      cleanup()
    }
    const cleanup = () => {
      src.off('data', onData)
      src.off('end', onEnd)
      src.off('close', onClose)
      src.off('error', onClose)
    }
    src.on('data', onData)
    src.once('end', onEnd)
    src.once('close', onClose)
    src.once('error', onClose)
    if (src.readableEnded) onEnd()
    else src.resume()
  }

  onHead(head: ResponseHead): void {
    this.#gotBytes = true
    this.#head = head
    this.#queue = []
    this.#settle({ status: head.status, headers: head.headers, raw: head.raw, body: this })
  }

  onBody(chunk: Buffer): void {
    if (this.#dest === null && !this.#discard) {
      // Until forward.ts attaches a consumer, bytes wait here; past QUEUE_LIMIT the socket pauses
      // (backpressure from the start). A small body, the common case, never pauses the socket.
      this.#queue!.push(Buffer.from(chunk))
      this.#queued += chunk.length
      if (this.#queued > QUEUE_LIMIT && !this.#paused) {
        this.#paused = true
        this.#conn!.socket.pause()
      }
      return
    }
    const d = this.#dest
    if (d !== null) {
      // The chunk is a view of READ_BUFFER: a sink that can copy only what it keeps is given it as is.
      const ok = d.writeBorrowed !== undefined ? d.writeBorrowed(chunk) : d.write(Buffer.from(chunk))
      if (!ok && !this.#waiting) {
        const s = this.#conn!.socket
        s.pause()
        this.#waiting = true
        d.once('drain', () => {
          // Not when the exchange ended meanwhile: the socket may carry another exchange by now.
          if (!this.#waiting) return
          this.#waiting = false
          s.resume()
        })
      }
    }
  }

  onEnd(): void {
    this.#ended = true
    if (this.#dest !== null) this.#dest.end()
    this.#maybeDone()
  }

  #maybeDone(): void {
    if (!this.#ended || this.#finished) return
    // A response that ended before its request was fully sent leaves the connection unusable.
    if (!this.#requestDone && this.#body !== null) {
      this.#finished = true
      this.#conn?.done(false)
      return
    }
    if (!this.#requestDone) return
    this.#finished = true
    this.#unpause()
    if (this.#waiting) {
      // The last bytes filled the client's socket and paused this one; the response is complete,
      // so nothing is left to hold back, and a connection paused in the pool would never read
      // the next exchange's response.
      this.#waiting = false
      this.#conn!.socket.resume()
    }
    const conn = this.#conn!
    this.#conn = null
    conn.done(this.#head!.keepAlive)
  }

  // UpstreamBody
  pipe(dest: BodySink, onError: (e: Error) => void): void {
    this.#dest = dest
    this.#onError = onError
    const q = this.#queue ?? []
    this.#queue = null
    for (const c of q) dest.write(c)
    if (this.#ended) dest.end()
    else this.#unpause()
  }

  discard(): void {
    this.#discard = true
    this.#queue = null
    if (!this.#ended) this.#unpause()
  }

  #unpause(): void {
    if (!this.#paused) return
    this.#paused = false
    this.#conn?.socket.resume()
  }

  abort(reason: Error): void {
    if (this.#finished) return
    this.fail(reason instanceof UpstreamError ? reason : new UpstreamError('reset', reason.message, { cause: reason }))
  }

  /** Ends the exchange with an error and closes its connection (it may hold a half-read message). */
  fail(e: UpstreamError): void {
    if (this.#finished) return
    this.#finished = true
    const conn = this.#conn
    this.#conn = null
    if (conn !== null) {
      conn.exchange = null
      conn.destroy()
    }
    if (this.#head === null) this.#settle(e)
    else this.#onError?.(e)
  }

  /**
   * Whether a pooled connection the backend closed just as it was reused may be retried: nothing
   * was answered, the method is idempotent and the body (if any) is held, so the request is sent
   * once more on a new connection (RFC 9110 §9.2.2: a client may repeat an idempotent request when
   * it knows no response was received; a POST is never repeated).
   */
  mayResend(conn: H1Conn): boolean {
    return !this.#gotBytes && !this.#retried && IDEMPOTENT.has(this.#req.method) && !(this.#body !== null && !Buffer.isBuffer(this.#body)) && conn.idleSince !== 0
  }

  /** The socket closed with this exchange on it. */
  closed(conn: H1Conn): void {
    conn.exchange = null
    if (this.#finished || this.#conn !== conn) return
    this.#conn = null
    const connectErr = !conn.connected
    if (!connectErr && this.mayResend(conn)) {
      this.#retried = true
      return this.start()
    }
    const code = (conn.socket.errored as NodeJS.ErrnoException | null)?.code ?? ''
    const kind = connectErr || CONNECT_CODES.has(code) ? 'connect' : 'reset'
    const reason = (conn.socket.errored as Error | null)?.message ?? 'connection closed'
    this.#finished = true
    const e = new UpstreamError(kind, `${this.#pool.label}: ${reason}`)
    if (this.#head === null) this.#settle(e)
    else this.#onError?.(e)
  }
}

/** An HTTP/1.1 request head from `req`'s method, path and headers, through its final CRLF. */
function writeHead(req: UpstreamRequest, chunked: boolean): string {
  let head = `${req.method} ${req.path} HTTP/1.1\r\n`
  // Values are not checked again here: each was checked where it entered (the HTTP/1.1 parser,
  // nghttp2 for HTTP/2, the translator for filter values), and checking every value of every
  // request again cost 3 % of throughput (docs/reliability.md, "Header values").
  const h = req.headers
  for (const name in h) {
    const v = h[name]!
    if (typeof v === 'string') head += `${name}: ${v}\r\n`
    else for (const one of v) head += `${name}: ${one}\r\n`
  }
  if (chunked) head += 'transfer-encoding: chunked\r\n'
  return head + '\r\n'
}
