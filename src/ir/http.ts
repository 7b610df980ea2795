import type { InvalidBackend, ServiceBackend, AppProtocol, Endpoint } from './backend.ts'

export interface HeaderValue {
  /** Lower-cased: HTTP header names are case-insensitive. */
  readonly name: string
  readonly value: string
}

/**
 * One HTTPRouteMatch, fully resolved. All fields are ANDed (gateway-api.md §2).
 * - `exact`: byte-for-byte, case-sensitive.
 * - `prefix`: element-wise; `value` has no trailing `/` (unless it is `/`): the path matches if it
 *   equals `value` or starts with `value + "/"`; `/` matches everything. Never against the query.
 */
export interface HTTPMatch {
  readonly path: { readonly kind: 'exact' | 'prefix'; readonly value: string }
  /** Upper-case exact method, or null for any. */
  readonly method: string | null
  /** Names lower-cased, de-duplicated (first wins); values exact and case-sensitive. */
  readonly headers: readonly HeaderValue[]
  /** Names case-sensitive, de-duplicated (first wins); match the first value in the request. */
  readonly queryParams: readonly { readonly name: string; readonly value: string }[]
}

export interface HeaderModifier {
  /** Replace all values. */
  readonly set: readonly HeaderValue[]
  /** Append to existing values (seen as `old,new`). */
  readonly add: readonly HeaderValue[]
  /** Lower-cased names to delete. */
  readonly remove: readonly string[]
}

/**
 * ReplaceFullPath, or ReplacePrefixMatch: replace the matched prefix — the entry's
 * `match.path.value`, always a `prefix` match (admission guarantees it) — element-wise, so
 * `/foo/bar` with prefix `/foo` and replacement `/xyz` or `/xyz/` gives `/xyz/bar`, `/foo` with
 * replacement `""` gives `/` (the full table is in gateway-api.md §7).
 */
export type PathRewrite =
  | { readonly kind: 'full'; readonly value: string }
  | { readonly kind: 'prefix'; readonly replacement: string }

export type HTTPFilter =
  | { readonly kind: 'request-headers'; readonly modifier: HeaderModifier }
  | { readonly kind: 'response-headers'; readonly modifier: HeaderModifier }
  | { readonly kind: 'url-rewrite'; readonly hostname: string | null; readonly path: PathRewrite | null }
  | { readonly kind: 'mirror'; readonly backend: HTTPServiceBackend; readonly fraction: { readonly numerator: number; readonly denominator: number } }

/**
 * A redirect, resolved against the listener (gateway-api.md §7): `scheme` is the redirect's or
 * the listener's; `hostname` null = the request Host without port; `port` null = omit from
 * Location (80 with http, 443 with https); `path` null = the request path unchanged. The query
 * string is kept.
 */
export interface HTTPRedirect {
  readonly scheme: 'http' | 'https'
  readonly hostname: string | null
  readonly port: number | null
  readonly path: PathRewrite | null
  readonly statusCode: 301 | 302 | 303 | 307 | 308
}

export interface HTTPServiceBackend extends ServiceBackend {
  readonly appProtocol: AppProtocol
  /** Backend-level filters: apply only when this backend is chosen, after the rule's filters. */
  readonly filters: readonly HTTPFilter[]
}

export type HTTPBackend = HTTPServiceBackend | InvalidBackend

/** Milliseconds; null = no timeout. On expiry → 504. */
export interface HTTPTimeouts {
  readonly requestMs: number | null
  readonly backendRequestMs: number | null
}

export interface HTTPRetry {
  /** Maximum number of retries (not attempts). */
  readonly attempts: number
  /** Retryable response codes; connection errors and backend timeouts are always retryable. */
  readonly codes: readonly number[]
  readonly backoffMs: number | null
}

/**
 * What to do with a matched request.
 * - `redirect`: answer with Location; no backend contact.
 * - `forward`: pick a backend by weight (weight 0: never). An `invalid` backend's share answers 500;
 *   an empty list, or weights all 0, answers 500 for every request (gateway-api.md §7).
 */
export type HTTPAction =
  | { readonly kind: 'redirect'; readonly redirect: HTTPRedirect }
  | {
      readonly kind: 'forward'
      readonly backends: readonly HTTPBackend[]
      readonly timeouts: HTTPTimeouts
      readonly retry: HTTPRetry | null
    }

/** One (rule, match) pair of an HTTPRoute, in precedence order within its virtual host. */
export interface HTTPRouteEntry {
  /** `httproute/<ns>/<name>/rule/<i>/match/<j>`. */
  readonly name: string
  readonly match: HTTPMatch
  /** Rule-level filters in list order (request side first, as listed). */
  readonly filters: readonly HTTPFilter[]
  readonly action: HTTPAction
}

/**
 * The routes that serve one effective hostname (route hostnames ∩ listener hostname) on a listener.
 * Choose the first virtual host whose hostname matches the Host header (without port); the list is
 * sorted most specific first (exact, then wildcard by length, `*` last). Then the first entry in
 * `routes` whose match matches wins; none → the next virtual host that matches the Host header,
 * and so on; none in any → 404 (gateway-api.md §3: hostname specificity ranks routes, it does not
 * hide a less specific route that matches).
 */
export interface HTTPVirtualHost {
  /** Exact, `*.` wildcard, or `*` (any). */
  readonly hostname: string
  /** Sorted in Gateway API precedence order (gateway-api.md §3.3): first match wins. */
  readonly routes: readonly HTTPRouteEntry[]
}

export interface HTTPListener {
  readonly kind: 'http'
  /** `<gwNs>/<gwName>/<listenerName>`. */
  readonly name: string
  /** Matched against Host; null matches any host. */
  readonly hostname: string | null
  readonly virtualHosts: readonly HTTPVirtualHost[]
}

/**
 * A cleartext HTTP port. Choose the listener by Host (first match in `listeners`, most specific
 * first); listener isolation: no fallback to another listener, no match → 404 (gateway-api.md §4.3).
 */
export interface HTTPPort {
  readonly kind: 'http'
  readonly name: string
  readonly address: string | null
  readonly port: number
  readonly listeners: readonly HTTPListener[]
}

