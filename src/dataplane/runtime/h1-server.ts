import type { IncomingHttpHeaders } from 'node:http'
import type net from 'node:net'
import { Readable } from 'node:stream'
import type { HTTPPortPlan, TLSPortPlan } from '../compile/index.ts'
import { handleUpgrade, RequestParser, serveRequest, type ProxyEnv, type ProxyRequest, type RequestHead, type RequestRefusal, type RequestSink } from '../proxy/index.ts'
import { H1Response, type ResponseOwner } from './h1-response.ts'
import { httpRefusal, type Limits } from './limits.ts'
import { pushReads, readShared, setSharedReadCallback } from './shared-read.ts'

/**
 * Every client connection of the server, cleartext or TLS, reads into this one buffer
 * (shared-read.ts): 4–8 % more requests per second (docs/performance.md). Safe because a read
 * is parsed to its end before the next can arrive; what outlives it is copied: an incomplete
 * head (the parser), bytes of requests waiting behind the one in flight, body chunks. Its memory
 * is its own (`allocUnsafeSlow`, never node's pool), so a view of it is known by its `buffer`.
 */
const READ_BUFFER = Buffer.allocUnsafeSlow(64 * 1024)

/**
 * The hand-written HTTP/1.1 server of one port, for client connections the accept layer hands
 * over (cleartext, and TLS with ALPN http/1.1 or none). Each connection parses requests strictly
 * (`RequestParser`, RFC 9112) and serves them one at a time through the same routing, filters and
 * forwarding as HTTP/2 (`serveRequest`); pipelined requests wait, unread, until the response
 * before them is written (RFC 9112 §9.3.2). It replaces node's `http.Server` on this path, whose
 * per-request objects dominated the proxy's profile (docs/performance.md).
 *
 * Timeouts are deadlines checked by one timer per port (as node's `connectionsCheckingInterval`),
 * so a request arms no timer of its own: the headers timeout from a request's first byte to the
 * end of its head, the request timeout to the end of its body (both 408), and the keep-alive idle
 * timeout between requests.
 */
export class H1Server {
  readonly env: ProxyEnv
  readonly scheme: 'http' | 'https'
  readonly plan: () => HTTPPortPlan | TLSPortPlan
  readonly limits: Limits
  readonly #conns = new Set<H1Connection>()
  #sweeper: NodeJS.Timeout | null = null
  draining = false

  constructor(env: ProxyEnv, scheme: 'http' | 'https', plan: () => HTTPPortPlan | TLSPortPlan, limits: Limits) {
    this.env = env
    this.scheme = scheme
    this.plan = plan
    this.limits = limits
  }

  /** A connection whose first bytes are in its readable buffer (or on their way). */
  connection(socket: net.Socket): void {
    const c = new H1Connection(this, socket)
    this.#conns.add(c)
    if (this.#sweeper === null) {
      this.#sweeper = setInterval(() => this.#sweep(), Math.max(10, Math.min(1000, Math.floor(this.limits.headersTimeoutMs / 4))))
      this.#sweeper.unref()
    }
    c.start()
  }

  forget(c: H1Connection): void {
    this.#conns.delete(c)
  }

  #sweep(): void {
    const now = performance.now()
    for (const c of this.#conns) c.check(now)
  }

  /** Idle connections close now; busy ones after their response, which says `Connection: close`. */
  drain(): void {
    this.draining = true
    for (const c of this.#conns) c.drain()
  }

  close(): void {
    for (const c of this.#conns) c.destroy()
    this.#conns.clear()
    if (this.#sweeper !== null) clearInterval(this.#sweeper)
    this.#sweeper = null
  }
}

/** A request body as a stream; reading it resumes the connection (backpressure from the backend). */
class RequestBody extends Readable {
  readonly #conn: H1Connection
  constructor(conn: H1Connection) {
    super()
    this.#conn = conn
  }
  override _read(): void {
    this.#conn.bodyWanted()
  }
}

/** One client connection: its parser, the exchange in flight, and bytes of requests waiting behind it. */
class H1Connection implements RequestSink, ResponseOwner {
  readonly #server: H1Server
  readonly #socket: net.Socket
  readonly #parser: RequestParser
  #res: H1Response | null = null
  #body: RequestBody | null = null
  #head: RequestHead | null = null
  /** The current request's message has been read to its end. */
  #messageEnded = false
  /** The current response has been written whole. */
  #responded = false
  /** A message was read whole and its response is not finished: later bytes wait in `#pending`. */
  #waiting = false
  #pending: Buffer | null = null
  /** Reads come through the shared buffer's callback, not 'data' events. */
  #shared = false
  /** The body's reader is behind: the socket is paused until it reads. */
  #bodyFull = false
  #closing = false
  #detached = false
  /** The client half-closed: no request follows what was already read. */
  #peerEnded = false
  headersDeadline = 0
  requestDeadline = 0
  idleDeadline = 0

  constructor(server: H1Server, socket: net.Socket) {
    this.#server = server
    this.#socket = socket
    this.#parser = new RequestParser(server.limits, this)
  }

  start(): void {
    const s = this.#socket
    const first = readShared(s, READ_BUFFER, this.#onRead)
    this.#shared = first !== false
    if (!this.#shared) s.on('data', this.#onData)
    s.on('end', this.#onEnd)
    s.on('error', this.#onError)
    s.on('close', this.#onClose)
    s.on('drain', this.#onDrain)
    // The accept layer left the socket paused with its first bytes put back; let them flow.
    s.resume()
    if (first) this.#onData(first)
  }

  readonly #onRead = (n: number, buf: Buffer): boolean => {
    this.#onData(buf.subarray(0, n))
    return true
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#closing) return
    if (this.#waiting) {
      this.#pending = this.#pending === null ? this.#keep(chunk) : Buffer.concat([this.#pending, chunk])
      this.#socket.pause()
      return
    }
    this.#feed(chunk)
  }

  /** `b` itself, or a copy when it is a view of the shared read buffer (valid only during its read). */
  #keep(b: Buffer): Buffer {
    return b.buffer === READ_BUFFER.buffer ? Buffer.from(b) : b
  }

  /** Parses `buf` until it is used up, a message ends with its response still pending, or the connection leaves HTTP. */
  #feed(buf: Buffer): void {
    let i = 0
    while (i < buf.length && !this.#closing) {
      if (this.#waiting) {
        this.#pending = this.#keep(i === 0 ? buf : buf.subarray(i))
        this.#socket.pause()
        return
      }
      if (this.headersDeadline === 0 && this.#head === null) {
        // The first byte of a request starts its clocks.
        const now = performance.now()
        this.idleDeadline = 0
        this.headersDeadline = now + this.#server.limits.headersTimeoutMs
        this.requestDeadline = now + this.#server.limits.requestTimeoutMs
      }
      const r = this.#parser.execute(buf, i)
      if (typeof r !== 'number') return this.#refuse(r)
      i = r
      if (this.#head !== null && this.#head.upgrade && !this.#closing) return this.#upgrade(this.#head, buf.subarray(i))
    }
  }

  onHead(head: RequestHead): void {
    this.headersDeadline = 0
    this.#head = head
    this.#messageEnded = false
    this.#responded = false
    if (head.upgrade) {
      // CONNECT asks for a tunnel, which no route describes (node's server, without a 'connect' listener, dropped it).
      if (head.method === 'CONNECT') this.#refuse({ status: 501, reason: 'CONNECT is not supported' })
      return
    }
    if (head.expectFailed) return this.#refuse({ status: 417, reason: 'expectation failed' })
    const s = this.#socket
    const res = new H1Response(s, this, head.method, head.httpVersion === '1.0', head.keepAlive && !this.#server.draining)
    this.#res = res
    const body = head.hasBody ? new RequestBody(this) : null
    this.#body = body
    // RFC 9110 §10.1.1: the client waits for this before sending the body (node's default).
    if (head.expectContinue && body !== null) s.write('HTTP/1.1 100 Continue\r\n\r\n', 'latin1')
    const req = proxyRequest(head, s)
    serveRequest(this.#server.env, this.#server.plan(), this.#server.scheme, req, body, res)
  }

  onBody(chunk: Buffer): void {
    // A response that finished before the body was read: the rest is read and dropped (as node's `_dump`).
    if (this.#body === null) return
    if (!this.#body.push(this.#keep(chunk)) && !this.#bodyFull) {
      this.#bodyFull = true
      this.#socket.pause()
    }
  }

  bodyWanted(): void {
    if (!this.#bodyFull) return
    this.#bodyFull = false
    if (!this.#waiting && !this.#closing) this.#socket.resume()
  }

  onEnd(): void {
    this.#messageEnded = true
    this.requestDeadline = 0
    if (this.#body !== null) this.#body.push(null)
    this.#body = null
    if (this.#responded) this.#next()
    else this.#waiting = true
  }

  /** The response was written whole. */
  finished(res: H1Response, keepAlive: boolean): void {
    if (res !== this.#res) return
    this.#responded = true
    if (!keepAlive || this.#server.draining) return this.#close()
    if (!this.#messageEnded) {
      // Answered before the body arrived: stop handing it on; the parser reads it to its end.
      if (this.#body !== null) this.#body.destroy()
      this.#body = null
      if (this.#bodyFull) this.bodyWanted()
      return
    }
    this.#next()
    const p = this.#pending
    if (p !== null) {
      // Requests that arrived while this one was served (pipelining).
      this.#pending = null
      this.#feed(p)
    }
    // Then the socket again: it was paused while this response was pending, and what arrived
    // after the bytes kept in `#pending` waits in its buffer, even when `#pending` was already
    // fed by an earlier response (three pipelined requests used to hang on the third).
    if (!this.#waiting && !this.#closing && !this.#bodyFull && this.#socket.isPaused()) this.#socket.resume()
    if (this.#peerEnded && this.#head === null) this.#close()
  }

  /** Between requests. */
  #next(): void {
    this.#res = null
    this.#head = null
    this.#waiting = false
    this.#messageEnded = false
    this.#responded = false
    this.idleDeadline = performance.now() + this.#server.limits.keepAliveTimeoutMs
  }

  /** Answers a request the parser refused (or one too slow) and closes (RFC 9112 §9.6). */
  #refuse(r: { status: RequestRefusal['status'] | 408 | 417; reason: string }): void {
    const raw = httpRefusal(r.status)
    const res = this.#res
    if (res !== null && !res.headersSent) res.refuse(raw, r.status)
    else if (res !== null) return this.destroy()
    else this.#socket.write(raw, 'latin1')
    // A body being forwarded is cut: the backend must not take a truncated request as whole.
    if (this.#body !== null) this.#body.destroy()
    this.#body = null
    this.#close()
  }

  /** Ends the connection once what was written is sent; what the client still sends is read and dropped. */
  #close(): void {
    if (this.#closing) return
    this.#closing = true
    this.#pending = null
    this.idleDeadline = performance.now() + 1000
    this.headersDeadline = 0
    this.requestDeadline = 0
    this.#socket.end()
    this.#socket.resume()
  }

  /** An Upgrade request (WebSocket): the connection leaves this server for the upgrade path (websocket.ts). */
  #upgrade(head: RequestHead, rest: Buffer): void {
    this.#detach()
    const s = this.#socket
    // Bytes after the head wait in the socket until the upgrade path pipes it (as node's server leaves them).
    s.pause()
    // The upgrade path reads the socket as a stream.
    if (this.#shared) setSharedReadCallback(s, pushReads(s))
    const req = proxyRequest(head, s)
    handleUpgrade(this.#server.env, this.#server.plan(), this.#server.scheme, req, s, Buffer.from(rest))
  }

  #detach(): void {
    this.#detached = true
    const s = this.#socket
    s.off('data', this.#onData)
    s.off('end', this.#onEnd)
    s.off('error', this.#onError)
    s.off('close', this.#onClose)
    s.off('drain', this.#onDrain)
    this.#server.forget(this)
  }

  readonly #onDrain = (): void => {
    this.#res?.drained()
  }

  readonly #onEnd = (): void => {
    // The client sent FIN (a half-close): requests already read are still answered, then the
    // connection ends; a request cut short is dropped.
    this.#peerEnded = true
    if (this.#head === null) return this.#close()
    if (!this.#messageEnded) this.#socket.destroy()
  }

  readonly #onError = (): void => {
    this.#socket.destroy()
  }

  readonly #onClose = (): void => {
    this.#closing = true
    this.#server.forget(this)
    if (this.#body !== null) this.#body.destroy()
    this.#body = null
    const res = this.#res
    this.#res = null
    if (res !== null && !res.writableFinished) res.closed()
  }

  /** Called by the port's timer: enforce the deadlines. */
  check(now: number): void {
    if (this.#detached) return
    if (this.headersDeadline !== 0 && now >= this.headersDeadline) this.#refuse({ status: 408, reason: 'headers timeout' })
    else if (this.requestDeadline !== 0 && now >= this.requestDeadline) this.#refuse({ status: 408, reason: 'request timeout' })
    else if (this.idleDeadline !== 0 && now >= this.idleDeadline) this.destroy()
  }

  drain(): void {
    if (this.#res === null && this.#parser.idle) this.destroy()
  }

  destroy(): void {
    this.#socket.destroy()
  }
}

/** What serving reads of a parsed request (`ProxyRequest`, the shape of node's request objects). */
function proxyRequest(head: RequestHead, socket: net.Socket): ProxyRequest {
  return { method: head.method, url: head.url, httpVersion: head.httpVersion, headers: head.headers as IncomingHttpHeaders, socket, rawHead: head.raw }
}
