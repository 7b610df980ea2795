import type { HTTPPortPlan, ListenerPlan, RoutePlan, TLSPortPlan } from '../compile/index.ts'
import { hostWithoutPort, lookupHost, lookupRoute, normalizePath } from '../compile/index.ts'

/** Where a request goes, or the status that answers it before any backend is chosen. */
export type Routed =
  | { readonly kind: 'route'; readonly listener: ListenerPlan; readonly route: RoutePlan; readonly host: string; readonly path: string; readonly query: string }
  | { readonly kind: 'status'; readonly status: 404 | 421 | 400; readonly listener: ListenerPlan | null; readonly reason: string }

/**
 * Listener, virtual host and route for one request (gateway-api.md §3 order). On a TLS port the
 * listener is the one the SNI chose; with misdirected-request detection, the Host must lead to that
 * same listener, else 421 (another listener matches the Host, TLS listeners included) or 404 (none
 * does) (§5.3). Listener isolation: no fallback once a listener is chosen (§4.3).
 */
export function routeRequest(port: HTTPPortPlan | TLSPortPlan, authority: string | undefined, sni: string | null, method: string, url: string, headers: Readonly<Record<string, string | string[] | undefined>>): Routed {
  if (authority === undefined || authority === '') return { kind: 'status', status: 400, listener: null, reason: 'no Host header' }
  const host = hostWithoutPort(authority)
  let listener: ListenerPlan | null
  if (port.kind === 'tls') {
    const bySNI = sni ? lookupHost(port.listeners, sni.toLowerCase()) : lookupHost(port.listeners, host)
    // Only an HTTPS listener terminates into HTTP; a TLS listener's hostname carries no requests.
    listener = bySNI && bySNI.kind === 'https' ? bySNI : null
    if (!listener) return { kind: 'status', status: 404, listener: null, reason: bySNI ? `listener ${bySNI.name} routes TLS by SNI, not HTTP` : `no listener serves ${sni ?? host}` }
    if (port.detectMisdirectedRequests && sni) {
      const byHost = lookupHost(port.listeners, host)
      if (byHost !== listener) return byHost ? { kind: 'status', status: 421, listener, reason: `Host ${host} belongs to listener ${byHost.name}, not ${listener.name} chosen by SNI` } : { kind: 'status', status: 404, listener, reason: `no listener serves ${host}` }
    }
  } else listener = lookupHost(port.listeners, host)
  if (!listener) return { kind: 'status', status: 404, listener: null, reason: `no listener serves ${host}` }
  const vhost = lookupHost(listener.virtualHosts, host)
  if (!vhost) return { kind: 'status', status: 404, listener, reason: `no route serves ${host}` }
  const target = originForm(url)
  const q = target.indexOf('?')
  // One normalisation before matching, and the proxy forwards the same path, so a route's prefix
  // cannot be escaped by spelling (dot segments, encoded slashes; docs/reliability.md).
  const normalized = normalizePath(q === -1 ? target : target.slice(0, q))
  if (!normalized.ok) return { kind: 'status', status: 400, listener, reason: normalized.reason }
  const path = normalized.path
  const query = q === -1 ? '' : target.slice(q + 1)
  const route = lookupRoute(vhost.routes, path, { method, headers, query })
  if (!route) return { kind: 'status', status: 404, listener, reason: 'no rule matches' }
  return { kind: 'route', listener, route, host, path, query }
}

/**
 * The absolute-form target a client may send (`GET http://host/p`, RFC 9112 §3.2.2) as its path
 * and query; the Host was already taken from the authority. Anything else is returned as it is.
 */
function originForm(url: string): string {
  if (url.charCodeAt(0) === 0x2f) return url
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)
  if (!m) return url
  const rest = url.slice(m[0].length)
  return rest === '' || rest.charCodeAt(0) === 0x3f ? `/${rest}` : rest
}
