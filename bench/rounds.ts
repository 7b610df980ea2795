/**
 * Rounds: every target measured once per round, in an order rotated each round, after one
 * unrecorded warm-up run per target (JIT compilation, connection pools, caches).
 */
import { CPU } from './peers.ts'
import type { BenchContext } from './scenario.ts'
import { rotation, type Round, type Sample } from './table.ts'
import { runWrk } from './wrk.ts'

export interface Target {
  readonly name: string
  readonly url: string
  readonly headers?: readonly string[]
  /** A wrk Lua script (`-s`). */
  readonly script?: string
}

export interface Load {
  readonly connections: number
  /** Seconds per run. @default ctx.durationS */
  readonly durationS?: number
  /**
   * Seconds of each target's unrecorded warm-up run; 0 when the same processes have just run the
   * same code paths under another load. A Node process needs seconds, not one, before code that
   * runs once per connection is optimised (docs/performance.md, "Warm-up"). @default 1
   */
  readonly warmupS?: number
}

/** Measure `targets` for `ctx.rounds` rounds; returns one Round (target → sample) per round. */
export async function measureRounds(ctx: BenchContext, label: string, targets: readonly Target[], load: Load, logDir: string): Promise<Round[]> {
  await warmUp(ctx, targets, load, logDir)
  const rounds: Round[] = []
  for (let r = 0; r < ctx.rounds; r++) {
    const round = new Map<string, Sample>()
    for (const t of rotation(targets, r)) {
      const s = await runLoad(ctx, t, load, load.durationS ?? ctx.durationS, logDir)
      round.set(t.name, s)
      ctx.log(`${label} round ${r + 1}/${ctx.rounds} ${t.name}: ${Math.round(s.rps)} req/s, p50 ${s.p50Ms.toFixed(3)} ms${s.socketErrors + s.non2xx ? `, ${s.socketErrors} socket errors, ${s.non2xx} non-2xx` : ''}`)
    }
    rounds.push(round)
  }
  return rounds
}

/** Each target's unrecorded warm-up run under `load` (`load.warmupS`; none when 0). */
export async function warmUp(ctx: BenchContext, targets: readonly Target[], load: Load, logDir: string): Promise<void> {
  const warmupS = load.warmupS ?? 1
  if (warmupS > 0) for (const t of targets) await runLoad(ctx, t, load, warmupS, logDir)
}

function runLoad(ctx: BenchContext, t: Target, load: Load, durationS: number, logDir: string): Promise<Sample> {
  const wrk = ctx.tools.wrk
  if (!wrk) throw new Error('wrk is not installed')
  ctx.signal.throwIfAborted()
  return runWrk({ wrk, url: t.url, connections: load.connections, durationS, cpu: CPU.load, logDir, ...(t.headers ? { headers: t.headers } : {}), ...(t.script ? { script: t.script } : {}) })
}
