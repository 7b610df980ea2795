import net from 'node:net'

/** Called with `n` bytes at the start of the shared buffer, valid only during the call; false stops reading. */
export type SharedReadCallback = (n: number, buf: Buffer) => boolean

/**
 * The keys under which a `net.Socket` keeps its `onread` buffer and callback. Node offers `onread`
 * only to sockets it creates for `net.connect`, not to those a server accepts; these keys let an
 * accepted socket read the same way. They are found by making a socket with `onread` and looking
 * for the values given, so nothing depends on their names; null when this node keeps them
 * elsewhere, and then accepted sockets read through 'data' events as before.
 */
const keys = findKeys()

function findKeys(): { buffer: symbol; callback: symbol } | null {
  const buffer = Buffer.alloc(1)
  const callback = (): boolean => true
  const probe = new net.Socket({ onread: { buffer, callback } })
  let bufferKey: symbol | null = null
  let callbackKey: symbol | null = null
  for (const k of Object.getOwnPropertySymbols(probe)) {
    const v = (probe as unknown as Record<symbol, unknown>)[k]
    if (v === buffer) bufferKey = k
    else if (v === callback) callbackKey = k
  }
  return bufferKey !== null && callbackKey !== null ? { buffer: bufferKey, callback: callbackKey } : null
}

type Handle = { useUserBuffer?: (buf: Buffer) => void }

/**
 * Makes an accepted socket read into `buffer` and call `callback` per read, as `net.connect`'s
 * `onread` option does, instead of allocating a buffer per read and emitting it as 'data'. A TLS
 * socket works the same way: OpenSSL's plaintext comes to the callback.
 *
 * Why: on a client connection of the HTTP/1.1 server every request is one read, and node's
 * default read path costs a 64 KiB allocation shrunk to size, a Buffer object, a `push` into the
 * Readable and a `process.nextTick` per read; the callback costs none of those
 * (docs/performance.md).
 *
 * Bytes already in the socket's readable buffer (a peek's `unshift`) are returned, owned by the
 * caller; a paused socket stays paused. `pause()`, `resume()`, 'end', 'close' and writing work as
 * before. Returns false, changing nothing, when this node does not allow it (see `keys`); the
 * caller reads 'data' then.
 *
 * It cannot be undone: a connection that leaves the callback's owner (an upgrade) gets its reads
 * through `pushReads`.
 */
export function readShared(socket: net.Socket, buffer: Buffer, callback: SharedReadCallback): Buffer | null | false {
  const handle = (socket as unknown as { _handle: Handle | null })._handle
  if (keys === null || handle === null || typeof handle.useUserBuffer !== 'function') return false
  // Taken before switching: read() may restart the handle, whose next read goes to the callback.
  const buffered = socket.readableLength > 0 ? (socket.read() as Buffer) : null
  const s = socket as unknown as Record<symbol, unknown>
  s[keys.buffer] = buffer
  s[keys.callback] = callback
  handle.useUserBuffer(buffer)
  // read() restarts the handle whatever the stream's state; a paused socket must stay paused, and
  // in this mode reads reach the callback paused or not: only a stopped handle holds them back.
  if (socket.isPaused()) socket.pause()
  return buffered
}

/** A shared-read callback for a socket handed to code that reads it as a stream: each read is copied into its Readable, as node's own read path would. */
export function pushReads(socket: net.Socket): SharedReadCallback {
  return (n, buf) => socket.push(Buffer.from(buf.subarray(0, n)))
}

/** Replaces the callback of a socket `readShared` switched. */
export function setSharedReadCallback(socket: net.Socket, callback: SharedReadCallback): void {
  ;(socket as unknown as Record<symbol, unknown>)[keys!.callback] = callback
}
