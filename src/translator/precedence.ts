import type * as ir from '../ir/index.ts'

/** What HTTP match precedence compares (gateway-api.md §3.3), carried beside each IR entry. */
export interface PrecedenceKey {
  readonly match: ir.HTTPMatch
  readonly routeCreated: string
  /** `namespace/name`. */
  readonly routeKey: string
  readonly ruleIndex: number
  readonly matchIndex: number
}

/**
 * Orders two matches; negative when `a` takes precedence (gateway-api.md §3.3): Exact path over any
 * prefix; the longer prefix; a method over none; more header matches; more query matches; the
 * oldest Route; the Route first by "namespace/name"; then rule order, then match order.
 */
export function comparePrecedence(a: PrecedenceKey, b: PrecedenceKey): number {
  const pa = a.match.path
  const pb = b.match.path
  if (pa.kind !== pb.kind) return pa.kind === 'exact' ? -1 : 1
  if (pa.value.length !== pb.value.length) return pb.value.length - pa.value.length
  const ma = a.match.method === null ? 0 : 1
  const mb = b.match.method === null ? 0 : 1
  if (ma !== mb) return mb - ma
  if (a.match.headers.length !== b.match.headers.length) return b.match.headers.length - a.match.headers.length
  if (a.match.queryParams.length !== b.match.queryParams.length) return b.match.queryParams.length - a.match.queryParams.length
  if (a.routeCreated !== b.routeCreated) return a.routeCreated < b.routeCreated ? -1 : 1
  if (a.routeKey !== b.routeKey) return a.routeKey < b.routeKey ? -1 : 1
  if (a.ruleIndex !== b.ruleIndex) return a.ruleIndex - b.ruleIndex
  return a.matchIndex - b.matchIndex
}

/**
 * Element-wise PathPrefix matching (gateway-api.md §2.3), the reference the data plane must agree
 * with: `prefix` is normalized (no trailing `/` unless it is `/`).
 */
export function pathPrefixMatches(prefix: string, path: string): boolean {
  if (prefix === '/') return true
  return path === prefix || path.startsWith(prefix + '/')
}

/** Strips one trailing `/` from a PathPrefix value, unless it is `/` (gateway-api.md §2.3). */
export function normalizePrefix(value: string): string {
  return value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value
}
