import cluster, { type Worker } from 'node:cluster'
import { join } from 'node:path'
import { compile, type BoundPort, type Limits, type Plan } from '../dataplane/index.ts'
import { SwitchyardError, type DiagCode } from '../diag/index.ts'
import type * as ir from '../ir/index.ts'
import { sumMetrics } from './worker-metrics.ts'

/** What a worker needs to build its Runtime (plain data: it crosses the IPC channel). */
export interface WorkerSettings {
  readonly bindAddress: string
  readonly portOffset: number
  readonly ephemeralPorts: boolean
  readonly drainMs: number
  readonly udpIdleMs?: number
  readonly udpMaxFlows?: number
  readonly limits?: Partial<Limits>
  readonly busyPollUs?: number
  readonly accessLog: 'stdout' | 'stderr' | 'off'
}

/** primary → worker */
export type ToWorker = { readonly type: 'apply'; readonly seq: number; readonly ir: ir.Snapshot } | { readonly type: 'close' }
/** worker → primary */
export type FromWorker =
  | { readonly type: 'applied'; readonly seq: number; readonly bound: BoundPort[]; readonly error: string | null; readonly code: DiagCode | null }
  | { readonly type: 'metrics'; readonly text: string }

interface Member {
  readonly id: number
  worker: Worker
  metrics: string
}

// The sibling module with this module's own extension: `.ts` in a checkout, `.js` in dist/ (the
// build rewrites import specifiers, not paths).
const ENTRY = join(import.meta.dirname, `serve-worker-main${import.meta.filename.slice(import.meta.filename.lastIndexOf('.'))}`)

/**
 * `serve --workers N` on the primary's side: N worker processes (node:cluster) that each run a
 * Runtime on listening sockets they share, while the primary keeps the pipeline and the admin API.
 * Every reload is applied by every worker before it counts as live; a worker that dies is replaced
 * and given the live configuration. Workers send their metrics every second; `/metrics` sums them.
 * Only worker 1 binds UDP ports: a flow's datagrams must all reach the one process that holds it.
 */
export class WorkerGroup {
  readonly #members: Member[] = []
  readonly #settings: WorkerSettings
  readonly #eventLog: (line: string) => void
  readonly #waiting = new Map<number, { left: Set<number>; bound: BoundPort[]; errors: string[]; code: DiagCode | null; resolve: () => void }>()
  #seq = 0
  #ir: ir.Snapshot | null = null
  #plan: Plan | null = null
  #bound: BoundPort[] = []
  #closing = false
  readonly metrics = { render: (): string => sumMetrics(this.#members.map((m) => m.metrics)) }

  constructor(count: number, settings: WorkerSettings, eventLog: (line: string) => void) {
    this.#settings = settings
    this.#eventLog = eventLog
    cluster.setupPrimary({ exec: ENTRY, args: [], serialization: 'advanced', silent: false })
    for (let id = 1; id <= count; id++) this.#members.push(this.#fork(id))
  }

  get plan(): Plan | null {
    return this.#plan
  }

  bound(): BoundPort[] {
    return this.#bound
  }

  #fork(id: number): Member {
    const worker = cluster.fork({ SWITCHYARD_WORKER: String(id), SWITCHYARD_WORKER_SETTINGS: JSON.stringify({ ...this.#settings, udp: id === 1 }) })
    const m: Member = { id, worker, metrics: '' }
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'metrics') m.metrics = msg.text
      else this.#applied(id, msg)
    })
    worker.once('exit', (code, signal) => {
      if (this.#closing) return
      this.#eventLog(JSON.stringify({ time: new Date().toISOString(), msg: 'worker exited; starting another', worker: id, code, signal }))
      // It will not answer: count it out of any apply in flight, then replace it.
      for (const [seq, w] of this.#waiting) this.#applied(id, { type: 'applied', seq, bound: w.bound, error: null, code: null })
      const next = this.#fork(id)
      const at = this.#members.indexOf(m)
      if (at !== -1) this.#members[at] = next
      if (this.#ir !== null) next.worker.send({ type: 'apply', seq: ++this.#seq, ir: this.#ir } satisfies ToWorker)
    })
    return m
  }

  #applied(id: number, msg: Extract<FromWorker, { type: 'applied' }>): void {
    const w = this.#waiting.get(msg.seq)
    if (!w || !w.left.delete(id)) return
    if (msg.error !== null) {
      w.errors.push(`worker ${id}: ${msg.error}`)
      w.code ??= msg.code
    } else if (id === 1 || w.bound.length === 0) w.bound = msg.bound
    if (w.left.size === 0) {
      this.#waiting.delete(msg.seq)
      w.resolve()
    }
  }

  /** Applies `config` in every worker; throws when any worker could not (the pipeline then keeps the last good one). */
  async apply(config: ir.Snapshot): Promise<void> {
    const seq = ++this.#seq
    const done = { left: new Set(this.#members.map((m) => m.id)), bound: [] as BoundPort[], errors: [] as string[], code: null as DiagCode | null, resolve: () => {} }
    const finished = new Promise<void>((r) => (done.resolve = r))
    this.#waiting.set(seq, done)
    for (const m of this.#members) m.worker.send({ type: 'apply', seq, ir: config } satisfies ToWorker)
    await finished
    if (done.errors.length > 0) throw new SwitchyardError(done.code ?? 'DP_BIND_FAILED', done.errors.join('; '))
    this.#ir = config
    this.#plan = compile(config)
    this.#bound = done.bound
  }

  /** Graceful stop: every worker drains and exits. */
  async close(): Promise<void> {
    this.#closing = true
    await Promise.all(
      this.#members.map(
        (m) =>
          new Promise<void>((resolve) => {
            if (m.worker.isDead()) return resolve()
            m.worker.once('exit', () => resolve())
            m.worker.send({ type: 'close' } satisfies ToWorker, (e) => e && m.worker.kill())
          }),
      ),
    )
  }
}

/** The number `--workers` asks for: a count, or `auto` for one per core. */
export function parseWorkers(v: string, cores: number): number {
  if (v === 'auto') return Math.max(1, cores)
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new SwitchyardError('CLI_USAGE', `--workers wants a positive integer or auto, got ${v}`)
  return n
}
