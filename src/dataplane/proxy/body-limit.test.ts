import assert from 'node:assert/strict'
import { PassThrough, type Readable } from 'node:stream'
import { describe, test } from 'node:test'
import { BodyTooLarge, bufferBody, limitBody } from './body-limit.ts'

/** Everything `r` yields until it ends, or the error it broke off with. */
async function drain(r: Readable): Promise<{ bytes: number; error: Error | null }> {
  let bytes = 0
  try {
    for await (const c of r) bytes += (c as Buffer).length
    return { bytes, error: null }
  } catch (e) {
    return { bytes, error: e as Error }
  }
}

describe('limitBody', { timeout: 5000 }, () => {
  test('a body within the limit passes through whole and onOver is never called', async () => {
    const src = new PassThrough()
    let over = 0
    const out = limitBody(src, 10, () => over++)
    src.write(Buffer.alloc(4))
    src.end(Buffer.alloc(6))
    assert.deepEqual(await drain(out), { bytes: 10, error: null })
    assert.equal(over, 0)
  })

  test('the chunk that crosses the limit is not passed on; onOver is called once and the result breaks off', async () => {
    const src = new PassThrough()
    const calls: number[] = []
    const out = limitBody(src, 10, (n) => calls.push(n))
    src.write(Buffer.alloc(8))
    src.write(Buffer.alloc(3))
    src.write(Buffer.alloc(50))
    const got = await drain(out)
    assert.equal(got.bytes, 8)
    assert.ok(got.error instanceof BodyTooLarge)
    assert.deepEqual(calls, [11])
    assert.equal(src.isPaused(), true, 'the source is left paused, not read further')
  })

  test('a source that breaks off makes the result break off, not end', async () => {
    const src = new PassThrough()
    const out = limitBody(src, 100, () => assert.fail('not over'))
    src.write(Buffer.alloc(5))
    setImmediate(() => src.destroy())
    const got = await drain(out)
    assert.equal(got.bytes, 5)
    assert.ok(got.error !== null)
  })
})

describe('bufferBody', { timeout: 5000 }, () => {
  test('a body that ends within the limit comes back as one Buffer', async () => {
    const src = new PassThrough()
    const p = bufferBody(src, 10)
    src.write('abc')
    src.end('def')
    const got = await p
    assert.ok(Buffer.isBuffer(got))
    assert.equal(got.toString(), 'abcdef')
  })

  test('a longer body comes back as a stream of all of it: what was read, then the rest', async () => {
    const src = new PassThrough()
    const p = bufferBody(src, 4)
    src.write('abc')
    src.write('defg')
    const got = await p
    assert.ok(!Buffer.isBuffer(got))
    src.end('hij')
    const chunks: Buffer[] = []
    for await (const c of got) chunks.push(c as Buffer)
    assert.equal(Buffer.concat(chunks).toString(), 'abcdefghij')
  })

  test('a body that breaks off while being buffered comes back as a stream that breaks off too', async () => {
    const src = new PassThrough()
    const p = bufferBody(src, 100)
    src.write('abc')
    setImmediate(() => src.destroy(new Error('client went away')))
    const got = await p
    assert.ok(!Buffer.isBuffer(got))
    assert.equal((await drain(got)).error?.message, 'client went away')
  })
})
