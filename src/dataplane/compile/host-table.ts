/**
 * A table keyed by Gateway API hostnames (exact, `*.` wildcard, or any), looked up in time
 * proportional to the number of labels in the request host, never to the size of the table.
 *
 * Wildcard semantics (gateway-api.md §4.1): `*.example.com` matches one or more labels before
 * `example.com` (`a.example.com`, `a.b.example.com`) but not `example.com` itself. Specificity
 * (§4.3): exact first, then the wildcard with more labels right of `*`, then the catch-all.
 */
export interface HostTable<T> {
  /** Lower-cased exact hostnames. */
  readonly exact: ReadonlyMap<string, T>
  /** Keyed by the suffix after `*.`, lower-cased. */
  readonly wildcard: ReadonlyMap<string, T>
  /** The hostname-less (or `*`) entry. */
  readonly any: T | null
}

/**
 * Builds a table; the first entry for a hostname wins (the IR is already in precedence order, so
 * a later duplicate can only be less preferred).
 */
export function buildHostTable<T>(entries: readonly { readonly hostname: string | null; readonly value: T }[]): HostTable<T> {
  const exact = new Map<string, T>()
  const wildcard = new Map<string, T>()
  let any: T | null = null
  for (const { hostname, value } of entries) {
    const h = hostname?.toLowerCase() ?? '*'
    if (h === '*') any ??= value
    else if (h.startsWith('*.')) {
      if (!wildcard.has(h.slice(2))) wildcard.set(h.slice(2), value)
    } else if (!exact.has(h)) exact.set(h, value)
  }
  return { exact, wildcard, any }
}

/** The most specific entry matching `host` (lower-cased, without port), or null. */
export function lookupHost<T>(table: HostTable<T>, host: string): T | null {
  const hit = table.exact.get(host)
  if (hit !== undefined) return hit
  if (table.wildcard.size > 0) {
    // Longest suffix first: `a.b.example.com` tries `b.example.com`, `example.com`, `com`.
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const w = table.wildcard.get(host.slice(dot + 1))
      if (w !== undefined) return w
    }
  }
  return table.any
}

/**
 * Does `general` match every host `specific` matches, and more? `*` covers everything else; a
 * wildcard covers the names and the narrower wildcards under its suffix (`*.example.com` covers
 * `a.example.com` and `*.a.example.com`, not `example.com`); an exact name covers nothing else.
 * Both lower-cased, as in the IR.
 */
export function coversHostname(general: string, specific: string): boolean {
  if (general === specific) return false
  if (general === '*') return true
  if (!general.startsWith('*.') || specific === '*') return false
  const suffix = general.slice(1) // `.example.com`
  const name = specific.startsWith('*.') ? specific.slice(2) : specific
  return name.endsWith(suffix)
}

/**
 * The host part of a Host header or `:authority`, lower-cased, without port (gateway-api.md §4.1:
 * `very.specific.com:1234` matches `very.specific.com`). IPv6 literals keep their brackets.
 */
export function hostWithoutPort(authority: string): string {
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']')
    return (end === -1 ? authority : authority.slice(0, end + 1)).toLowerCase()
  }
  const colon = authority.lastIndexOf(':')
  const host = colon === -1 ? authority : authority.slice(0, colon)
  // A trailing dot names the same DNS host (RFC 1034 §3.1).
  return (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase()
}
