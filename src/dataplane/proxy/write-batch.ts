import type { Writable } from 'node:stream'
import { reuseSlab } from './write-slab.ts'

/**
 * Holds a socket's writes until the end of the event loop's current turn (node's check phase,
 * after every ready event was handled), then sends them.
 *
 * Why: on loopback the sender's write() runs the receiver's TCP input and wakes the receiver if it
 * sleeps in epoll, and waking a process asleep on another core costs an inter-processor interrupt
 * (on a virtual machine, an exit to the host). Writing each response the moment it is ready woke
 * wrk or the backend about twice per request, about 6 µs of the proxy's 25 µs per request
 * (docs/performance.md). Sent together at the end of the turn, the first write wakes the reader
 * and the rest find it awake. A turn with one request in it (one connection) adds no measurable
 * latency: the check phase follows the poll that read it.
 *
 * Several writes to one socket in a turn also leave as one writev.
 */
let held: Writable[] = []
let scheduled = false

function flush(): void {
  scheduled = false
  // A write made while flushing (a 'drain' listener) is held for the next turn, not lost.
  const list = held
  held = []
  // A socket ended or destroyed meanwhile was flushed by end() or has nothing left to send; uncork is then a no-op.
  for (let i = 0; i < list.length; i++) list[i]!.uncork()
  reuseSlab()
  if (pollWindowMs > 0) pollAfterWrite()
}

/** Holds what is written to `s` from now until the end of this turn (one call per write burst). */
export function holdUntilTurnEnd(s: Writable): void {
  s.cork()
  held.push(s)
  if (!scheduled) {
    scheduled = true
    setImmediate(flush)
  }
}

/**
 * Busy-polling (`serve --busy-poll <µs>`, off by default): after a turn that wrote, the loop keeps
 * polling its sockets without sleeping for this long, since an answer is likely on its way (the
 * backend's response to a request just sent, the client's next request after a response).
 *
 * Why: a process asleep in epoll is woken by an interrupt, and an idle core on a virtual machine
 * takes tens of microseconds to come back (the vCPU halted, the host must schedule it again).
 * At one connection that wake-up is most of the latency a proxy adds (docs/performance.md,
 * "Busy-polling"). The price is CPU: while polling, the core is busy even when nothing comes, so it
 * is a choice for latency-bound deployments with cores to spare, not a default; with CPU quotas
 * (containers), the polling spends quota.
 */
let pollWindowMs = 0
let pollUntil = 0
let polling = false

/** Sets the busy-poll window in microseconds; 0 turns it off (the default). */
export function setBusyPoll(us: number): void {
  pollWindowMs = us / 1000
}

/** Whether the loop is busy-polling now (the window after a write has not run out). */
export function busyPolling(): boolean {
  return polling
}

function pollAfterWrite(): void {
  pollUntil = performance.now() + pollWindowMs
  if (!polling) {
    polling = true
    setImmediate(poll)
  }
}

// A pending immediate makes libuv poll with a zero timeout instead of sleeping: one turn of the
// loop per call, reading whatever arrived, until the window runs out.
function poll(): void {
  if (performance.now() < pollUntil && pollWindowMs > 0) setImmediate(poll)
  else polling = false
}
