/**
 * Reads the SNI and ALPN of a TLS ClientHello without terminating TLS, so a gateway can route a
 * passthrough connection by SNI and replay the same bytes to the backend (gateway-api.md §6).
 *
 * Pure and allocation-light: it walks record headers in place and copies the handshake message
 * only once it is complete. A caller appends what the socket delivers and asks again until the
 * answer is not `need-more`; every answer is final except that one.
 *
 * Formats: TLS records (RFC 8446 §5.1, RFC 5246 §6.2), the ClientHello (RFC 8446 §4.1.2, RFC 5246
 * §7.4.1.2), server_name (RFC 6066 §3), application_layer_protocol_negotiation (RFC 7301 §3.1).
 * A ClientHello may span several records, and records several TCP segments; both are handled.
 */

/** The largest ClientHello message accepted (body and its 4-byte header): one full record. */
export const MAX_HANDSHAKE_BYTES = 16384
/** The most records a ClientHello may be split into (a real client uses one; a few is legal). */
export const MAX_RECORDS = 32
/** The most bytes a caller ever needs to buffer before the answer is final. */
export const MAX_CLIENT_HELLO_BYTES = MAX_HANDSHAKE_BYTES + MAX_RECORDS * 5

export type ClientHello =
  /** Not enough bytes yet: read more and ask again. */
  | { readonly kind: 'need-more' }
  /** `sni` lower-cased (null: the client sent none); `alpn` as offered, in the client's order. */
  | { readonly kind: 'ok'; readonly sni: string | null; readonly alpn: readonly string[] }
  /** The first bytes are not a TLS handshake record at all (plain text, HTTP, SSLv2). */
  | { readonly kind: 'not-tls'; readonly reason: string }
  /** TLS, but broken or beyond our limits. */
  | { readonly kind: 'malformed'; readonly reason: string }

const HANDSHAKE = 22
const CLIENT_HELLO = 1
const EXT_SERVER_NAME = 0
const EXT_ALPN = 16
const NEED_MORE: ClientHello = { kind: 'need-more' }

const malformed = (reason: string): ClientHello => ({ kind: 'malformed', reason })

/** Parses the ClientHello at the start of `data` (everything the client has sent so far). */
export function readClientHello(data: Uint8Array): ClientHello {
  if (data.length === 0) return NEED_MORE
  if (data[0] !== HANDSHAKE) return { kind: 'not-tls', reason: `the first byte is ${data[0]}, not a TLS handshake record (22)` }
  // Record fragments, as views into `data`: the handshake message is their concatenation.
  const fragments: Uint8Array[] = []
  let have = 0
  let off = 0
  while (off < data.length) {
    const first = fragments.length === 0
    if (data[off] !== HANDSHAKE) return malformed(`a record of type ${data[off]} interrupts the ClientHello (RFC 8446 §5.1)`)
    // legacy_record_version is 3.x: 0x0301 (or 0x0300) in a first ClientHello, 0x0303 after.
    if (off + 1 < data.length && data[off + 1] !== 3) return first ? { kind: 'not-tls', reason: `record version ${data[off + 1]}.x is not TLS` } : malformed(`record version ${data[off + 1]}.x is not TLS`)
    if (off + 2 < data.length && data[off + 2]! > 4) return first ? { kind: 'not-tls', reason: `record version 3.${data[off + 2]} is not TLS` } : malformed(`record version 3.${data[off + 2]} is not TLS`)
    if (off + 5 > data.length) return NEED_MORE
    const length = (data[off + 3]! << 8) | data[off + 4]!
    if (length === 0) return malformed('an empty handshake record (RFC 8446 §5.1 forbids them)')
    if (length > 16384) return malformed(`a record of ${length} bytes exceeds 2^14 (RFC 8446 §5.1)`)
    if (fragments.length === MAX_RECORDS) return malformed(`the ClientHello spans more than ${MAX_RECORDS} records`)
    const end = Math.min(off + 5 + length, data.length)
    fragments.push(data.subarray(off + 5, end))
    have += end - off - 5
    off = end
    const verdict = checkHeader(fragments, have)
    if (verdict !== null) return verdict
  }
  return NEED_MORE
}

/** Once the handshake header is in, checks type and size; parses the body once it is complete. */
function checkHeader(fragments: readonly Uint8Array[], have: number): ClientHello | null {
  const at = (i: number): number => {
    for (const f of fragments) {
      if (i < f.length) return f[i]!
      i -= f.length
    }
    return -1
  }
  if (have >= 1 && at(0) !== CLIENT_HELLO) return malformed(`the first handshake message has type ${at(0)}, not ClientHello (1)`)
  if (have < 4) return null
  const length = (at(1) << 16) | (at(2) << 8) | at(3)
  if (length + 4 > MAX_HANDSHAKE_BYTES) return malformed(`a ClientHello of ${length} bytes exceeds the ${MAX_HANDSHAKE_BYTES}-byte limit`)
  if (have < length + 4) return null
  const message = fragments.length === 1 ? fragments[0]! : concat(fragments, have)
  return parseBody(message.subarray(4, 4 + length))
}

function concat(fragments: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total)
  let at = 0
  for (const f of fragments) {
    out.set(f, at)
    at += f.length
  }
  return out
}

/** A cursor over one length-delimited vector; every read is bounds-checked. */
class Reader {
  readonly #b: Uint8Array
  #p: number
  readonly #end: number
  constructor(b: Uint8Array, start = 0, end = b.length) {
    this.#b = b
    this.#p = start
    this.#end = end
  }
  get left(): number {
    return this.#end - this.#p
  }
  u8(): number {
    if (this.left < 1) throw new Truncated()
    return this.#b[this.#p++]!
  }
  u16(): number {
    return (this.u8() << 8) | this.u8()
  }
  skip(n: number): void {
    if (this.left < n) throw new Truncated()
    this.#p += n
  }
  /** A sub-reader over the next `n` bytes, which this reader skips. */
  take(n: number): Reader {
    if (this.left < n) throw new Truncated()
    const r = new Reader(this.#b, this.#p, this.#p + n)
    this.#p += n
    return r
  }
  bytes(n: number): Uint8Array {
    if (this.left < n) throw new Truncated()
    const out = this.#b.subarray(this.#p, this.#p + n)
    this.#p += n
    return out
  }
}

class Truncated extends Error {}

/**
 * The extension types met so far in the ClientHello being parsed, one bit per type (2^16 bits):
 * cleared at the start of each parse (8 KiB, far less than the allocations of a set per
 * handshake); parsing is synchronous, so one is enough.
 */
const SEEN = new Uint32Array(65536 / 32)

function parseBody(body: Uint8Array): ClientHello {
  try {
    const r = new Reader(body)
    r.skip(2 + 32) // legacy_version, random
    const sessionId = r.u8()
    if (sessionId > 32) return malformed(`legacy_session_id of ${sessionId} bytes exceeds 32`)
    r.skip(sessionId)
    const suites = r.u16()
    if (suites < 2 || suites % 2 !== 0) return malformed(`cipher_suites has ${suites} bytes; it needs a positive even number`)
    r.skip(suites)
    const compression = r.u8()
    if (compression < 1) return malformed('legacy_compression_methods is empty')
    r.skip(compression)
    // TLS 1.2 and earlier may omit the extensions block entirely (RFC 5246 §7.4.1.2).
    if (r.left === 0) return { kind: 'ok', sni: null, alpn: [] }
    const length = r.u16()
    if (length !== r.left) return malformed(`the extensions block says ${length} bytes but ${r.left} follow`)
    let sni: string | null = null
    let alpn: readonly string[] = []
    SEEN.fill(0)
    while (r.left > 0) {
      const type = r.u16()
      const size = r.u16()
      // RFC 8446 §4.2: at most one extension of each type.
      const bit = 1 << (type & 31)
      if ((SEEN[type >>> 5]! & bit) !== 0) return malformed(`extension ${type} appears twice`)
      SEEN[type >>> 5]! |= bit
      // Only the two extensions read here get a reader of their own; the rest are skipped.
      if (type === EXT_SERVER_NAME) {
        const name = serverName(r.take(size))
        if (typeof name !== 'string') return name
        sni = name
      } else if (type === EXT_ALPN) {
        const list = protocols(r.take(size))
        if (!Array.isArray(list)) return list as ClientHello
        alpn = list
      } else r.skip(size)
    }
    return { kind: 'ok', sni, alpn }
  } catch (e) {
    if (e instanceof Truncated) return malformed('a length runs past the end of its enclosing structure')
    throw e
  }
}

/** RFC 6066 §3: ServerNameList of (name_type, HostName); one host_name (type 0) at most. */
function serverName(ext: Reader): string | ClientHello {
  const list = ext.take(ext.u16())
  if (ext.left !== 0) return malformed('trailing bytes after the server_name list')
  if (list.left === 0) return malformed('an empty server_name list')
  let host: string | null = null
  while (list.left > 0) {
    const type = list.u8()
    // Only host_name is defined, and other types carry no length we could skip by.
    if (type !== 0) return malformed(`server_name type ${type} is not host_name (0)`)
    if (host !== null) return malformed('two host_name entries (RFC 6066 §3 allows one)')
    const name = list.bytes(list.u16())
    const checked = hostName(name)
    if (checked === null) return malformed('the host_name is not a DNS name (RFC 6066 §3: ASCII, no trailing dot)')
    host = checked
  }
  return host!
}

/**
 * The server name OpenSSL read from a ClientHello (tls-direct.ts), checked as `readClientHello`
 * checks its own: lower-cased, or null if it is not a DNS host name.
 */
export function hostNameOf(servername: string): string | null {
  return hostName(Buffer.from(servername, 'latin1'))
}

/** Letters, digits, `-`, `_` in non-empty dot-separated labels; lower-cased. Null if invalid. */
function hostName(b: Uint8Array): string | null {
  if (b.length === 0 || b.length > 253) return null
  let label = 0
  let upper = false
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!
    if (c === 0x2e) {
      if (label === 0) return null
      label = 0
    } else {
      const lower = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f
      if (!lower && !(c >= 0x41 && c <= 0x5a)) return null
      if (!lower) upper = true
      if (++label > 63) return null
    }
  }
  if (label === 0) return null
  // Checked ASCII, so one string made from the bytes at once (not one per character).
  const name = String.fromCharCode.apply(null, b as unknown as number[])
  return upper ? name.toLowerCase() : name
}

/** RFC 7301 §3.1: ProtocolNameList of non-empty names, at least one. */
function protocols(ext: Reader): string[] | ClientHello {
  const list = ext.take(ext.u16())
  if (ext.left !== 0) return malformed('trailing bytes after the ALPN list')
  if (list.left === 0) return malformed('an empty ALPN list')
  const out: string[] = []
  while (list.left > 0) {
    const n = list.u8()
    if (n === 0) return malformed('an empty ALPN protocol name (RFC 7301 §3.1)')
    out.push(String.fromCharCode(...list.bytes(n)))
  }
  return out
}
