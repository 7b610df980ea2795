import type { MetricsJSON, TrafficRow } from './api.ts'

/** Live figures for one route rule or backend, from the metrics seen in the last window. */
export interface Live {
  readonly total: number
  readonly errors: number
  /** Requests per second over the window. */
  readonly rate: number
  /** Milliseconds, over the window (null without requests in it). */
  readonly p50: number | null
  readonly p95: number | null
  /** Mean since the start, milliseconds. */
  readonly mean: number | null
}

/** Figures per key (route rule or backend), from the oldest and newest snapshots of a window. */
export function liveFigures(window: readonly MetricsJSON[], pick: (m: MetricsJSON) => readonly (TrafficRow & { key: string })[]): Map<string, Live> {
  const out = new Map<string, Live>()
  const last = window.at(-1)
  if (!last) return out
  const first = window[0]!
  const seconds = Math.max(0.001, (last.time - first.time) / 1000)
  const before = new Map(pick(first).map((r) => [r.key, r]))
  const now = new Map<string, TrafficRow>()
  // Rows of one key (a rule served on several listeners) add up.
  for (const r of pick(last)) now.set(r.key, add(now.get(r.key), r))
  const beforeSum = new Map<string, TrafficRow>()
  for (const [k, r] of before) beforeSum.set(k, add(beforeSum.get(k), r))
  for (const [key, r] of now) {
    const b = beforeSum.get(key)
    const delta = window.length > 1 ? r.requests - (b?.requests ?? 0) : 0
    const buckets = r.latency.buckets.map(([le, c], i) => [le, c - (b?.latency.buckets[i]?.[1] ?? 0)] as const)
    const count = r.latency.count - (b?.latency.count ?? 0)
    out.set(key, {
      total: r.requests,
      errors: r.errors,
      rate: delta / seconds,
      p50: window.length > 1 ? quantile(buckets, count, 0.5) : null,
      p95: window.length > 1 ? quantile(buckets, count, 0.95) : null,
      mean: r.latency.count > 0 ? (r.latency.sum / r.latency.count) * 1000 : null,
    })
  }
  return out
}

function add(a: TrafficRow | undefined, b: TrafficRow): TrafficRow {
  if (!a) return b
  return {
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    codes: { ...a.codes, ...Object.fromEntries(Object.entries(b.codes).map(([k, v]) => [k, v + (a.codes[k] ?? 0)])) },
    latency: { count: a.latency.count + b.latency.count, sum: a.latency.sum + b.latency.sum, buckets: b.latency.buckets.map(([le, c], i) => [le, c + (a.latency.buckets[i]?.[1] ?? 0)] as const) },
  }
}

/** The q-quantile in ms from cumulative bucket counts, interpolated within its bucket (as Prometheus does). */
function quantile(buckets: readonly (readonly [number, number])[], count: number, q: number): number | null {
  if (count <= 0) return null
  const rank = q * count
  let lower = 0
  let below = 0
  for (const [le, c] of buckets) {
    if (c >= rank) return (lower + (le - lower) * ((rank - below) / Math.max(1, c - below))) * 1000
    lower = le
    below = c
  }
  return lower * 1000
}

export function fmtRate(r: number): string {
  return r === 0 ? '0' : r < 0.1 ? r.toFixed(2) : r < 10 ? r.toFixed(1) : Math.round(r).toString()
}

export function fmtMs(ms: number | null): string {
  return ms === null ? '—' : ms < 1 ? `${ms.toFixed(2)} ms` : ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}
