import assert from 'node:assert/strict'
import net from 'node:net'
import { Writable } from 'node:stream'
import { describe, test } from 'node:test'
import { holdUntilTurnEnd } from './write-batch.ts'

/** A Writable that records each call to the underlying write: one entry per write or writev. */
function recorder(): { sink: Writable; calls: string[][] } {
  const calls: string[][] = []
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      calls.push([chunk.toString()])
      cb()
    },
    writev(chunks, cb) {
      calls.push(chunks.map((c) => (c.chunk as Buffer).toString()))
      cb()
    },
  })
  return { sink, calls }
}

const turnEnd = () => new Promise((r) => setImmediate(r))

describe('holdUntilTurnEnd', { timeout: 5000 }, () => {
  test('writes of one turn leave together at its end, as one writev', async () => {
    const { sink, calls } = recorder()
    holdUntilTurnEnd(sink)
    sink.write('head')
    holdUntilTurnEnd(sink)
    sink.write('body')
    await Promise.resolve()
    assert.deepEqual(calls, [], 'nothing is written before the turn ends (microtasks included)')
    await turnEnd()
    assert.deepEqual(calls, [['head', 'body']])
  })

  test('sockets held in one turn are all flushed; a socket written without holding is not delayed', async () => {
    const a = recorder()
    const b = recorder()
    const c = recorder()
    holdUntilTurnEnd(a.sink)
    a.sink.write('a')
    holdUntilTurnEnd(b.sink)
    b.sink.write('b')
    c.sink.write('c')
    assert.deepEqual(c.calls, [['c']])
    await turnEnd()
    assert.deepEqual([a.calls, b.calls], [[['a']], [['b']]])
  })

  test('a write held while the turn flushes is sent at the end of the next turn, not lost', async () => {
    const late = recorder()
    const first = new Writable({
      write(_chunk, _enc, cb) {
        // Runs inside the flush: hold another socket now.
        holdUntilTurnEnd(late.sink)
        late.sink.write('late')
        cb()
      },
    })
    holdUntilTurnEnd(first)
    first.write('x')
    await turnEnd()
    assert.deepEqual(late.calls, [])
    await turnEnd()
    assert.deepEqual(late.calls, [['late']])
  })

  test('end() on a held socket sends what was held at once; the later flush is harmless', async () => {
    const { sink, calls } = recorder()
    holdUntilTurnEnd(sink)
    sink.write('last')
    sink.end()
    assert.deepEqual(calls, [['last']])
    await turnEnd()
    assert.equal(sink.writableFinished, true)
  })

  test('on a real socket the peer receives every byte of a held burst', async () => {
    const server = net.createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as net.AddressInfo
    const received = new Promise<string>((resolve) => {
      server.once('connection', (s) => {
        let text = ''
        s.on('data', (d: Buffer) => (text += d.toString()))
        s.on('end', () => resolve(text))
      })
    })
    const client = net.connect(port, '127.0.0.1')
    await new Promise((r) => client.once('connect', r))
    holdUntilTurnEnd(client)
    for (let i = 0; i < 100; i++) client.write(`${i};`)
    await turnEnd()
    client.end()
    assert.equal(await received, Array.from({ length: 100 }, (_, i) => `${i};`).join(''))
    server.close()
  })
})
