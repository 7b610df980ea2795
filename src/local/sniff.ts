/** What a client's first bytes say it speaks. */
export type FirstBytes = 'tls' | 'http' | 'tcp' | 'more'

// RFC 9110 §9 methods, plus PRI (the HTTP/2 prior-knowledge preface, RFC 9113 §3.4).
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'PRI']

/**
 * Tells TLS, HTTP/1 and anything else apart from the first bytes a client sends, so one stand-in
 * port answers whatever a route sends it: a TLS handshake record starts 0x16 (RFC 8446 §5.1),
 * an HTTP/1 request starts with a method and a space (RFC 9112 §3). `more` means the bytes so far
 * could still begin a request line; wait for more.
 */
export function sniff(buf: Buffer): FirstBytes {
  if (buf.length === 0) return 'more'
  if (buf[0] === 0x16) return 'tls'
  const head = buf.subarray(0, 11).toString('latin1')
  const space = head.indexOf(' ')
  if (space > 0) return METHODS.includes(head.slice(0, space)) ? 'http' : 'tcp'
  return METHODS.some((m) => m.startsWith(head)) ? 'more' : 'tcp'
}
