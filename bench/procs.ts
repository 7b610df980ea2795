/**
 * Every process the benchmark starts goes through `start`: pinned to a core with `taskset`, with
 * a raised open-file limit, in its own process group, its output in a log file, and registered so
 * that `stopAll` (on success, on failure, on Ctrl-C) ends it and everything it forked.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'

/** The open-file limit asked for every child: 10,000 client connections plus their upstreams. */
export const WANTED_NOFILE = 65536

/** Raise `ulimit -n` as far as allowed (soft up to the hard limit), then exec the command. */
const WITH_LIMIT = `ulimit -n ${WANTED_NOFILE} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`

export interface Proc {
  readonly name: string
  readonly pid: number
  readonly child: ChildProcess
  readonly log: string
  /** Resolves with the exit code (or signal) when the process ends. */
  readonly exited: Promise<string>
  /** True until the process ends. */
  alive(): boolean
}

const running = new Set<Proc>()

export interface StartOptions {
  /** A `taskset -c` CPU list, e.g. '0'. */
  readonly cpu: string
  readonly logDir: string
  readonly env?: NodeJS.ProcessEnv
  /** Pipe stdin and stdout to the caller (a process that reports on stdout); stderr still goes to the log. */
  readonly piped?: boolean
}

/** Start `cmd args…` pinned to `cpu`, in its own process group, logging to `<logDir>/<name>.log`. */
export function start(name: string, cmd: string, args: readonly string[], o: StartOptions): Proc {
  const log = join(o.logDir, `${name}.log`)
  const fd = openSync(log, 'a')
  const child = spawn('bash', ['-c', WITH_LIMIT, 'bash', 'taskset', '-c', o.cpu, cmd, ...args], {
    detached: true,
    stdio: o.piped ? ['pipe', 'pipe', fd] : ['ignore', fd, fd],
    env: o.env ?? process.env,
  })
  closeSync(fd)
  if (child.pid === undefined) throw new Error(`could not start ${name} (${cmd})`)
  let done = false
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true
      running.delete(proc)
      resolve(signal ?? String(code))
    })
    child.once('error', (e) => {
      done = true
      running.delete(proc)
      resolve(`error: ${e.message}`)
    })
  })
  const proc: Proc = { name, pid: child.pid, child, log, exited, alive: () => !done }
  running.add(proc)
  return proc
}

/** SIGTERM the process group, then SIGKILL it if it has not ended within `graceMs`. */
export async function stop(p: Proc, graceMs = 3000): Promise<void> {
  if (!p.alive()) return
  signalGroup(p.pid, 'SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<string>((r) => (timer = setTimeout(() => r('late'), graceMs)))
  if ((await Promise.race([p.exited, late])) === 'late') {
    signalGroup(p.pid, 'SIGKILL')
    await p.exited
  }
  clearTimeout(timer)
  // A master that exited may leave forked workers behind in its group.
  signalGroup(p.pid, 'SIGKILL')
}

/** Stop everything still running (in parallel). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => stop(p)))
}

/** Synchronous last resort for process exit: SIGKILL every group we started. */
export function killAllNow(): void {
  for (const p of running) signalGroup(p.pid, 'SIGKILL')
  running.clear()
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

/** The last lines of a process's log, for error messages. */
export function logTail(p: Proc, lines = 15): string {
  try {
    return readFileSync(p.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** A free loopback TCP port (bound then released; the caller binds it right after). */
export async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo
      s.close(() => resolve(a.port))
    })
  })
}

/** Poll `check` every 50 ms until it returns true, failing after `timeoutMs` with `what`. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean, p?: Proc): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return
    if (p && !p.alive()) throw new Error(`${p.name} exited while waiting for ${what}:\n${logTail(p)}`)
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${p ? `:\n${logTail(p)}` : ''}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export async function accepts(port: number): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
}

export async function waitForPort(p: Proc, port: number, timeoutMs = 15_000): Promise<void> {
  await waitFor(`${p.name} to listen on port ${port}`, timeoutMs, () => accepts(port), p)
}

/** Resident memory (KiB) of a process and all its descendants, from /proc. */
export function treeRssKiB(pid: number): number {
  const children = new Map<number, number[]>()
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)])
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0
  const stack = [pid]
  while (stack.length) {
    const p = stack.pop()!
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))
      total += Number(m?.[1] ?? 0)
    } catch {
      // Gone.
    }
    stack.push(...(children.get(p) ?? []))
  }
  return total
}

/** The open-file limit a child started by `start` gets. */
export function childNofile(): number {
  const r = spawnSync('bash', ['-c', `${WITH_LIMIT}`, 'bash', 'bash', '-c', 'ulimit -n'], { encoding: 'utf8' })
  return Number(r.stdout.trim()) || 0
}

/** Run a command to completion with a time bound; returns its output. */
export function runBounded(cmd: string, args: readonly string[], timeoutMs: number, env?: NodeJS.ProcessEnv): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, env: env ?? process.env, killSignal: 'SIGKILL' })
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` }
}
