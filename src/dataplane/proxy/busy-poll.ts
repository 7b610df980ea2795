/**
 * Busy-polling (`serve --busy-poll <µs>`): after a turn that wrote, the loop keeps polling its
 * sockets without sleeping for a short window, since an answer is likely on its way (the
 * backend's response to a request just sent, the client's next request after a response).
 *
 * Why: a process asleep in epoll is woken by an interrupt, and an idle core on a virtual machine
 * takes tens of microseconds to come back (the vCPU halted, the host must schedule it again).
 * At one connection that wake-up is most of the latency a proxy adds (docs/performance.md,
 * "Busy-polling").
 *
 * The price is CPU, so windows are opened only while they pay off, as Go's scheduler spins before
 * parking only while spinning finds work. A window pays off when something is written again
 * before it runs out (an answer came and was passed on). While fewer than three in four recent
 * windows do (answers slower than the window, sparse traffic), only every sixteenth write opens
 * one, to notice when they would pay again: a gateway whose windows go unanswered spends about
 * one window per sixteen writes.
 */
let windowMs = 0
let until = 0
let polling = false
let openedAt = 0
/** The share of recent windows that paid off: a moving average over about the last eight. */
let payoff = 1
let skipped = 0
const WORTH = 0.75
const PROBE_EVERY = 16

const stats = { paid: 0, wasted: 0, seconds: 0 }

/** Sets the busy-poll window in microseconds; 0 turns it off. */
export function setBusyPoll(us: number): void {
  windowMs = us / 1000
  payoff = 1
  skipped = 0
}

/** Whether the loop is busy-polling now (a window opened by a write has not run out). */
export function busyPolling(): boolean {
  return polling
}

/**
 * Since the process started: windows that paid off (a write came within them), windows that ran
 * out with nothing written, and the time spent polling. Process-wide, like the event loop.
 */
export function busyPollStats(): Readonly<typeof stats> {
  return stats
}

/** Called after each flush of the write batch (write-batch.ts). */
export function pollAfterWrite(): void {
  if (windowMs === 0) return
  if (polling) {
    stats.paid++
    payoff += (1 - payoff) / 8
  } else if (payoff < WORTH && ++skipped < PROBE_EVERY) {
    return
  }
  skipped = 0
  const now = performance.now()
  until = now + windowMs
  if (!polling) {
    polling = true
    openedAt = now
    setImmediate(poll)
  }
}

// A pending immediate makes libuv poll with a zero timeout instead of sleeping: one turn of the
// loop per call, reading whatever arrived, until the window runs out.
function poll(): void {
  const now = performance.now()
  if (windowMs > 0 && now < until) {
    setImmediate(poll)
    return
  }
  polling = false
  stats.seconds += (now - openedAt) / 1000
  if (windowMs === 0) return
  stats.wasted++
  payoff -= payoff / 8
}
