import net from 'node:net'
import type { Duplex } from 'node:stream'
import tls from 'node:tls'

/**
 * Joins two byte streams both ways (TCP, TLS passthrough, TLS terminate).
 *
 * - Backpressure: `pipe` pauses a side whose reader is slow, so no more than the streams'
 *   high-water marks is ever buffered, however much flows through.
 * - Half-close (RFC 9293 §3.6): an end (TCP FIN, or TLS close_notify) from one side ends only the
 *   other side's writing half; the opposite direction keeps flowing until it ends too. Both
 *   sockets must be created with `allowHalfOpen`.
 * - Failure: an error on either side resets the other (an RST where it is a plain TCP socket, so
 *   the peer learns the exchange broke); a side torn down before both directions ended (a drain,
 *   a timeout) takes the other with it.
 *
 * `done` runs once, after both sides have closed, with the first error seen (null if none).
 */
export function splice(client: Duplex, upstream: Duplex, done: (error: Error | null) => void): void {
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
  upstream.pipe(client)
  client.pipe(upstream)
}

/** Resets a TCP socket (RST); other streams (a TLS socket, whose handle is not TCP) are destroyed. */
export function abort(s: Duplex): void {
  if (s instanceof net.Socket && !(s instanceof tls.TLSSocket) && !s.destroyed) s.resetAndDestroy()
  else s.destroy()
}
