/**
 * CALIBRATION PEER, NOT A PRODUCT: a deliberately minimal HTTP/1.1 reverse proxy on `net.Socket`
 * on both sides, with no safety checks. It answers one question for the benchmark: how many
 * proxied requests per second can Node itself reach on this machine, per core, when it does
 * almost nothing? Issue 10's survey put this shape at ~0.72× nginx per core; Switchyard's figure is
 * read against it (a ceiling for a Node data plane, not a peer anyone should deploy).
 *
 * What it assumes, because wrk's requests and the nginx backend's responses allow it:
 * - a request is a head up to CRLFCRLF and, unless it is a GET or HEAD, a Content-Length body
 *   buffered whole (no chunked requests, no streaming, no limits);
 * - the request is forwarded byte for byte (no hop-by-hop filtering, no Host rewriting, no
 *   validation of anything) to a pooled keep-alive upstream connection: one exchange in flight
 *   per upstream connection, idle connections reused last-in first-out;
 * - the response is parsed only far enough to find its end (RFC 9112 §6.3: no body for HEAD,
 *   1xx, 204 and 304; else Content-Length; else read until the backend closes). A chunked
 *   response is not supported: both connections are closed.
 * - the backend's bytes are written straight back to the client; pipelined requests wait, unread,
 *   until the response in flight is done.
 * - `Connection: close` from the client (the handshake scenario's): its line is dropped from the
 *   request, so the upstream connection stays pooled, and after the response, which says
 *   `Connection: close` instead of the backend's keep-alive, the client connection is closed — what
 *   any proxy does with that hop-by-hop field, and the least needed to measure new connections.
 *
 * With a certificate and key it terminates TLS (`tls.createServer`) in front of the same code: how
 * many new handshakes per second Node's TLS stack allows a proxy that does nothing else. It
 * chooses the TLS 1.3 suite as Switchyard does (AES-128-GCM first, src/dataplane/runtime/
 * tls-terminate.ts), so the ceiling is not lowered by the client's preference for AES-256.
 *
 * Usage: node bench/node-raw-proxy.ts <listen port> <upstream port> [<cert.pem> <key.pem>]
 */
import { readFileSync } from 'node:fs'
import net from 'node:net'
import tls from 'node:tls'

const [listen, upstreamPort] = process.argv.slice(2, 4).map(Number)
const [certFile, keyFile] = process.argv.slice(4)
if (!listen || !upstreamPort || (certFile !== undefined && keyFile === undefined)) {
  process.stderr.write('usage: node bench/node-raw-proxy.ts <listen port> <upstream port> [<cert.pem> <key.pem>]\n')
  process.exit(2)
}

const HEAD_END = Buffer.from('\r\n\r\n')
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i
const CHUNKED = /\r\ntransfer-encoding:[^\r]*chunked/i
const CONNECTION = /\r\nconnection:[^\r]*/i
const CLOSE = /\r\nconnection:[ \t]*close/i
/** Looked for in the raw bytes first, so a request without the field is never made a string. */
const ONNECTION = Buffer.from('onnection')

interface Client {
  readonly socket: net.Socket
  /** Bytes received and not yet forwarded (the start of the next request). */
  pending: Buffer | null
  /** The upstream connection carrying this client's exchange, while one is in flight. */
  upstream: Upstream | null
  /** The request in flight said `Connection: close`. */
  closing: boolean
}

interface Upstream {
  readonly socket: net.Socket
  client: Client | null
  /** The request in flight was HEAD (its response has no body whatever its head says). */
  head: boolean
  /** Response head bytes received so far (null: head complete, or nothing received yet). */
  partial: Buffer | null
  inBody: boolean
  /** Body bytes still to come (Content-Length framing). */
  remaining: number
  /** No length: the body ends when the backend closes. */
  untilClose: boolean
}

const idle: Upstream[] = []

function connectUpstream(): Upstream {
  const socket = net.connect(upstreamPort!, '127.0.0.1')
  socket.setNoDelay(true)
  const u: Upstream = { socket, client: null, head: false, partial: null, inBody: false, remaining: 0, untilClose: false }
  socket.on('data', (chunk: Buffer) => onUpstreamData(u, chunk))
  socket.on('error', () => {})
  socket.on('close', () => {
    const i = idle.indexOf(u)
    if (i >= 0) idle.splice(i, 1)
    const c = u.client
    u.client = null
    if (!c) return
    c.upstream = null
    if (u.inBody && u.untilClose) c.socket.end()
    else c.socket.destroy()
  })
  return u
}

function onUpstreamData(u: Upstream, chunk: Buffer): void {
  const c = u.client
  if (!c) return void u.socket.destroy() // bytes nobody asked for: the connection cannot be reused
  if (u.inBody) {
    u.remaining -= chunk.length
    forward(u, c, chunk)
    return
  }
  const data = u.partial ? Buffer.concat([u.partial, chunk]) : chunk
  const end = data.indexOf(HEAD_END)
  if (end < 0) return void (u.partial = data)
  u.partial = null
  const head = data.toString('latin1', 0, end + 2)
  const status = Number(head.slice(9, 12))
  u.inBody = true
  u.untilClose = false
  if (u.head || status < 200 || status === 204 || status === 304) u.remaining = 0
  else {
    const length = CONTENT_LENGTH.exec(head)
    if (length) u.remaining = Number(length[1])
    else if (CHUNKED.test(head)) return void u.socket.destroy() // not supported (see above)
    else u.untilClose = true
  }
  u.remaining -= data.length - end - 4
  if (!c.closing) return forward(u, c, data)
  // The client asked to close: say so instead of whatever the backend said about its own hop.
  c.socket.write(`${head.replace(CONNECTION, '')}connection: close\r\n\r\n`, 'latin1')
  forward(u, c, data.subarray(end + 4))
}

/** Write backend bytes to the client (pausing the backend while the client is slow); finish at the end. */
function forward(u: Upstream, c: Client, bytes: Buffer): void {
  if (!c.socket.write(bytes)) {
    u.socket.pause()
    c.socket.once('drain', () => u.socket.resume())
  }
  if (!u.untilClose && u.remaining <= 0) {
    u.client = null
    u.inBody = false
    c.upstream = null
    // Still paused for a slow (or gone) client: reusing it would leave the next exchange unread.
    if (u.socket.isPaused()) u.socket.destroy()
    else idle.push(u)
    if (c.closing) c.socket.end()
    else if (c.pending) nextRequest(c)
  }
}

function nextRequest(c: Client): void {
  const buf = c.pending!
  const end = buf.indexOf(HEAD_END)
  if (end < 0) return
  let total = end + 4
  // GET and HEAD (wrk's requests) carry no body; anything else brings a Content-Length or none.
  const g = buf[0] === 0x47
  const h = buf[0] === 0x48 && buf[1] === 0x45
  if (!g && !h) {
    const length = CONTENT_LENGTH.exec(buf.toString('latin1', 0, end + 2))
    if (length) total += Number(length[1])
  }
  if (buf.length < total) return
  let request = total === buf.length ? buf : buf.subarray(0, total)
  c.pending = total === buf.length ? null : buf.subarray(total)
  const head = buf.subarray(0, end).includes(ONNECTION) ? buf.toString('latin1', 0, end + 2) : ''
  c.closing = CLOSE.test(head)
  if (c.closing) request = Buffer.concat([Buffer.from(`${head.replace(CONNECTION, '')}\r\n`, 'latin1'), request.subarray(end + 4)])
  const u = idle.pop() ?? connectUpstream()
  u.client = c
  u.head = h
  c.upstream = u
  u.socket.write(request)
}

function onConnection(socket: net.Socket): void {
  const c: Client = { socket, pending: null, upstream: null, closing: false }
  socket.on('data', (chunk: Buffer) => {
    c.pending = c.pending ? Buffer.concat([c.pending, chunk]) : chunk
    if (!c.upstream) nextRequest(c)
  })
  socket.on('error', () => {})
  socket.on('close', () => {
    // A client gone mid-exchange leaves a response half read: that upstream cannot be reused.
    const u = c.upstream
    c.upstream = null
    if (u) {
      u.client = null
      u.socket.destroy()
    }
  })
}

const server = certFile === undefined ? net.createServer({ noDelay: true }, onConnection) : tls.createServer({ noDelay: true, cert: readFileSync(certFile), key: readFileSync(keyFile!), honorCipherOrder: true, ciphers: `TLS_AES_128_GCM_SHA256:${tls.DEFAULT_CIPHERS}` }, onConnection)
server.listen(listen, '127.0.0.1')
process.once('SIGTERM', () => process.exit(0))
