/**
 * Field names (RFC 9110 §5.1: a token) checked and lower-cased through a bounded cache. Peers send
 * the same few names on every message; a hit skips the token check and the lower-casing. Bounded,
 * so a peer sending ever new names cannot grow it without end: past the bound, names are checked
 * and lower-cased as they come.
 *
 * The cached names are internalized (V8's string table): the `headers` objects they key, the
 * `switch` on well-known names and the hop-by-hop set then compare and hash nothing. A fresh
 * lower-cased string would be looked up in the string table at every property store.
 */

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** A cached name: the spelling seen and its lower-cased form, both internalized. */
interface Known {
  readonly raw: string
  readonly name: string
}
const NAMES = new Map<string, Known>()
const MAX_NAMES = 2048
/** Longer names are not cached or remembered: no common field name comes near it. */
const MAX_REMEMBERED = 64

/** `s` as V8's internalized copy: property keys are internalized, so the key read back is. */
function internalize(s: string): string {
  return Object.keys({ [s]: 0 })[0]!
}

/** The cache's entry for `raw`, made now if `raw` is a token and there is room; else null. */
function known(raw: string): Known | null {
  const hit = NAMES.get(raw)
  if (hit !== undefined) return hit
  if (NAMES.size >= MAX_NAMES || raw.length > MAX_REMEMBERED || !TOKEN.test(raw)) return null
  // The key is an internalized copy too: `raw` is a slice of a message's head, which a cached
  // slice would keep alive for the life of the process.
  const k: Known = { raw: internalize(raw), name: internalize(raw.toLowerCase()) }
  NAMES.set(k.raw, k)
  return k
}

/** `raw` lower-cased, or null when it is not a token. */
export function fieldName(raw: string): string | null {
  const k = known(raw)
  return k !== null ? k.name : uncached(raw)
}

/** `fieldName` for a name the cache has no entry and no room for. */
function uncached(raw: string): string | null {
  return TOKEN.test(raw) ? raw.toLowerCase() : null
}

/** Lines remembered per message: more than any common message has, few enough to stay small. */
const MAX_LINES = 32

/**
 * The field names of one connection's previous message, by line: a peer sends the same fields in
 * the same order message after message, so most lines are matched in place (`startsWith` at the
 * line's offset) without slicing the name out or hashing it; any other line goes through
 * `fieldName`. At most 32 names of up to 64 characters each are kept per connection.
 */
export class FieldNameMemo {
  readonly #raw: string[] = []
  readonly #name: string[] = []

  /** The name of field line `line` of `text`, which spans `start`..`colon`; null if not a token. */
  get(text: string, start: number, colon: number, line: number): string | null {
    const raw = this.#raw[line]
    if (raw !== undefined && raw.length === colon - start && text.startsWith(raw, start)) return this.#name[line]!
    const fresh = text.slice(start, colon)
    if (line >= MAX_LINES) return fieldName(fresh)
    const k = known(fresh)
    if (k === null) return uncached(fresh)
    // The cache's internalized copy, not the slice, which would keep the whole head it came from
    // alive for as long as the connection lasts. Taken from the cache rather than internalized
    // again: a connection's first message (every message, with `Connection: close`) would
    // otherwise pay for it on every line.
    this.#raw[line] = k.raw
    this.#name[line] = k.name
    return k.name
  }
}
