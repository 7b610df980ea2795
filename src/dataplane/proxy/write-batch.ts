import type { Writable } from 'node:stream'
import { pollAfterWrite } from './busy-poll.ts'
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
/** Whether this turn's writes include a request to a backend (busy-poll.ts judges its windows by that). */
let toBackend = false

function flush(): void {
  scheduled = false
  // A write made while flushing (a 'drain' listener) is held for the next turn, not lost.
  const list = held
  const requested = toBackend
  held = []
  toBackend = false
  // A socket ended or destroyed meanwhile was flushed by end() or has nothing left to send; uncork is then a no-op.
  for (let i = 0; i < list.length; i++) list[i]!.uncork()
  reuseSlab()
  pollAfterWrite(requested)
}

/**
 * Holds what is written to `s` from now until the end of this turn (one call per write burst);
 * `backend`: `s` is a backend connection (a request is being sent).
 */
export function holdUntilTurnEnd(s: Writable, backend = false): void {
  if (backend) toBackend = true
  s.cork()
  held.push(s)
  if (!scheduled) {
    scheduled = true
    setImmediate(flush)
  }
}
