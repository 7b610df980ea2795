/**
 * The one normalisation a request path gets before route matching, so that the path a route
 * matched is the path its backend will see, and a route's prefix cannot be escaped by spelling
 * (docs/reliability.md, "Path normalisation", explains every rule and the choices behind them).
 *
 * Input: the path of an origin-form request-target (RFC 9112 §3.2.1), without the query, one
 * character per byte as it came off the wire (node's parser hands `req.url` over that way).
 * Output: the normalized path, which the proxy matches AND forwards; or why the request is refused
 * (400). Pure, total, idempotent: normalizing a normalized path changes nothing.
 */
export type NormalizedPath = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string }

const HEX = '0123456789ABCDEF'

/** RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
function isUnreserved(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e
}

/** pchar without pct-encoded (RFC 3986 §3.3): unreserved, sub-delims, `:` and `@`, by code. */
const PCHAR = new Uint8Array(128)
for (let c = 0; c < 128; c++) if (isUnreserved(c) || "!$&'()*+,;=:@".includes(String.fromCharCode(c))) PCHAR[c] = 1

/** What a path segment may hold as written (RFC 3986 §3.3 pchar, minus pct-encoded): unreserved, sub-delims, ":" and "@". */
function isPchar(c: number): boolean {
  return c < 128 && PCHAR[c] === 1
}

/**
 * Whether `raw` is already in normal form with nothing to decode, encode or resolve: only pchar
 * and `/`, no `%`, no empty segment (`//`) and no segment starting with a dot (`/.`, which also
 * covers every dot segment and every segment that could decode or be read as one). The usual
 * path; it is returned as it is, without being rebuilt character by character.
 */
function isPlain(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 0x2f) {
      const next = raw.charCodeAt(i + 1)
      if (next === 0x2f || next === 0x2e) return false
    } else if (!isPchar(c)) return false
  }
  return true
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

function encodeByte(b: number): string {
  return `%${HEX[b >> 4]}${HEX[b & 15]}`
}

const refuse = (reason: string): NormalizedPath => ({ ok: false, reason })

export function normalizePath(raw: string): NormalizedPath {
  if (raw.charCodeAt(0) === 0x2f && isPlain(raw)) return { ok: true, path: raw }
  return normalizeFully(raw)
}

/** normalizePath without its shortcut for plain paths (exported so a test can show both agree). */
export function normalizeFully(raw: string): NormalizedPath {
  if (raw.charCodeAt(0) !== 0x2f) return refuse('the request path must start with "/"')
  // 1. Character by character: decode what RFC 3986 §6.2.2.2 says is the same either way
  //    (unreserved), upper-case the hex of every escape kept (§6.2.2.1), encode what a client
  //    should have encoded, refuse what no path may hold.
  let out = ''
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c > 0xff) return refuse('the request path holds a character that is not a byte')
    if (c <= 0x20 || c === 0x7f) return refuse('the request path holds a control character or a space')
    if (c === 0x23) return refuse('the request path holds "#" (a fragment is never sent)')
    if (c === 0x5c) return refuse('the request path holds "\\", which some servers read as "/"')
    if (c === 0x25) {
      const hi = hexValue(raw.charCodeAt(i + 1))
      const lo = hexValue(raw.charCodeAt(i + 2))
      if (hi < 0 || lo < 0) return refuse('the request path holds a "%" that does not start a %XX escape')
      const b = hi * 16 + lo
      if (b === 0x2f || b === 0x5c) return refuse('the request path holds an encoded slash (%2F or %5C)')
      if (b === 0) return refuse('the request path holds an encoded NUL (%00)')
      out += isUnreserved(b) ? String.fromCharCode(b) : encodeByte(b)
      i += 2
    } else if (c === 0x2f || isPchar(c)) out += raw[i]
    else out += encodeByte(c) // `"<>[]^`{|}` and bytes ≥ 0x80: escaped, the form a backend expects
  }
  // 2. Segments: empty ones (`//`) go; dot segments resolve (RFC 3986 §5.2.4), never above the root.
  const segments = out.split('/').slice(1)
  const kept: string[] = []
  let lastWasDot = false
  for (const s of segments) {
    if (s === '') continue
    if (isDotSegment(s)) {
      if (s === '..') kept.pop()
      lastWasDot = true
      continue
    }
    // A segment that becomes a dot segment only once a backend decodes the rest or drops `;`
    // parameters (`..;x`, `..%3B`, as servlet containers do) would resolve behind our back.
    if (isDotSegment(decodeAll(s).split(';')[0]!)) return refuse(`the request path segment "${s}" resolves to a dot segment on some servers`)
    kept.push(s)
    lastWasDot = false
  }
  // `/a/` and `/a/b/..` name a directory (§5.2.4 keeps the slash); `/a//` is `/a/`.
  const directory = kept.length > 0 && (segments[segments.length - 1] === '' || lastWasDot)
  return { ok: true, path: `/${kept.join('/')}${directory ? '/' : ''}` }
}

function isDotSegment(s: string): boolean {
  return s === '.' || s === '..'
}

/** Every %XX decoded to its byte (as a character); for checking what a backend might read. */
function decodeAll(s: string): string {
  return s.includes('%') ? s.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))) : s
}
