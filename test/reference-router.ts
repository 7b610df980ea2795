/**
 * A slow reference router for HTTP, written straight from the Gateway API text
 * (apis/v1/httproute_types.go and gateway_types.go as published in the standard-channel CRDs;
 * research/gateway-api.md §2-§5 quotes them) and nothing else: no index, no precomputed order, no
 * code shared with the translator or the data plane. Given one Gateway's HTTP listeners, its
 * HTTPRoutes and a request, it answers which listener takes the request and which
 * (route, rule, match) serves it, by enumerating every candidate and sorting them by the spec's
 * precedence. The router property test compares the real pipeline (translate → compile → lookup)
 * with it on random configurations and requests.
 *
 * Scope: cleartext HTTP listeners of one Gateway, HTTPRoutes whose objects pass admission.
 * Implementation-specific corners of the spec are marked IMPLEMENTATION CHOICE, with what we chose.
 */

export interface RefListener {
  readonly name: string
  readonly port: number
  readonly protocol: 'HTTP'
  readonly hostname?: string
  readonly allowedRoutes?: { readonly namespaces?: { readonly from?: 'Same' | 'All' } }
}

export interface RefGateway {
  readonly metadata: { readonly name: string; readonly namespace: string }
  readonly spec: { readonly listeners: readonly RefListener[] }
}

export interface RefMatch {
  readonly path?: { readonly type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; readonly value?: string }
  readonly method?: string
  readonly headers?: readonly { readonly type?: 'Exact' | 'RegularExpression'; readonly name: string; readonly value: string }[]
  readonly queryParams?: readonly { readonly type?: 'Exact' | 'RegularExpression'; readonly name: string; readonly value: string }[]
}

export interface RefRoute {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly creationTimestamp: string }
  readonly spec: {
    readonly parentRefs?: readonly { readonly name: string; readonly namespace?: string; readonly sectionName?: string; readonly port?: number }[]
    readonly hostnames?: readonly string[]
    readonly rules?: readonly { readonly matches?: readonly RefMatch[] }[]
  }
}

export interface RefRequest {
  /** The port the request arrived on (a listener port as written). */
  readonly port: number
  /** The Host header as sent, possibly with a port and in any case. */
  readonly host: string
  readonly method: string
  /** The request target's path, without the query. */
  readonly path: string
  /** The raw query string, without `?`. */
  readonly query: string
  /** Header field lines as sent, names in any case; a name may repeat. */
  readonly headers: readonly (readonly [string, string])[]
}

export type RefAnswer =
  | { readonly listener: null }
  | { readonly listener: string; readonly route: null }
  | { readonly listener: string; readonly route: string; readonly rule: number; readonly match: number }

/** Where the request goes: the listener by Host, then the best (route, rule, match), else 404. */
export function referenceRoute(gateway: RefGateway, routes: readonly RefRoute[], req: RefRequest): RefAnswer {
  const host = requestHost(req.host)
  const listener = chooseListener(gateway, req.port, host)
  if (!listener) return { listener: null }
  const candidates: Candidate[] = []
  for (const route of routes) {
    if (!attaches(gateway, listener, route)) continue
    const hostRank = routeHostRank(listener, route, host)
    if (!hostRank) continue
    for (const [i, rule] of (route.spec.rules ?? [{}]).entries()) {
      const matches = rule.matches && rule.matches.length > 0 ? rule.matches : [{}]
      // A rule using a match type we do not implement is dropped whole, with the route's
      // PartiallyInvalid / UnsupportedValue condition (HTTPRouteRule; RegularExpression support
      // is implementation-specific, and we implement none).
      if (matches.some(usesRegularExpression)) continue
      for (const [j, m] of matches.entries()) if (matchHolds(m, req)) candidates.push({ route, rule: i, match: j, m, hostRank })
    }
  }
  if (candidates.length === 0) return { listener: listener.name, route: null }
  const best = candidates.sort(precedence)[0]!
  return { listener: listener.name, route: `${best.route.metadata.namespace}/${best.route.metadata.name}`, rule: best.rule, match: best.match }

  function matchHolds(m: RefMatch, r: RefRequest): boolean {
    return pathMatches(m, r.path) && methodMatches(m, r.method) && headersMatch(m, r.headers) && queryMatches(m, r.query)
  }
}

interface Candidate {
  readonly route: RefRoute
  readonly rule: number
  readonly match: number
  readonly m: RefMatch
  readonly hostRank: HostRank
}

// ---------------------------------------------------------------------------------------------
// Hostnames (HTTPRouteSpec.Hostnames; Listener.Hostname; docs/concepts/hostnames.md)

/**
 * "Implementations MUST ignore any port value specified in the HTTP Host header while performing
 * a match" (HTTPRouteSpec.Hostnames); DNS names compare case-insensitively (RFC 4343).
 * IMPLEMENTATION CHOICE: a trailing dot (the absolute form of the same name, RFC 1034 §3.1) is
 * dropped.
 */
export function requestHost(hostHeader: string): string {
  let h = hostHeader
  if (h.startsWith('[')) h = h.slice(0, h.indexOf(']') + 1)
  else if (h.includes(':')) h = h.slice(0, h.lastIndexOf(':'))
  h = h.toLowerCase()
  return h.endsWith('.') ? h.slice(0, -1) : h
}

/**
 * Does a hostname pattern match a host? "Hostnames that are prefixed with a wildcard label (`*.`)
 * are interpreted as a suffix match. That means that a match for `*.example.com` would match both
 * `test.example.com`, and `foo.test.example.com`, but not `example.com`." An absent hostname
 * matches every host.
 */
export function hostMatches(pattern: string | undefined, host: string): boolean {
  if (pattern === undefined) return true
  const p = pattern.toLowerCase()
  if (!p.startsWith('*.')) return p === host
  const suffix = p.slice(1) // ".example.com"
  return host.endsWith(suffix) && host.length > suffix.length
}

/**
 * Listener choice on one port (GatewaySpec.Listeners, "Listeners that are distinct only by
 * Hostname"): "hostnames MUST match from the most specific to least specific": exact before
 * wildcard before the hostname-less listener; among wildcards, "the higher the number of dots in
 * the hostname to the right of the wildcard character, the higher the precedence". Admission
 * makes (port, protocol, hostname) unique within a Gateway, so there is never a tie.
 */
function chooseListener(gateway: RefGateway, port: number, host: string): RefListener | null {
  const specificity = (l: RefListener): number => {
    if (l.hostname === undefined) return 0
    if (!l.hostname.startsWith('*.')) return 1e6
    return l.hostname.split('.').length - 1 // dots right of `*`
  }
  const matching = gateway.spec.listeners.filter((l) => l.port === port && hostMatches(l.hostname, host))
  matching.sort((a, b) => specificity(b) - specificity(a))
  return matching[0] ?? null
}

/**
 * The hostnames a route serves on a listener: "If both the Listener and HTTPRoute have specified
 * hostnames, any HTTPRoute hostnames that do not match the Listener hostname MUST be ignored", and
 * where they overlap, the request must match both (docs/concepts/hostnames.md, intersection: the
 * more specific of the two). An absent route hostname list inherits the listener's hostname.
 * Returns the patterns the request host is checked against (each one both sides accept).
 */
function effectiveHostnames(listener: RefListener, route: RefRoute): (string | undefined)[] {
  const routeHosts = route.spec.hostnames ?? []
  if (routeHosts.length === 0) return [listener.hostname]
  if (listener.hostname === undefined) return [...routeHosts]
  const out: string[] = []
  for (const r of routeHosts) {
    const l = listener.hostname
    if (patternsOverlap(l, r)) out.push(moreSpecific(l, r))
  }
  return out
}

/** Two patterns overlap when some host matches both. */
function patternsOverlap(a: string, b: string): boolean {
  const wa = a.startsWith('*.')
  const wb = b.startsWith('*.')
  if (!wa && !wb) return a === b
  if (wa && !wb) return hostMatches(a, b)
  if (!wa && wb) return hostMatches(b, a)
  return a.endsWith(b.slice(1)) || b.endsWith(a.slice(1))
}

/** Of two overlapping patterns, the one that matches fewer hosts. */
function moreSpecific(a: string, b: string): string {
  if (!a.startsWith('*.')) return a
  if (!b.startsWith('*.')) return b
  return a.length >= b.length ? a : b
}

/**
 * How well a route's hostnames match the request, for precedence (HTTPRouteSpec.Hostnames): "In
 * the event that multiple HTTPRoutes specify intersecting hostnames ..., precedence must be given
 * to rules from the HTTPRoute with the largest number of: Characters in a matching non-wildcard
 * hostname. Characters in a matching hostname." Null when no hostname of the route matches.
 *
 * IMPLEMENTATION CHOICE: characters are counted on the hostnames the route serves on the listener
 * (the intersection), not on `spec.hostnames` as written; the spec does not say which
 * (kubernetes-sigs/gateway-api#5120 asks). A listener `*.foo.com` with routes `*.foo.com` and
 * `*.com` serves both on `*.foo.com`, so they tie and match precedence decides.
 */
interface HostRank {
  readonly exactChars: number
  readonly chars: number
}

function routeHostRank(listener: RefListener, route: RefRoute, host: string): HostRank | null {
  let best: HostRank | null = null
  for (const h of effectiveHostnames(listener, route)) {
    if (!hostMatches(h, host)) continue
    const rank = h === undefined ? { exactChars: 0, chars: 0 } : h.startsWith('*.') ? { exactChars: 0, chars: h.length } : { exactChars: h.length, chars: h.length }
    if (!best || rank.exactChars > best.exactChars || (rank.exactChars === best.exactChars && rank.chars > best.chars)) best = rank
  }
  return best
}

// ---------------------------------------------------------------------------------------------
// Attachment (ParentReference; Listener.AllowedRoutes)

/**
 * Does the route attach to this listener? Its parentRef must name the Gateway (namespace
 * defaulting to the route's) and, if set, the listener's sectionName and port ("both must match
 * when both are set"); the listener must allow the route's namespace (`from`: Same by default, or
 * All); and if both sides have hostnames, at least one must intersect.
 */
function attaches(gateway: RefGateway, listener: RefListener, route: RefRoute): boolean {
  const ns = route.metadata.namespace
  const selected = (route.spec.parentRefs ?? []).some(
    (p) => p.name === gateway.metadata.name && (p.namespace ?? ns) === gateway.metadata.namespace && (p.sectionName === undefined || p.sectionName === listener.name) && (p.port === undefined || p.port === listener.port),
  )
  if (!selected) return false
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same'
  if (from === 'Same' && ns !== gateway.metadata.namespace) return false
  if (!anyRuleImplemented(route)) return false // Accepted=False: no rule left to serve
  return effectiveHostnames(listener, route).length > 0
}

function anyRuleImplemented(route: RefRoute): boolean {
  return (route.spec.rules ?? [{}]).some((r) => !(r.matches ?? []).some(usesRegularExpression))
}

function usesRegularExpression(m: RefMatch): boolean {
  return m.path?.type === 'RegularExpression' || (m.headers ?? []).some((h) => h.type === 'RegularExpression') || (m.queryParams ?? []).some((q) => q.type === 'RegularExpression')
}

// ---------------------------------------------------------------------------------------------
// One match (HTTPRouteMatch: every field present must hold)

/** The path match, defaulting to `PathPrefix /` (HTTPRouteMatch.Path), its value in equivalent form. */
function pathOf(m: RefMatch): { type: 'Exact' | 'PathPrefix'; value: string } {
  return { type: m.path?.type === 'Exact' ? 'Exact' : 'PathPrefix', value: equivalent(m.path?.value ?? '/') }
}

/**
 * The form in which a request path and a path value are compared. RFC 3986 §6.2.2.2: "URIs that
 * differ in the replacement of an unreserved character with its corresponding percent-encoded
 * US-ASCII octet are equivalent", and §6.2.2.1: the hex digits' case does not matter; the CRD
 * admits `%XX` in values, so `/%61` and `/a` are one path on both sides.
 * IMPLEMENTATION CHOICE: repeated `/` are merged (the data plane's normalisation, docs/reliability.md).
 */
function equivalent(path: string): string {
  return path
    .replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
      const c = String.fromCharCode(Number.parseInt(hex, 16))
      return /^[A-Za-z0-9._~-]$/.test(c) ? c : escape.toUpperCase()
    })
    .replace(/\/{2,}/g, '/')
}

/**
 * PathMatchType: Exact is case-sensitive equality. PathPrefix is "a URL path prefix split by `/`.
 * Matching is case-sensitive and done on a path element by element basis. A path element refers to
 * the list of labels in the path split by the `/` separator. When specified, a trailing `/` is
 * ignored. For example, the paths `/abc`, `/abc/`, and `/abc/def` would all match the prefix `/abc`,
 * but the path `/abcd` would not."
 */
function pathMatches(m: RefMatch, raw: string): boolean {
  const p = pathOf(m)
  const path = equivalent(raw)
  if (p.type === 'Exact') return path === p.value
  const prefix = elements(p.value)
  const got = elements(path)
  if (got.length < prefix.length) return false
  return prefix.every((e, i) => e === got[i])
}

/** `/a/b/` → ['a', 'b']: the labels between separators, the empty label after a trailing `/` ignored. */
function elements(path: string): string[] {
  const parts = path.split('/').slice(1)
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

/** HTTPRouteMatch.Method: "When specified, this route will be matched only if the request has the specified method." */
function methodMatches(m: RefMatch, method: string): boolean {
  return m.method === undefined || m.method === method
}

/**
 * The entries that count: "If multiple entries specify equivalent header names, only the first
 * entry with an equivalent name MUST be considered for a match" (names case-insensitive), and the
 * same for query params (names case-sensitive).
 */
function firstPerName<T extends { name: string }>(entries: readonly T[], fold: (n: string) => string): T[] {
  const seen = new Set<string>()
  return entries.filter((e) => !seen.has(fold(e.name)) && seen.add(fold(e.name)))
}

/**
 * HTTPHeaderMatch: names case-insensitive, Exact values case-sensitive. "When a header is repeated
 * in an HTTP request, it is implementation-specific behavior as to how this is represented.
 * Generally, proxies should follow the guidance from the RFC" (RFC 7230 §3.2.2: repeated fields are
 * one comma-separated list).
 * IMPLEMENTATION CHOICE: the header matches if the whole list equals the value, or if its first
 * element (up to the first `,`, trimmed) does.
 */
function headersMatch(m: RefMatch, headers: RefRequest['headers']): boolean {
  return firstPerName(m.headers ?? [], (n) => n.toLowerCase()).every((h) => {
    const values = headers.filter(([n]) => n.toLowerCase() === h.name.toLowerCase()).map(([, v]) => v)
    if (values.length === 0) return false
    const list = values.join(', ')
    return list === h.value || list.split(',')[0]!.trim() === h.value
  })
}

/**
 * HTTPQueryParamMatch: names case-sensitive, values exact. "If a query param is repeated in an
 * HTTP request, ... it is *recommended* that implementations should match against the first value".
 * IMPLEMENTATION CHOICE: the query is decoded as application/x-www-form-urlencoded (WHATWG URL
 * §5.1: `+` is a space, percent-escapes decoded, invalid ones kept as written).
 */
function queryMatches(m: RefMatch, query: string): boolean {
  const params = new URLSearchParams(query)
  return firstPerName(m.queryParams ?? [], (n) => n).every((q) => params.get(q.name) === q.value)
}

// ---------------------------------------------------------------------------------------------
// Precedence (HTTPRouteRule.Matches, HTTPRouteSpec.Hostnames)

/**
 * Negative when `a` wins. First the route's hostname (above); then, "Across all rules specified on
 * applicable Routes, precedence must be given to the match having: 'Exact' path match. 'Prefix'
 * path match with largest number of characters. Method match. Largest number of header matches.
 * Largest number of query param matches. ... If ties still exist across multiple Routes, ... The
 * oldest Route based on creation timestamp. The Route appearing first in alphabetical order by
 * '{namespace}/{name}'. If ties still exist within an HTTPRoute, matching precedence MUST be
 * granted to the FIRST matching rule (in list order) with a match meeting the above criteria."
 *
 * IMPLEMENTATION CHOICE: a PathPrefix's characters are counted without the trailing `/` the spec
 * says is ignored (`/abc/` and `/abc` are the same prefix and tie). creationTimestamp is compared
 * as a time at the one-second precision Kubernetes stores (metav1.Time), not as text.
 */
function precedence(a: Candidate, b: Candidate): number {
  return (
    b.hostRank.exactChars - a.hostRank.exactChars ||
    b.hostRank.chars - a.hostRank.chars ||
    exactFirst(a.m) - exactFirst(b.m) ||
    prefixChars(b.m) - prefixChars(a.m) ||
    Number(b.m.method !== undefined) - Number(a.m.method !== undefined) ||
    firstPerName(b.m.headers ?? [], (n) => n.toLowerCase()).length - firstPerName(a.m.headers ?? [], (n) => n.toLowerCase()).length ||
    firstPerName(b.m.queryParams ?? [], (n) => n).length - firstPerName(a.m.queryParams ?? [], (n) => n).length ||
    seconds(a.route.metadata.creationTimestamp) - seconds(b.route.metadata.creationTimestamp) ||
    alphabetical(`${a.route.metadata.namespace}/${a.route.metadata.name}`, `${b.route.metadata.namespace}/${b.route.metadata.name}`) ||
    a.rule - b.rule ||
    a.match - b.match
  )
}

function exactFirst(m: RefMatch): number {
  return pathOf(m).type === 'Exact' ? 0 : 1
}

/** IMPLEMENTATION CHOICE: the characters of the value in equivalent form (`/%61` counts as `/a`), the form that is matched. */
function prefixChars(m: RefMatch): number {
  const p = pathOf(m)
  if (p.type !== 'PathPrefix') return 0
  return p.value.length > 1 && p.value.endsWith('/') ? p.value.length - 1 : p.value.length
}

function seconds(t: string): number {
  return Math.floor(Date.parse(t) / 1000)
}

function alphabetical(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
