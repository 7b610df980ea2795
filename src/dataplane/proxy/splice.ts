import net from 'node:net'
import type { Duplex } from 'node:stream'
import tls from 'node:tls'

/**
 * One read buffer of an upstream socket: as large as the read buffers node allocates for itself.
 * While writes are left pending, reads go on into the rest of it; below `MIN_READ_BYTES` of room
 * a new one is taken.
 */
const READ_BUFFER_BYTES = 64 * 1024
const MIN_READ_BYTES = 16 * 1024

/**
 * The `onread` option of an upstream socket (`net.connect({ …, onread })`): the backend's bytes
 * are read into a buffer reused across reads and written straight to `sink`, instead of a fresh
 * 64 KiB buffer per read pushed through a Readable and `pipe`. A bulk download then allocates no
 * read buffers while the client keeps up — at hundreds of MiB/s the per-read buffers were what
 * kept V8's major GC busy.
 *
 * Bytes handed to a write that is left pending (the client is slower) must not be overwritten:
 * the next read then goes to the room after them, or to a new buffer when little room is left;
 * once nothing is pending (`writableLength` 0) the whole buffer is free again. So what is held
 * stays close to what is pending (at most a quarter of each buffer unused), and a write that
 * returns false pauses reading until the sink drains: no more than the sink's high-water mark
 * plus one read is ever pending, as with `pipe`.
 */
export function spliceReader(sink: Duplex): net.OnReadOpts & { source: net.Socket | null } {
  let buf = Buffer.allocUnsafe(READ_BUFFER_BYTES)
  // Where the next read goes: all of `buf`, or the room after bytes still pending.
  let room: Buffer = buf
  const reader = {
    source: null as net.Socket | null,
    buffer: () => room,
    callback: (n: number, b: Uint8Array): boolean => {
      if (sink.destroyed) return false
      const ok = sink.write(b.subarray(0, n))
      if (sink.writableLength === 0) room = buf
      else if (room.length - n >= MIN_READ_BYTES) room = room.subarray(n)
      else room = buf = Buffer.allocUnsafe(READ_BUFFER_BYTES)
      if (ok) return true
      const source = reader.source
      if (source) sink.once('drain', () => source.resume())
      return false
    },
  }
  return reader
}

/**
 * Joins a client stream and an upstream socket both ways (TCP, TLS passthrough, TLS terminate).
 *
 * - Backpressure: a side whose reader is slow pauses the other (`pipe` one way, `spliceReader`
 *   the other), so no more than the streams' high-water marks is ever buffered.
 * - Half-close (RFC 9293 §3.6): an end (TCP FIN, or TLS close_notify) from one side ends only the
 *   other side's writing half; the opposite direction keeps flowing until it ends too. Both
 *   sockets must be created with `allowHalfOpen`.
 * - Failure: an error on either side resets the other (an RST where it is a plain TCP socket, so
 *   the peer learns the exchange broke); a side torn down before both directions ended (a drain,
 *   a timeout) takes the other with it.
 *
 * `upstream` was created with `onread: reader` (its bytes go to the client through the reader);
 * without a reader it is piped like the client side. `done` runs once, after both sides have
 * closed, with the first error seen (null if none).
 */
export function splice(client: Duplex, upstream: Duplex, done: (error: Error | null) => void, reader: { source: net.Socket | null } | null = null): void {
  let error: Error | null = null
  let open = 2
  const onError = (other: Duplex) => (e: Error) => {
    error ??= e
    abort(other)
  }
  const onClose = (self: Duplex, other: Duplex) => () => {
    if (!(self.readableEnded && self.writableFinished) && !other.destroyed) abort(other)
    if (--open === 0) done(error)
  }
  client.on('error', onError(upstream))
  upstream.on('error', onError(client))
  client.once('close', onClose(client, upstream))
  upstream.once('close', onClose(upstream, client))
  if (reader && upstream instanceof net.Socket) {
    reader.source = upstream
    // What pipe does on the source's end: end the sink's writing half.
    upstream.once('end', () => client.end())
  } else upstream.pipe(client)
  client.pipe(upstream)
}

/** Resets a TCP socket (RST); other streams (a TLS socket, whose handle is not TCP) are destroyed. */
export function abort(s: Duplex): void {
  if (s instanceof net.Socket && !(s instanceof tls.TLSSocket) && !s.destroyed) s.resetAndDestroy()
  else s.destroy()
}
