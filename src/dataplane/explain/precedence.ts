import type * as ir from '../../ir/index.ts'
import type { PrecedenceStep } from './types.ts'

/** A matching entry with what precedence compares (gateway-api.md §3.3). */
export interface Ranked {
  readonly match: ir.HTTPMatch
  /** `<ns>/<name>`. */
  readonly route: string
  /** RFC 3339, or null when not known. */
  readonly created: string | null
  readonly rule: number
  readonly index: number
  /** The virtual host the entry belongs to, and how far down the fallback chain (0: the Host's own). */
  readonly virtualHost: string
  readonly depth: number
}

/** The number of the step, 1-based, as the Gateway API lists them. */
export const STEP_NUMBER: Record<PrecedenceStep, number> = { 'exact-path': 1, 'longest-prefix': 2, method: 3, 'most-headers': 4, 'most-query-params': 5, 'oldest-route': 6, 'route-name': 7, 'rule-order': 8 }

/**
 * The first precedence step at which `a` and `b` differ (gateway-api.md §3.3: exact path, longest
 * prefix, method, most headers, most query params, oldest route, namespace/name, rule order), with
 * a sentence saying why, and whether that step puts `a` first (false would contradict the data
 * plane's choice of `a`).
 */
export function separate(a: Ranked, b: Ranked): { step: PrecedenceStep | 'hostname'; why: string; favoursA: boolean } {
  // Before the eight steps: rules of the most specific matching hostname come first
  // (HTTPRouteSpec.Hostnames); a less specific host's rules are only a fallback (route-table.ts).
  if (a.depth !== b.depth) {
    const [near, far] = a.depth < b.depth ? [a, b] : [b, a]
    return { step: 'hostname', why: `the rules for ${near.virtualHost} are tried before those for ${far.virtualHost}, a less specific hostname that covers it`, favoursA: near === a }
  }
  const pa = a.match.path
  const pb = b.match.path
  if (pa.kind !== pb.kind) return { step: 'exact-path', why: `an Exact path match (${(pa.kind === 'exact' ? pa : pb).value}) beats any PathPrefix match`, favoursA: pa.kind === 'exact' }
  if (pa.value.length !== pb.value.length) {
    const [long, short] = pa.value.length > pb.value.length ? [pa, pb] : [pb, pa]
    return { step: 'longest-prefix', why: `the longer prefix wins: ${long.value} (${long.value.length} characters) over ${short.value} (${short.value.length})`, favoursA: long === pa }
  }
  const ma = a.match.method !== null
  if (ma !== (b.match.method !== null)) return { step: 'method', why: `a match with a method (${a.match.method ?? b.match.method}) beats one without`, favoursA: ma }
  const ha = a.match.headers.length
  const hb = b.match.headers.length
  if (ha !== hb) return { step: 'most-headers', why: `more header matches win: ${Math.max(ha, hb)} over ${Math.min(ha, hb)}`, favoursA: ha > hb }
  const qa = a.match.queryParams.length
  const qb = b.match.queryParams.length
  if (qa !== qb) return { step: 'most-query-params', why: `more query parameter matches win: ${Math.max(qa, qb)} over ${Math.min(qa, qb)}`, favoursA: qa > qb }
  if (a.route !== b.route) {
    if (a.created !== null && b.created !== null && a.created !== b.created) {
      const [old, young] = a.created < b.created ? [a, b] : [b, a]
      return { step: 'oldest-route', why: `the older route wins: ${old.route} was created ${old.created}, ${young.route} ${young.created}`, favoursA: old === a }
    }
    const [first, second] = a.route < b.route ? [a, b] : [b, a]
    const when = a.created === null || b.created === null ? ' (creation times not known here; the older route would win first)' : ', both created at the same time'
    return { step: 'route-name', why: `${first.route} comes before ${second.route} in namespace/name order${when}`, favoursA: first === a }
  }
  if (a.rule !== b.rule) return { step: 'rule-order', why: `in route ${a.route}, rule ${Math.min(a.rule, b.rule)} comes before rule ${Math.max(a.rule, b.rule)}`, favoursA: a.rule < b.rule }
  return { step: 'rule-order', why: `in rule ${a.rule} of ${a.route}, match ${Math.min(a.index, b.index)} comes before match ${Math.max(a.index, b.index)}`, favoursA: a.index < b.index }
}
