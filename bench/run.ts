/**
 * `npm run bench [-- --quick] [--only a,b] [--rounds N] [--duration S] [--no-install] [--out FILE]`
 *
 * Switchyard against the proxies people use — direct, nginx, HAProxy, Caddy, a Node proxy — on one
 * machine, each proxy alone on core 0 with wrk and the nginx backend on core 1, in rounds of
 * rotating order; prints Markdown tables of medians with ratios taken within each round. Not part
 * of `npm test`: timings are measured here, never asserted in unit tests. Results, and the
 * machine they came from, are recorded in docs/performance.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeCert } from './certs.ts'
import { ensureTools } from './peers.ts'
import { childNofile, killAllNow, stopAll } from './procs.ts'
import type { Scenario, Section } from './scenario.ts'
import { httpScenario } from './scenarios/http.ts'
import { httpsScenario } from './scenarios/https.ts'
import { l4Scenario } from './scenarios/l4.ts'
import { memoryScenario } from './scenarios/memory.ts'
import { modelScenario } from './scenarios/model.ts'
import { reloadScenario } from './scenarios/reload.ts'
import { routeScaleScenario } from './scenarios/route-scale.ts'
import { udpScenario } from './scenarios/udp.ts'
import { workersScenario } from './scenarios/workers.ts'

const SCENARIOS: readonly Scenario[] = [httpScenario, httpsScenario, l4Scenario, udpScenario, routeScaleScenario, reloadScenario, workersScenario, memoryScenario, modelScenario]

const USAGE = `usage: npm run bench -- [--quick] [--only ${SCENARIOS.map((s) => s.name).join(',')}] [--rounds N] [--duration S] [--no-install] [--out FILE]

  --quick        fewer rounds, shorter runs (under 10 minutes in all)
  --only LIST    run only these scenarios (comma-separated)
  --rounds N     rounds per load case (targets in rotating order each round)
  --duration S   seconds per wrk run
  --no-install   do not apt-get install missing peers; skip them
  --out FILE     also write the report (Markdown) to FILE

scenarios:
${SCENARIOS.map((s) => `  ${s.name.padEnd(12)} ${s.summary}`).join('\n')}
`

interface Flags {
  readonly quick: boolean
  readonly only: readonly string[] | null
  readonly rounds: number | null
  readonly duration: number | null
  readonly install: boolean
  readonly out: string | null
}

function parseFlags(argv: readonly string[]): Flags {
  let quick = false
  let only: string[] | null = null
  let rounds: number | null = null
  let duration: number | null = null
  let install = true
  let out: string | null = null
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1]
    if (v === undefined) fail(`${flag} needs a value`)
    return v
  }
  const positive = (v: string, flag: string): number => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < 1) fail(`${flag} wants a positive whole number, got ${v}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--quick') quick = true
    else if (a === '--no-install') install = false
    else if (a === '--only') only = value(i++, a).split(',').map((s) => s.trim())
    else if (a === '--rounds') rounds = positive(value(i++, a), a)
    else if (a === '--duration') duration = positive(value(i++, a), a)
    else if (a === '--out') out = value(i++, a)
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE)
      process.exit(0)
    } else fail(`unknown option ${a}`)
  }
  for (const o of only ?? []) if (!SCENARIOS.some((s) => s.name === o)) fail(`no scenario ${o}`)
  return { quick, only, rounds, duration, install, out }
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`)
  process.exit(2)
}

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** How long one scenario may take before it is stopped and the run goes on. */
function scenarioBudgetMs(quick: boolean): number {
  return (quick ? 5 : 30) * 60_000
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2))
  const started = Date.now()
  const log = (line: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`)
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'))
  let cleaned = false
  const cleanup = async () => {
    if (cleaned) return
    cleaned = true
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', () => {
    killAllNow()
    if (!cleaned) rmSync(dir, { recursive: true, force: true })
  })
  let interrupted = false
  let abort = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      interrupted = true
      abort.abort()
      log(`${signal}: stopping every process started`)
      void cleanup().then(() => process.exit(130))
    })

  const selected = SCENARIOS.filter((s) => flags.only?.includes(s.name) ?? true)
  const tools = ensureTools(flags.install, log)
  const base = {
    quick: flags.quick,
    rounds: flags.rounds ?? (flags.quick ? 3 : 5),
    durationS: flags.duration ?? (flags.quick ? 2 : 8),
    dir,
    tools,
    cert: makeCert(dir),
    log,
  }
  const nofile = childNofile()
  const report: string[] = []
  const emit = (text: string) => {
    report.push(text)
    process.stdout.write(text + '\n')
  }
  emit(`# Switchyard benchmarks

- command: \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` (${base.rounds} rounds × ${base.durationS} s per target, rotating order, medians; ratios within each round)
- machine: ${availableParallelism()} cores, ${cpuModel()}; Node ${process.version}; open files per process ${nofile}
- peers: ${tools.versions.join('; ')}
- pinning: each proxy alone on core 0 (one worker); wrk (1 thread) and the nginx backend on core 1; access logs off
`)
  for (const s of selected) {
    if (interrupted) return
    const missing = s.missing?.(base.tools) ?? null
    if (missing) {
      emit(`## ${s.summary}\n\nskipped: ${missing}\n`)
      continue
    }
    log(`scenario ${s.name}: ${s.summary}`)
    let timer: NodeJS.Timeout | undefined
    const budget = scenarioBudgetMs(base.quick)
    abort = new AbortController()
    try {
      const sections = await Promise.race([
        s.run({ ...base, signal: abort.signal }),
        new Promise<Section[]>((_, reject) => (timer = setTimeout(() => {
          abort.abort()
          reject(new Error(`took longer than ${budget / 60_000} minutes`))
        }, budget))),
      ])
      for (const sec of sections) emit(`## ${sec.title}\n\n${sec.body}`)
    } catch (e) {
      if (interrupted) return
      log(`scenario ${s.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      emit(`## ${s.summary}\n\nfailed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} (details on stderr)\n`)
    } finally {
      clearTimeout(timer)
      await stopAll()
    }
  }
  log(`done in ${((Date.now() - started) / 60_000).toFixed(1)} minutes`)
  if (flags.out) writeFileSync(flags.out, report.join('\n'))
  await cleanup()
}

await main()
