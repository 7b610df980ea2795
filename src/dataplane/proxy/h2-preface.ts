/** The HTTP/2 client connection preface (RFC 9113 §3.4), sent first by a prior-knowledge client. */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')

/** The most bytes `sniffPreface` needs to decide. */
export const PREFACE_LENGTH = PREFACE.length

/**
 * Tells an h2c prior-knowledge connection (RFC 9113 §3.3) from HTTP/1.1 by its first bytes:
 * `h2c` once all 24 bytes of the preface are in, `http1` at the first byte that differs (a
 * request line never starts with the preface), null while what arrived is a prefix of it.
 */
export function sniffPreface(b: Uint8Array): 'h2c' | 'http1' | null {
  const n = Math.min(b.length, PREFACE.length)
  for (let i = 0; i < n; i++) if (b[i] !== PREFACE[i]) return 'http1'
  return n === PREFACE.length ? 'h2c' : null
}
