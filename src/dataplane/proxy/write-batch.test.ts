import assert from 'node:assert/strict'
import net from 'node:net'
import { Writable } from 'node:stream'
import { describe, test } from 'node:test'
import { busyPolling, holdUntilTurnEnd, setBusyPoll } from './write-batch.ts'

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

describe('busy-polling after a held write', { timeout: 5000 }, () => {
  const flushOne = async () => {
    const { sink } = recorder()
    holdUntilTurnEnd(sink)
    sink.write('x')
    await turnEnd()
  }
  /** Resolves when busy-polling has stopped (timers still run while the loop polls), with how long it took. */
  const untilStopped = (since: number) =>
    new Promise<number>((resolve) => {
      const check = () => (busyPolling() ? setTimeout(check, 1) : resolve(performance.now() - since))
      check()
    })

  test('is off by default: the loop sleeps after a flush', async () => {
    await flushOne()
    assert.equal(busyPolling(), false)
  })

  test('with a window, the loop polls without sleeping for that long after the flush, then sleeps again', async () => {
    setBusyPoll(30_000)
    try {
      const start = performance.now()
      const elu = performance.eventLoopUtilization()
      await flushOne()
      assert.equal(busyPolling(), true)
      const lasted = await untilStopped(start)
      const busy = performance.eventLoopUtilization(elu)
      assert.ok(lasted >= 30, `polled for ${lasted.toFixed(1)} ms, the window is 30 ms`)
      // While polling the loop never waits in epoll: next to no idle time in the window.
      assert.ok(busy.utilization > 0.8, `event loop utilisation while polling: ${busy.utilization.toFixed(2)}`)
      const after = performance.eventLoopUtilization()
      await new Promise((r) => setTimeout(r, 30))
      const quiet = performance.eventLoopUtilization(after)
      assert.ok(quiet.utilization < 0.5, `event loop utilisation after the window: ${quiet.utilization.toFixed(2)}`)
    } finally {
      setBusyPoll(0)
    }
  })

  test('turning it off ends a window in progress', async () => {
    setBusyPoll(1_000_000)
    await flushOne()
    assert.equal(busyPolling(), true)
    setBusyPoll(0)
    const lasted = await untilStopped(performance.now())
    assert.ok(lasted < 500, `stopped after ${lasted.toFixed(1)} ms`)
  })
})
