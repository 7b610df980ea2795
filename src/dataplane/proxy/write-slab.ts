import type { Writable } from 'node:stream'

/**
 * Room for bytes written to a held socket (write-batch.ts) that the gateway must not hand over by
 * reference: a response body read into a shared read buffer, or a head and a small body joined
 * into one write. Carved from one slab that is used again once every socket given some of it has
 * written it all, instead of a fresh buffer per write.
 *
 * Why: a 16 KiB response copied into a buffer of its own is an ArrayBuffer allocated outside V8's
 * heap per request; at tens of thousands of responses a second those kept V8's major GC marking and
 * sweeping without pause (a sixth of the proxy's CPU, docs/performance.md). Node's own pool
 * (`Buffer.allocUnsafe`) serves only up to 4 KiB and never reuses its slabs.
 *
 * A socket has written what it was given when its `writableLength` is 0: node counts a write until
 * libuv is done with its memory. A destroyed socket writes nothing more. Until every taker is
 * through, the slab is only appended to; when it is full, a new one is taken and the old one is
 * left to the writes still holding it (and then to the GC).
 */
const SLAB_BYTES = 1024 * 1024
/** Larger pieces get a buffer of their own: a few of them would fill the slab. */
const MAX_PIECE = 64 * 1024

let slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
let used = 0
/** Sockets given room in this slab since it was last emptied. */
let takers: Writable[] = []

/** `n` bytes of room for a write to `s`, to be filled and written now; valid until `s` has written them. */
export function slabRoom(s: Writable, n: number): Buffer {
  if (n > MAX_PIECE) return Buffer.allocUnsafe(n)
  if (used + n > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
    used = 0
    takers = []
  }
  const room = slab.subarray(used, used + n)
  used += n
  if (takers.length === 0 || takers[takers.length - 1] !== s) takers.push(s)
  return room
}

/** After a flush: the slab is free again if every socket given room in it has written everything. */
export function reuseSlab(): void {
  if (used === 0) return
  let still = 0
  for (let i = 0; i < takers.length; i++) {
    const s = takers[i]!
    if (s.writableLength > 0 && !s.destroyed) takers[still++] = s
  }
  takers.length = still
  if (still === 0) used = 0
}
