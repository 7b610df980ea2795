import type * as ir from '../../ir/index.ts'
import { buildHeaderIndex, firstCandidate, INDEX_FROM, type HeaderIndex } from './header-index.ts'
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
 * share the request's path or one of its prefixes), whatever the number of routes; a long bucket
 * is indexed again by header (header-index.ts), so routes told apart only by a header stay flat.
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
  /** Header indexes of the long buckets (header-index.ts), by bucket. */
  readonly indexes: ReadonlyMap<readonly RoutePlan[], HeaderIndex>
  /**
   * The routes of the next less specific virtual host that matches every host this one matches
   * (`*.example.com` after `a.example.com`, `*` after both), tried when nothing here matches.
   * Hostname specificity ranks routes, it does not hide them: "precedence must be given to rules
   * from the HTTPRoute with the largest number of characters in a matching hostname"
   * (HTTPRouteSpec.Hostnames), and a 404 is owed only "when no rules matching a request have been
   * successfully attached" (HTTPRouteRule.Matches). So a request for `a.example.com` that no
   * `a.example.com` route matches is still served by a matching catch-all route.
   */
  readonly fallback: RouteTable | null
}

export function buildRouteTable(routes: readonly ir.HTTPRouteEntry[], fallback: RouteTable | null = null): RouteTable {
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
  const indexes = new Map<readonly RoutePlan[], HeaderIndex>()
  for (const map of [exact, prefix]) for (const bucket of map.values()) if (bucket.length >= INDEX_FROM) indexes.set(bucket, buildHeaderIndex(bucket.map((r) => r.entry.match)))
  return { exact, prefix, size: routes.length, indexes, fallback }
}

/** What of the request the non-path match fields look at. */
export interface MatchInput {
  readonly method: string
  /** Lower-cased names; repeated headers joined with `, ` (node's IncomingMessage.headers). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  /** The raw query string without `?`, or ''. */
  readonly query: string
}

/**
 * The first entry matching `path` (no query) and `input`, in Gateway API precedence: this virtual
 * host's table, then its fallbacks, less specific each time; null → 404.
 */
export function lookupRoute(table: RouteTable, path: string, input: MatchInput): RoutePlan | null {
  let query: Map<string, string> | null = null
  const getQuery = () => (query ??= parseQuery(input.query))
  for (let t: RouteTable | null = table; t !== null; t = t.fallback) {
    const hit = lookupIn(t, path, input, getQuery)
    if (hit) return hit
  }
  return null
}

function lookupIn(table: RouteTable, path: string, input: MatchInput, getQuery: () => Map<string, string>): RoutePlan | null {
  const first = (bucket: readonly RoutePlan[] | undefined): RoutePlan | null => {
    if (!bucket) return null
    const index = bucket.length >= INDEX_FROM ? table.indexes.get(bucket) : undefined
    if (index) {
      const at = firstCandidate(index, input.headers, (i) => matchesRest(bucket[i]!.entry.match, input, getQuery))
      return at === -1 ? null : bucket[at]!
    }
    for (const r of bucket) if (matchesRest(r.entry.match, input, getQuery)) return r
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

/**
 * First value per name, names case-sensitive (§2.6), decoded as application/x-www-form-urlencoded
 * (WHATWG URL §5.1, what URLSearchParams does): `+` is a space, `%XX` a byte, the bytes UTF-8.
 */
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
  const spaced = s.includes('+') ? s.replaceAll('+', ' ') : s
  if (!spaced.includes('%')) return spaced
  try {
    return decodeURIComponent(spaced)
  } catch {
    return lenientPercentDecode(spaced)
  }
}

const utf8 = new TextDecoder()
const isHex = (b: number | undefined) => b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66))

/**
 * WHATWG URL §1.3 percent-decode for what decodeURIComponent refuses: a `%` not followed by two
 * hex digits stays as written, and bytes that are not UTF-8 become U+FFFD (so `a+%zz` is `a %zz`
 * and `%FF` is `\uFFFD`, as URLSearchParams has them, not the raw text).
 */
function lenientPercentDecode(s: string): string {
  const input = new TextEncoder().encode(s)
  const out = new Uint8Array(input.length)
  let n = 0
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!
    if (b === 0x25 && isHex(input[i + 1]) && isHex(input[i + 2])) {
      out[n++] = Number.parseInt(String.fromCharCode(input[i + 1]!, input[i + 2]!), 16)
      i += 2
    } else out[n++] = b
  }
  return utf8.decode(out.subarray(0, n))
}
