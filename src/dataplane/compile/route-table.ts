import type * as ir from '../../ir/index.ts'
import type { WeightedBackends } from './plan.ts'
import { weighBackends } from './weighted.ts'

/** One (rule, match) entry of a virtual host, with the rule it belongs to (for logs and metrics). */
export interface RoutePlan {
  readonly entry: ir.HTTPRouteEntry
  /** `httproute/<ns>/<name>/rule/<i>`: the entry name without its `/match/<j>`. */
  readonly rule: string
  /** The forward action's backends with cumulative weights; null for a redirect. */
  readonly weighted: WeightedBackends | null
}

/**
 * A virtual host's routes indexed by path, so that a lookup costs O(path segments + entries that
 * share the request's path or one of its prefixes), whatever the number of routes.
 *
 * Why this is exactly the Gateway API order (gateway-api.md §3.3): the first two precedence keys are
 * "exact beats prefix" and "longer prefix wins". All prefixes that match one path are prefixes of
 * each other, so walking the path's own prefixes from longest to shortest visits candidate
 * buckets in precedence order; within a bucket, entries keep the IR's order, which already applied
 * the remaining keys (method, headers, query, age, name, rule order).
 */
export interface RouteTable {
  readonly exact: ReadonlyMap<string, readonly RoutePlan[]>
  /** Keyed by prefix value without trailing `/` (`/` for the root prefix). */
  readonly prefix: ReadonlyMap<string, readonly RoutePlan[]>
  /** How many entries the table holds. */
  readonly size: number
}

export function buildRouteTable(routes: readonly ir.HTTPRouteEntry[]): RouteTable {
  const exact = new Map<string, RoutePlan[]>()
  const prefix = new Map<string, RoutePlan[]>()
  for (const entry of routes) {
    const plan: RoutePlan = { entry, rule: entry.name.replace(/\/match\/\d+$/, ''), weighted: entry.action.kind === 'forward' ? weighBackends(entry.action.backends) : null }
    const { kind, value } = entry.match.path
    const map = kind === 'exact' ? exact : prefix
    const key = kind === 'prefix' && value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value
    const bucket = map.get(key)
    if (bucket) bucket.push(plan)
    else map.set(key, [plan])
  }
  return { exact, prefix, size: routes.length }
}

/** What of the request the non-path match fields look at. */
export interface MatchInput {
  readonly method: string
  /** Lower-cased names; repeated headers joined with `, ` (node's IncomingMessage.headers). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The raw query string without `?`, or ''. */
  readonly query: string
}

/** The first entry matching `path` (no query) and `input`, in Gateway API precedence; null → 404. */
export function lookupRoute(table: RouteTable, path: string, input: MatchInput): RoutePlan | null {
  let query: Map<string, string> | null = null
  const getQuery = () => (query ??= parseQuery(input.query))
  const first = (bucket: readonly RoutePlan[] | undefined): RoutePlan | null => {
    if (bucket) for (const r of bucket) if (matchesRest(r.entry.match, input, getQuery)) return r
    return null
  }
  const hit = first(table.exact.get(path))
  if (hit) return hit
  if (table.prefix.size === 0) return null
  // Element-wise prefixes of the path, longest first: `/a/b/` → `/a/b/`, `/a/b`, `/a`, `/`.
  let p = path
  for (;;) {
    const r = first(table.prefix.get(p === '' ? '/' : p))
    if (r) return r
    if (p === '' || p === '/') return null
    const slash = p.lastIndexOf('/')
    p = slash <= 0 ? '' : p.slice(0, slash)
  }
}

function matchesRest(m: ir.HTTPMatch, input: MatchInput, query: () => Map<string, string>): boolean {
  // gateway-api.md §2.7: exact upper-case method.
  if (m.method !== null && m.method !== input.method) return false
  for (const h of m.headers) {
    const v = input.headers[h.name]
    // Exact, case-sensitive value (§2.5); node joins repeated headers, so compare the first value
    // as well as the whole line.
    if (v === undefined) return false
    const s = Array.isArray(v) ? v[0] : v
    if (s !== h.value && s?.split(',')[0]?.trim() !== h.value) return false
  }
  for (const q of m.queryParams) if (query().get(q.name) !== q.value) return false
  return true
}

/** First value per name, names case-sensitive (§2.6); `+` is a space in form encoding. */
export function parseQuery(raw: string): Map<string, string> {
  const out = new Map<string, string>()
  if (raw === '') return out
  for (const part of raw.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const name = decode(eq === -1 ? part : part.slice(0, eq))
    if (!out.has(name)) out.set(name, eq === -1 ? '' : decode(part.slice(eq + 1)))
  }
  return out
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    return s
  }
}
