import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { describe, test } from 'node:test'
import { busyPolling, busyPollStats, setBusyPoll } from './busy-poll.ts'
import { holdUntilTurnEnd } from './write-batch.ts'

const turnEnd = () => new Promise((r) => setImmediate(r))

/** One held write, flushed at the end of this turn (the flush is what opens a window); `backend`: as a request to a backend. */
async function flushOne(backend = false): Promise<void> {
  const sink = new Writable({ write: (_c, _e, cb) => cb() })
  holdUntilTurnEnd(sink, backend)
  sink.write('x')
  await turnEnd()
}

/** Resolves when busy-polling has stopped (timers still run while the loop polls), with how long it took. */
function untilStopped(since: number): Promise<number> {
  return new Promise<number>((resolve) => {
    const check = () => (busyPolling() ? setTimeout(check, 1) : resolve(performance.now() - since))
    check()
  })
}

describe('busy-polling after a held write', { timeout: 10_000 }, () => {
  test('is off unless set: the loop sleeps after a flush', async () => {
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

  test('windows that run out with nothing written stop opening, except one write in sixteen', async () => {
    setBusyPoll(2_000)
    try {
      const before = { ...busyPollStats() }
      // Each write waits for its window to run out: every window opened is wasted.
      for (let i = 0; i < 40; i++) {
        await flushOne()
        await untilStopped(performance.now())
      }
      const wasted = busyPollStats().wasted - before.wasted
      assert.equal(busyPollStats().paid, before.paid, 'no window paid off')
      // Three wasted windows bring the share that paid off below three in four (1 → 0.875 →
      // 0.77 → 0.67); of the 37 writes after them, the 16th and the 32nd probe.
      assert.equal(wasted, 5, `windows opened by 40 unanswered writes: ${wasted}`)
      assert.ok(busyPollStats().seconds - before.seconds >= 0.01, 'the five windows of 2 ms were counted as time spent polling')
    } finally {
      setBusyPoll(0)
    }
  })

  test('windows after requests to backends are judged apart from windows after responses', async () => {
    setBusyPoll(1_000)
    try {
      // Responses whose clients do not answer within the window: those windows stop opening.
      for (let i = 0; i < 3; i++) {
        await flushOne()
        await untilStopped(performance.now())
      }
      await flushOne()
      assert.equal(busyPolling(), false)
      // A request sent to a backend still opens one: its answer is judged on its own record.
      await flushOne(true)
      assert.equal(busyPolling(), true)
    } finally {
      setBusyPoll(0)
      await untilStopped(performance.now())
    }
  })

  test('windows that are answered keep opening; after a quiet spell the probes find that out again', async () => {
    setBusyPoll(50_000)
    try {
      const before = { ...busyPollStats() }
      // Writes each within the window of the one before: every window pays off.
      for (let i = 0; i < 20; i++) await flushOne()
      assert.equal(busyPolling(), true)
      assert.equal(busyPollStats().paid - before.paid, 19, 'each write after the first came within a window')
      await untilStopped(performance.now())
      // A quiet spell: windows that run out push the share below three in four.
      setBusyPoll(1_000)
      for (let i = 0; i < 3; i++) {
        await flushOne()
        await untilStopped(performance.now())
      }
      await flushOne()
      assert.equal(busyPolling(), false, 'after three wasted windows a write opens none')
      // Traffic again, each write within a millisecond of the last: the probes' windows are
      // answered (one write in sixteen), three bring the share back above three in four, and
      // from there on every write keeps the loop polling.
      const paidBefore = busyPollStats().paid
      for (let i = 0; i < 64; i++) await flushOne()
      assert.equal(busyPolling(), true)
      assert.ok(busyPollStats().paid - paidBefore >= 10, `windows paid off: ${busyPollStats().paid - paidBefore}`)
    } finally {
      setBusyPoll(0)
      await untilStopped(performance.now())
    }
  })
})
