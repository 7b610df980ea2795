/**
 * What every scenario gets and gives back: the run's settings and tools in, Markdown sections
 * (a title, a table, notes) out. Plus the set-up every load scenario shares: its own directory
 * and the nginx backend on the load core.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Cert } from './certs.ts'
import { startBackend, type Tools } from './peers.ts'
import { freePort } from './procs.ts'

export interface BenchContext {
  readonly quick: boolean
  /** Rounds of each load case (targets in rotating order each round). */
  readonly rounds: number
  /** Seconds of each wrk run. */
  readonly durationS: number
  /** The run's temporary directory: configs, logs, certificates. */
  readonly dir: string
  readonly tools: Tools
  readonly cert: Cert
  /** Aborted when the scenario runs out of time: long loops check it and stop. */
  readonly signal: AbortSignal
  /** Progress, on stderr. */
  log(line: string): void
}

export interface Section {
  readonly title: string
  /** Markdown: usually a table and a line of notes. */
  readonly body: string
}

export interface Scenario {
  /** What `--only` selects. */
  readonly name: string
  readonly summary: string
  /** What the scenario needs that may be missing; `run` is skipped with this reason. */
  missing?(tools: Tools): string | null
  run(ctx: BenchContext): Promise<Section[]>
}

export function scenarioDir(ctx: BenchContext, name: string): string {
  const dir = join(ctx.dir, name)
  mkdirSync(dir, { recursive: true })
  return dir
}

export interface Backend {
  readonly port: number
  readonly tlsPort: number
}

/** Start the nginx backend for a scenario (stopped with everything else when the scenario ends). */
export async function backendFor(ctx: BenchContext, dir: string): Promise<Backend> {
  const port = await freePort()
  const tlsPort = await freePort()
  await startBackend(ctx.tools, { dir, port, tlsPort, cert: ctx.cert.cert, key: ctx.cert.key, www: join(dir, 'www') })
  return { port, tlsPort }
}

/** Run `fn`; if it throws, record the reason under `name` in `unavailable` and return null. */
export async function tryStart<T>(name: string, unavailable: Map<string, string>, ctx: BenchContext, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn()
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e)
    ctx.log(`${name}: not measured: ${e instanceof Error ? e.message : String(e)}`)
    unavailable.set(name, why)
    return null
  }
}

/** `Scenario.missing` of every load scenario: the nginx backend and wrk are the instrument. */
export function needsNginxAndWrk(tools: Tools): string | null {
  return tools.nginx && tools.wrk ? null : 'needs nginx (the backend) and wrk, which could not be installed'
}
