/**
 * Medians and ratios. Ratios are taken within each round (target and baseline measured minutes
 * apart under the same background load) and then the median of those ratios is reported, which
 * is steadier on a shared machine than a ratio of medians.
 */

/** One load run against one target. */
export interface Sample {
  readonly rps: number
  readonly bytesPerSec: number
  readonly requests: number
  /** Latency percentiles in milliseconds (NaN when not measured). */
  readonly p50Ms: number
  readonly p99Ms: number
  readonly avgMs: number
  readonly perThreadRps: number
  /** connect + read + write + timeout errors. */
  readonly socketErrors: number
  /** wrk's breakdown, e.g. `connect 0, read 3, write 0, timeout 0` (empty when there were none). */
  readonly socketErrorDetail: string
  /** Responses outside 2xx/3xx. */
  readonly non2xx: number
}

/** One round: target name → its sample (a target may be missing from a round). */
export type Round = ReadonlyMap<string, Sample>

export type Metric = 'rps' | 'bytesPerSec'

export interface Row {
  readonly target: string
  /** Median of the metric over the rounds. */
  readonly value: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Median over rounds of metric(target) / metric(baseline), per baseline; null if never both measured. */
  readonly ratios: ReadonlyMap<string, number | null>
  /** Median over rounds of p50(target) − p50(first baseline). */
  readonly addedP50Ms: number | null
  /** Errors summed over all rounds. */
  readonly socketErrors: number
  readonly non2xx: number
  readonly rounds: number
}

/** The median (mean of the two middle values for an even count); NaN for none. NaNs are ignored. */
export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)
  if (s.length === 0) return Number.NaN
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** The order of targets in round `r`: rotated by r, so no target always runs first or last. */
export function rotation<T>(targets: readonly T[], r: number): T[] {
  if (targets.length === 0) return []
  const k = r % targets.length
  return [...targets.slice(k), ...targets.slice(0, k)]
}

/** One row per target (in the given order) with medians over `rounds` and per-round ratios. */
export function summarise(targets: readonly string[], rounds: readonly Round[], baselines: readonly string[], metric: Metric = 'rps'): Row[] {
  return targets.map((target) => {
    const mine = rounds.map((r) => r.get(target)).filter((s): s is Sample => s !== undefined)
    const ratios = new Map<string, number | null>()
    for (const b of baselines) {
      const per: number[] = []
      for (const r of rounds) {
        const t = r.get(target)
        const base = r.get(b)
        if (t && base && base[metric] > 0) per.push(t[metric] / base[metric])
      }
      ratios.set(b, per.length ? median(per) : null)
    }
    const first = baselines[0]
    const added: number[] = []
    if (first !== undefined)
      for (const r of rounds) {
        const t = r.get(target)
        const base = r.get(first)
        if (t && base) added.push(t.p50Ms - base.p50Ms)
      }
    const addedP50 = median(added)
    return {
      target,
      value: median(mine.map((s) => s[metric])),
      p50Ms: median(mine.map((s) => s.p50Ms)),
      p99Ms: median(mine.map((s) => s.p99Ms)),
      ratios,
      addedP50Ms: Number.isNaN(addedP50) ? null : addedP50,
      socketErrors: mine.reduce((a, s) => a + s.socketErrors, 0),
      non2xx: mine.reduce((a, s) => a + s.non2xx, 0),
      rounds: mine.length,
    }
  })
}

/** A GitHub-flavoured Markdown table; columns after the first are right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'))
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n'
}

export function formatCount(n: number): string {
  return Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US')
}

export function formatMs(ms: number | null): string {
  if (ms === null || Number.isNaN(ms)) return '–'
  return `${ms.toFixed(Math.abs(ms) < 10 ? 3 : 1)} ms`
}

export function formatRatio(x: number | null | undefined): string {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(2)}×`
}

export function formatBytesPerSec(b: number): string {
  return Number.isNaN(b) ? '–' : `${(b / 1024 ** 2).toFixed(1)} MiB/s`
}

export function formatKiB(kib: number): string {
  return kib >= 1024 * 10 ? `${(kib / 1024).toFixed(0)} MiB` : kib >= 1024 ? `${(kib / 1024).toFixed(1)} MiB` : `${kib} KiB`
}

/**
 * The load table: metric median, ratio to each baseline, latency p50/p99, the p50 added over the
 * first baseline, errors. Targets in `unavailable` get one row saying why ("n/a (…)").
 */
export function loadTable(rows: readonly Row[], baselines: readonly string[], metric: Metric, unavailable: ReadonlyMap<string, string> = new Map()): string {
  const header = ['target', metric === 'rps' ? 'req/s' : 'throughput', ...baselines.map((b) => `vs ${b}`), 'p50', 'p99', `p50 added vs ${baselines[0] ?? '–'}`, 'errors']
  const body = rows.map((r) => [
    r.target,
    metric === 'rps' ? formatCount(r.value) : formatBytesPerSec(r.value),
    ...baselines.map((b) => formatRatio(r.ratios.get(b))),
    formatMs(r.p50Ms),
    formatMs(r.p99Ms),
    r.target === baselines[0] ? '–' : formatMs(r.addedP50Ms),
    r.socketErrors + r.non2xx === 0 ? '0' : `${r.socketErrors} socket, ${r.non2xx} non-2xx`,
  ])
  for (const [target, why] of unavailable) body.push([target, `n/a (${why})`, ...baselines.map(() => ''), '', '', '', ''])
  return markdownTable(header, body)
}
