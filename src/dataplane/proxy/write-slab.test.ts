import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { reuseSlab, slabRoom } from './write-slab.ts'

// The slab's bookkeeping with Writables whose writes complete when the test says so. That no
// bytes a socket still holds are overwritten through the gateway is tested end to end in
// test/e2e/serve-streaming.test.ts (a client that does not read).

/** A Writable whose writes stay pending until `complete()`. */
function sink(): { w: Writable; complete: () => void } {
  const waiting: (() => void)[] = []
  const w = new Writable({
    write(_chunk, _enc, cb) {
      waiting.push(() => cb())
    },
  })
  return { w, complete: () => waiting.splice(0).forEach((cb) => cb()) }
}

/** Where `b` sits: its memory and offset. */
const at = (b: Buffer) => [b.buffer, b.byteOffset] as const

test('the slab is used again once every socket given room has written it all', () => {
  reuseSlab()
  const a = sink()
  const b = sink()
  const first = slabRoom(a.w, 100)
  a.w.write(first)
  const second = slabRoom(b.w, 100)
  b.w.write(second)
  assert.equal(second.buffer, first.buffer)
  assert.equal(second.byteOffset, first.byteOffset + 100, 'room follows room')

  reuseSlab()
  assert.notDeepEqual(at(slabRoom(a.w, 10)), at(first), 'not while both still hold their bytes')
  a.complete()
  reuseSlab()
  assert.notDeepEqual(at(slabRoom(a.w, 10)), at(first), 'not while one still does')
  b.complete()
  a.complete()
  reuseSlab()
  assert.deepEqual(at(slabRoom(a.w, 10)), at(first), 'from the start once neither does')
})

test('a destroyed socket holds nothing back; a full slab gives way to a new one; a large piece gets its own buffer', () => {
  const a = sink()
  reuseSlab()
  const first = slabRoom(a.w, 10)
  a.w.write(first)
  a.w.destroy()
  reuseSlab()
  const b = sink()
  assert.deepEqual(at(slabRoom(b.w, 10)), at(first))

  const pieces = Array.from({ length: 16 }, () => slabRoom(b.w, 64 * 1024))
  const next = pieces.findIndex((p) => p.buffer !== pieces[0]!.buffer)
  assert.equal(next, 15, 'after 10 bytes, 15 pieces of 64 KiB fit in 1 MiB and the 16th does not')
  assert.equal(pieces[15]!.byteOffset, 0, 'it starts a new slab')

  const large = slabRoom(b.w, 64 * 1024 + 1)
  assert.notEqual(large.buffer, pieces[15]!.buffer)
  assert.equal(large.length, 64 * 1024 + 1)
  b.w.destroy()
  reuseSlab()
})
