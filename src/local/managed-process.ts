import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'

export interface Backoff {
  /** Delay before the first restart. @default 250 */
  readonly initialMs: number
  /** The delay doubles on each crash in a row, up to this. @default 10000 */
  readonly maxMs: number
  /** A process that ran this long counts as healthy: the next crash starts over. @default 10000 */
  readonly resetAfterMs: number
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 10_000, resetAfterMs: 10_000 }

/** The delay before restart number `crashes` (1-based) of a run of crashes: exponential, capped. */
export function restartDelay(crashes: number, b: Backoff): number {
  return Math.min(b.maxMs, b.initialMs * 2 ** Math.max(0, crashes - 1))
}

export interface ManagedProcessOptions {
  /** One string runs through the shell (`sh -c`); a list runs the program directly. */
  readonly command: string | readonly string[]
  readonly cwd: string
  readonly env: NodeJS.ProcessEnv
  /** Put before every output line, e.g. `frontend | `. */
  readonly prefix: string
  readonly out: (line: string) => void
  readonly backoff?: Backoff
  /** How long stop() waits after SIGTERM before SIGKILL. @default 5000 */
  readonly stopTimeoutMs?: number
  /** Called when the process starts, exits (with the delay before its restart) or fails to start. */
  readonly onEvent?: (e: ProcessEvent) => void
}

export type ProcessEvent =
  | { readonly kind: 'started'; readonly pid: number }
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: string | null; readonly restartInMs: number }
  | { readonly kind: 'spawn-failed'; readonly message: string; readonly restartInMs: number }

/**
 * A local container's command, kept running: spawned in its own process group (so a shell's
 * children are stopped with it), each output line prefixed with the container's name, restarted
 * with exponential back-off when it exits, and stopped with SIGTERM, then SIGKILL after a bound.
 */
export class ManagedProcess {
  readonly #o: ManagedProcessOptions
  readonly #backoff: Backoff
  #child: ChildProcess | null = null
  #crashes = 0
  #startedAt = 0
  #timer: NodeJS.Timeout | null = null
  #stopping = false
  #exited: Promise<void> = Promise.resolve()

  constructor(options: ManagedProcessOptions) {
    this.#o = options
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF
  }

  /** The running process's id, or null between a crash and its restart. */
  get pid(): number | null {
    return this.#child?.pid ?? null
  }

  start(): void {
    this.#stopping = false
    this.#spawn()
  }

  #spawn(): void {
    this.#timer = null
    const [file, args] = typeof this.#o.command === 'string' ? ['/bin/sh', ['-c', this.#o.command]] : [this.#o.command[0]!, this.#o.command.slice(1)]
    const child = spawn(file, args, { cwd: this.#o.cwd, env: this.#o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    this.#child = child
    this.#startedAt = Date.now()
    let done: () => void = () => {}
    this.#exited = new Promise<void>((r) => (done = r))
    this.#pipe(child.stdout!)
    this.#pipe(child.stderr!)
    child.once('spawn', () => this.#o.onEvent?.({ kind: 'started', pid: child.pid! }))
    child.once('error', (e) => {
      // Spawning failed (no such program, not executable): no 'exit' follows.
      if (child.pid !== undefined) return
      this.#child = null
      done()
      if (this.#stopping) return
      const restartInMs = this.#scheduleRestart()
      this.#o.onEvent?.({ kind: 'spawn-failed', message: e.message, restartInMs })
    })
    child.once('exit', (code, signal) => {
      this.#child = null
      done()
      if (this.#stopping) return
      if (Date.now() - this.#startedAt >= this.#backoff.resetAfterMs) this.#crashes = 0
      const restartInMs = this.#scheduleRestart()
      this.#o.onEvent?.({ kind: 'exited', code, signal, restartInMs })
    })
  }

  #scheduleRestart(): number {
    this.#crashes++
    const delay = restartDelay(this.#crashes, this.#backoff)
    this.#timer = setTimeout(() => this.#spawn(), delay)
    return delay
  }

  #pipe(stream: Readable): void {
    const lines = createInterface({ input: stream, crlfDelay: Infinity })
    lines.on('line', (line) => this.#o.out(this.#o.prefix + line))
  }

  /** SIGTERM to the process group, SIGKILL if it is still there after the bound; no restart. */
  async stop(): Promise<void> {
    this.#stopping = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    const child = this.#child
    if (!child || child.pid === undefined) return
    const group = child.pid
    const deadline = Date.now() + (this.#o.stopTimeoutMs ?? 5000)
    signalGroup(group, 'SIGTERM')
    // The group, not only the process we spawned: a shell's children may outlive the shell.
    while (groupAlive(group) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
    if (groupAlive(group)) {
      signalGroup(group, 'SIGKILL')
      // Killed processes linger until reaped; give that a moment so "stopped" means gone.
      const reaped = Date.now() + 2000
      while (groupAlive(group) && Date.now() < reaped) await new Promise((r) => setTimeout(r, 10))
    }
    await this.#exited
  }

  /** Last resort when this process exits without stop(): kill the group at once. */
  killNow(): void {
    this.#stopping = true
    if (this.#child?.pid !== undefined) signalGroup(this.#child.pid, 'SIGKILL')
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {}
  }
}
