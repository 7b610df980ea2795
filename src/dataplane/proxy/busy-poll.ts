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
 * before it runs out (an answer came and was passed on). Windows after a request to a backend
 * and windows after responses only are judged apart: a backend answers within the window far more
 * often than a client that is not sending back to back, and one must not switch the other off.
 * While fewer than three in four recent windows of a kind pay off, only every sixteenth write of
 * that kind opens one, to notice when they would pay again.
 */
let windowMs = 0
let until = 0
let polling = false
/** When the time spent with a window open was last counted. */
let countedAt = 0

/** What the window now open waits for: a backend's response (0), a client's next request (1), or none is open (-1). */
let open: -1 | 0 | 1 = -1
/** Per kind, the share of recent windows that paid off: a moving average over about the last eight. */
const payoff = [1, 1]
const skipped = [0, 0]
const WORTH = 0.75
const PROBE_EVERY = 16

const stats = { paid: 0, wasted: 0, seconds: 0 }

/** Sets the busy-poll window in microseconds; 0 turns it off. */
export function setBusyPoll(us: number): void {
  windowMs = us / 1000
  payoff.fill(1)
  skipped.fill(0)
  open = -1
}

/** Whether the loop is busy-polling now (a window opened by a write has not run out). */
export function busyPolling(): boolean {
  return polling
}

/**
 * Since the process started: windows that paid off (a write came within them), windows that ran
 * out with nothing written, and the time the loop spent with a window open (polling, and handling
 * what the polls found). Process-wide, like the event loop.
 */
export function busyPollStats(): Readonly<typeof stats> {
  return stats
}

/** Called after each flush of the write batch (write-batch.ts); `toBackend`: it sent a request to a backend. */
export function pollAfterWrite(toBackend: boolean): void {
  if (windowMs === 0) return
  if (open !== -1) {
    stats.paid++
    payoff[open]! += (1 - payoff[open]!) / 8
    open = -1
  }
  const kind = toBackend ? 0 : 1
  if (payoff[kind]! < WORTH && ++skipped[kind]! < PROBE_EVERY) {
    // Not worth a window of its own; a window that just paid off is not prolonged for it.
    until = 0
    return
  }
  skipped[kind] = 0
  open = kind
  const now = performance.now()
  until = now + windowMs
  if (!polling) {
    polling = true
    countedAt = now
    setImmediate(poll)
  }
}

// A pending immediate makes libuv poll with a zero timeout instead of sleeping: one turn of the
// loop per call, reading whatever arrived, until the window runs out.
function poll(): void {
  const now = performance.now()
  // Counted as it goes, so a loop that polls for minutes on end shows it on /metrics meanwhile.
  stats.seconds += (now - countedAt) / 1000
  countedAt = now
  if (windowMs > 0 && now < until) {
    setImmediate(poll)
    return
  }
  polling = false
  if (open === -1) return
  stats.wasted++
  payoff[open]! -= payoff[open]! / 8
  open = -1
}
