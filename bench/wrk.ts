/**
 * wrk: one bounded load run (pinned to the load core) and the parsing of its report, latency
 * percentiles (`--latency`) and errors included.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { logTail, start, stop } from './procs.ts'
import type { Sample } from './table.ts'

export interface WrkOptions {
  readonly wrk: string
  readonly url: string
  readonly connections: number
  readonly durationS: number
  /** `taskset -c` CPU list for wrk. */
  readonly cpu: string
  readonly headers?: readonly string[]
  /** A Lua script file (`-s`). */
  readonly script?: string
  /** Where wrk's stderr is logged. */
  readonly logDir: string
}

/** What wrk reports: `Sample` plus the raw text for the log. */
export interface WrkResult extends Sample {
  readonly raw: string
}

const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
// wrk prints sizes with binary multiples (format_binary in units.c).
const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }
const COUNT_UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9 }

function timeMs(v: string, unit: string): number {
  const f = TIME_UNITS[unit]
  if (f === undefined) throw new Error(`unknown wrk time unit ${unit}`)
  return Number(v) * f
}

/**
 * Parse wrk 4.x output. Throws when the report has no `Requests/sec` line (wrk failed). Latency
 * percentiles are NaN when wrk ran without `--latency` or completed no request.
 */
export function parseWrk(text: string): Sample {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(text)
  if (!rps) throw new Error(`wrk printed no Requests/sec line:\n${text.trim()}`)
  const transfer = /^Transfer\/sec:\s+([\d.]+)([KMGT]?B)/m.exec(text)
  const total = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h), ([\d.]+)([KMGT]?B) read/m.exec(text)
  const pct = (p: number): number => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m|h)`, 'm').exec(text)
    return m ? timeMs(m[1]!, m[2]!) : Number.NaN
  }
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text)
  const socketErrors = sock ? sock.slice(1, 5).reduce((a, b) => a + Number(b), 0) : 0
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0)
  const avg = /^\s+Latency\s+([\d.]+)(us|ms|s|m|h)/m.exec(text)
  const reqSec = /^\s+Req\/Sec\s+([\d.]+)([kMG]?)/m.exec(text)
  return {
    rps: Number(rps[1]),
    bytesPerSec: transfer ? Number(transfer[1]) * SIZE_UNITS[transfer[2]!]! : 0,
    requests: total ? Number(total[1]) : 0,
    p50Ms: pct(50),
    p99Ms: pct(99),
    avgMs: avg ? timeMs(avg[1]!, avg[2]!) : Number.NaN,
    perThreadRps: reqSec ? Number(reqSec[1]) * COUNT_UNITS[reqSec[2]!]! : Number.NaN,
    socketErrors,
    socketErrorDetail: sock && socketErrors > 0 ? `connect ${sock[1]}, read ${sock[2]}, write ${sock[3]}, timeout ${sock[4]}` : '',
    non2xx,
  }
}

/** Write a Lua script that cycles through fixed requests (wrk.format) and return its path. */
export function writeRequestCycle(dir: string, name: string, requests: readonly { path: string; headers: Record<string, string> }[]): string {
  const lua = (s: string) => JSON.stringify(s) // JSON string escapes are valid Lua escapes for ASCII.
  const lines = ['local reqs = {}']
  for (const r of requests) {
    const h = Object.entries(r.headers).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`).join(', ')
    lines.push(`reqs[#reqs + 1] = wrk.format("GET", ${lua(r.path)}, { ${h} })`)
  }
  lines.push('local i = 0', 'request = function()', '  i = i % #reqs + 1', '  return reqs[i]', 'end')
  const path = join(dir, `${name}.lua`)
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

/** Run wrk once (one thread), bounded to its duration plus 15 s; returns the parsed report. */
export async function runWrk(o: WrkOptions): Promise<WrkResult> {
  const args = ['-t1', `-c${o.connections}`, `-d${o.durationS}s`, '--latency', '--timeout', '5s']
  for (const h of o.headers ?? []) args.push('-H', h)
  if (o.script) args.push('-s', o.script)
  args.push(o.url)
  const p = start('wrk', o.wrk, args, { cpu: o.cpu, logDir: o.logDir, piped: true })
  let out = ''
  const stdout = p.child.stdout!
  stdout.on('data', (d: Buffer) => (out += d.toString()))
  const ended = new Promise((r) => stdout.once('close', r))
  const killer = setTimeout(() => void stop(p), (o.durationS + 15) * 1000)
  await Promise.all([p.exited, ended])
  clearTimeout(killer)
  if (!/^Requests\/sec/m.test(out)) throw new Error(`wrk ${o.url} failed:\n${out}${logTail(p)}`)
  return { ...parseWrk(out), raw: out }
}
