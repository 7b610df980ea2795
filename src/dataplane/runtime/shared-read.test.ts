import assert from 'node:assert/strict'
import { once } from 'node:events'
import net from 'node:net'
import { test } from 'node:test'
import { until } from '../../../test/e2e/serve-helpers.ts'
import { peek } from './peek.ts'
import { pushReads, readShared, setSharedReadCallback } from './shared-read.ts'

// Accepted sockets switched to one shared read buffer (shared-read.ts), over real sockets on
// loopback. The HTTP/1.1 server's use of it, copies included, is tested end to end in
// test/e2e/serve-h1-server.test.ts (requests kept aside) and serve-streaming.test.ts (uploads).

/**
 * A server whose first connection is peeked for `firstBytes` bytes, as the accept layer does, then
 * switched to the shared buffer; `accepted` gives it, paused, with the bytes the peek put back.
 */
async function server(firstBytes: number): Promise<{ port: number; accepted: Promise<{ s: net.Socket; first: Buffer }>; close: () => Promise<void> }> {
  let take: (a: { s: net.Socket; first: Buffer }) => void = () => {}
  const accepted = new Promise<{ s: net.Socket; first: Buffer }>((r) => (take = r))
  const srv = net.createServer((s) => {
    peek(s, (b) => (b.length >= firstBytes ? true : null), 1 << 20, 5000, (o) => {
      if (o.kind !== 'done') return void s.destroy()
      reads.set(s, [])
      const first = readShared(s, SHARED, (n, buf) => onRead(s, n, buf))
      assert.ok(first instanceof Buffer, 'this node lets accepted sockets read into a shared buffer')
      take({ s, first })
    })
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  return { port: (srv.address() as net.AddressInfo).port, accepted, close: () => new Promise<void>((r) => srv.close(() => r())) }
}

const SHARED = Buffer.alloc(64 * 1024)
const reads = new Map<net.Socket, string[]>()
function onRead(s: net.Socket, n: number, buf: Buffer): boolean {
  assert.ok(buf === SHARED, 'a read comes in the shared buffer')
  reads.get(s)?.push(buf.toString('latin1', 0, n))
  // What the callback was given is valid only during the call.
  buf.fill(0, 0, n)
  return true
}

/** A client connected to a fresh `server`, having sent `hello`; `close` stops all three. */
async function connected(hello: string): Promise<{ c: net.Socket; s: net.Socket; first: Buffer; close: () => Promise<void> }> {
  const srv = await server(hello.length)
  const c = net.connect(srv.port, '127.0.0.1')
  c.write(hello)
  const { s, first } = await srv.accepted
  return {
    c,
    s,
    first,
    close: async () => {
      c.destroy()
      s.destroy()
      await srv.close()
    },
  }
}

test('the bytes a peek put back are returned; later reads come to the callback in the shared buffer; end and close follow a FIN', async () => {
  const { c, s, first, close } = await connected('hello')
  try {
    assert.equal(first.toString('latin1'), 'hello')
    s.resume()
    c.write('world')
    await until(() => reads.get(s)!.join('') === 'world')
    const ended = once(s, 'end')
    const closedNow = once(s, 'close')
    c.end()
    await ended
    s.end()
    await closedNow
    assert.equal(reads.get(s)!.join(''), 'world')
  } finally {
    await close()
  }
})

test('pause() stops the reads, resume() brings what the client sent meanwhile, all of it', async () => {
  // Paused from the start: nothing may come to the callback until resume().
  const { c, s, close } = await connected('x')
  try {
    // More than loopback's socket buffers hold, so the client is held back while nobody reads.
    const big = Buffer.alloc(32 * 1024 * 1024, 'a')
    let flushed = false
    c.write(big, () => (flushed = true))
    // The client's bytes stop moving once the kernel's buffers are full; nothing was read meanwhile.
    let last = -1
    await until(() => {
      const now = c.writableLength
      const still = now === last
      last = now
      return still && now > 0
    })
    assert.equal(flushed, false)
    assert.equal(reads.get(s)!.length, 0, 'nothing read while paused')
    s.resume()
    await until(() => flushed)
    await until(() => reads.get(s)!.reduce((n, r) => n + r.length, 0) === big.length)
    assert.ok(reads.get(s)!.every((r) => /^a+$/.test(r)))
  } finally {
    await close()
  }
})

test('after pushReads, the socket reads as a stream, every read copied before the shared buffer is reused', async () => {
  const { c, s, close } = await connected('x')
  try {
    setSharedReadCallback(s, (n, buf) => {
      const ok = pushReads(s)(n, buf)
      buf.fill(0, 0, n)
      return ok
    })
    const chunks: Buffer[] = []
    s.on('data', (d: Buffer) => chunks.push(d))
    s.resume()
    const sent: Buffer[] = []
    for (let i = 0; i < 200; i++) {
      const b = Buffer.alloc(1000 + i, 97 + (i % 26))
      sent.push(b)
      c.write(b)
    }
    c.end()
    await once(s, 'end')
    assert.ok(Buffer.concat(chunks).equals(Buffer.concat(sent)))
  } finally {
    await close()
  }
})
