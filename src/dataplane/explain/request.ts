import { hostWithoutPort } from '../compile/index.ts'
import type { ExplainRequest, Explanation } from './types.ts'

export type Req = Explanation['request']

const DEFAULT_PORT: Record<Req['scheme'], number | null> = { http: 80, https: 443, tls: 443, tcp: null, udp: null }

/** The kind of port each scheme needs: HTTPS and raw TLS both arrive on a TLS port. */
export const PORT_KIND = { http: 'http', https: 'tls', tls: 'tls', tcp: 'tcp', udp: 'udp' } as const

/** Request schemes that describe a connection, not an HTTP request. */
export const isConnection = (scheme: Req['scheme']): boolean => scheme === 'tls' || scheme === 'tcp' || scheme === 'udp'

/**
 * The request as the data plane would see it, or why it cannot be explained. Parsed by hand, not
 * with URL: the path is kept as sent, so the data plane's own normalisation can be shown.
 */
export function parseRequest(r: ExplainRequest): Req | string {
  const m = /^(https?|tls|tcp|udp):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(r.url.trim())
  if (!m) return `not an absolute http://, https://, tls://, tcp:// or udp:// URL: ${r.url}`
  const scheme = m[1]!.toLowerCase() as Req['scheme']
  const urlAuthority = m[2]!
  if (urlAuthority === '') return `the URL has no host: ${r.url}`
  const portMatch = /:(\d+)$/.exec(urlAuthority)
  const port = portMatch && !urlAuthority.endsWith(']') ? Number(portMatch[1]) : DEFAULT_PORT[scheme]
  if (port === null) return `a ${scheme}:// URL needs a port (the listener port): ${r.url}`
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v
  const connection = isConnection(scheme)
  // A connection has no Host header; its host is the address dialled (and the SNI for tls://).
  if (!connection) headers.host ??= urlAuthority
  const urlHost = hostWithoutPort(urlAuthority)
  const isIP = /^[\d.]+$/.test(urlHost) || urlHost.startsWith('[')
  const sni = scheme === 'http' || scheme === 'tcp' || scheme === 'udp' ? null : r.sni === undefined ? (isIP ? null : urlHost) : r.sni === null || r.sni === '' ? null : r.sni.toLowerCase()
  const host = connection ? urlHost : hostWithoutPort(headers.host!)
  return { method: connection ? '' : r.method.toUpperCase(), url: r.url, scheme, host, port, path: connection ? '' : m[3] || '/', query: connection ? '' : (m[4] ?? ''), headers, sni }
}

/** What is shown of a request that could not be parsed. */
export function unparsedRequest(r: ExplainRequest): Req {
  return { method: r.method.toUpperCase(), url: r.url, scheme: 'http', host: '', port: 0, path: '', query: '', headers: { ...r.headers }, sni: null }
}
