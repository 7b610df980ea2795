/**
 * Hostname semantics of the Gateway API (gateway-api.md §4). Hostnames are compared
 * case-insensitively; `*` (or null) stands for "any"; a leading `*.` label matches one or more
 * labels, so `*.example.com` matches `a.b.example.com` but not `example.com`.
 */

/** Does the pattern (exact, `*.` wildcard, `*`, or null) match the concrete host? (§4.1) */
export function hostnameMatches(pattern: string | null, host: string): boolean {
  if (pattern === null || pattern === '*') return true
  const p = pattern.toLowerCase()
  const h = stripPort(host).toLowerCase()
  if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1
  return p === h
}

/** A Host header is matched without its port (§4.1). IPv6 literals keep their brackets. */
export function stripPort(host: string): string {
  const m = /^(\[[^\]]*\]|[^:]*)(:\d*)?$/.exec(host)
  return m ? m[1]! : host
}

/**
 * The intersection of a listener hostname and a route hostname (§4.2): the more specific of the
 * two when one contains the other, else undefined. `*`/null means any; the result is then the
 * other side (null when both are any).
 */
export function intersectHostnames(listener: string | null, route: string | null): string | null | undefined {
  const l = listener === null || listener === '*' ? null : listener.toLowerCase()
  const r = route === null || route === '*' ? null : route.toLowerCase()
  if (l === null) return r
  if (r === null) return l
  const lw = l.startsWith('*.')
  const rw = r.startsWith('*.')
  if (!lw && !rw) return l === r ? l : undefined
  if (lw && !rw) return hostnameMatches(l, r) ? r : undefined
  if (!lw && rw) return hostnameMatches(r, l) ? l : undefined
  // Both wildcards: one suffix must contain the other; the longer (more specific) one wins.
  if (l === r) return l
  if (l.endsWith(r.slice(1))) return l
  if (r.endsWith(l.slice(1))) return r
  return undefined
}

/**
 * Orders hostnames most specific first (§4.3): exact names first, then wildcards with more labels
 * right of `*` (longer suffix), then any (`*`/null). Ties break alphabetically for determinism.
 */
export function compareSpecificity(a: string | null, b: string | null): number {
  const rank = (h: string | null) => (h === null || h === '*' ? 2 : h.startsWith('*.') ? 1 : 0)
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (ra === 1) {
    const la = a!.split('.').length
    const lb = b!.split('.').length
    if (la !== lb) return lb - la
    if (a!.length !== b!.length) return b!.length - a!.length
  }
  return (a ?? '').localeCompare(b ?? '')
}

/** The most specific pattern among `candidates` matching `host`, or undefined (listener selection, §4.3). */
export function selectMostSpecific<T>(candidates: readonly T[], hostOf: (c: T) => string | null, host: string): T | undefined {
  return [...candidates].sort((x, y) => compareSpecificity(hostOf(x), hostOf(y))).find((c) => hostnameMatches(hostOf(c), host))
}
