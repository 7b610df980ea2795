import type net from 'node:net'

/** How reading a connection's first bytes ended. `done` hands the bytes back to the socket. */
export type Peeked<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'timeout' | 'closed' | 'overflow' }

/**
 * The one accept-time "peek" of the data plane: reads a connection's first bytes until `classify`
 * answers (an HTTP/2 preface or not, a ClientHello's SNI), then puts every byte back with
 * `unshift` and leaves the socket paused, so whoever takes the socket next reads the stream from
 * its very first byte — the HTTP/1.1 server, an HTTP/2 session or a TLS socket (the last two read
 * what is buffered), or a splice towards a backend (which replays it).
 *
 * Node cannot peek without reading (no MSG_PEEK), hence read-then-unshift. `limit` bounds the bytes
 * held, `timeoutMs` a client that sends too little; on either, or if the client goes away, the
 * caller gets a non-`done` outcome and decides how to close.
 */
export function peek<T>(socket: net.Socket, classify: (bytes: Buffer) => T | null, limit: number, timeoutMs: number, then: (outcome: Peeked<T>) => void): void {
  let bytes: Buffer | null = null
  const finish = (outcome: Peeked<T>) => {
    clearTimeout(timer)
    socket.off('data', onData)
    socket.off('end', onEnd)
    socket.off('close', onEnd)
    socket.off('error', onEnd)
    if (outcome.kind === 'done') {
      socket.pause()
      socket.unshift(bytes!)
    }
    then(outcome)
  }
  const onData = (chunk: Buffer) => {
    // The first chunk is kept as is; a ClientHello in one segment (the usual case) is never copied.
    bytes = bytes === null ? chunk : Buffer.concat([bytes, chunk])
    const value = classify(bytes)
    if (value !== null) finish({ kind: 'done', value })
    else if (bytes.length >= limit) finish({ kind: 'overflow' })
  }
  const onEnd = () => finish({ kind: 'closed' })
  const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs)
  socket.on('data', onData)
  socket.once('end', onEnd)
  socket.once('close', onEnd)
  socket.once('error', onEnd)
}
