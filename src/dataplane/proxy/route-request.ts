import type { HTTPPortPlan, ListenerPlan, RoutePlan, TLSPortPlan } from '../compile/index.ts'
import { hostWithoutPort, lookupHost, lookupRoute } from '../compile/index.ts'

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
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  const query = q === -1 ? '' : url.slice(q + 1)
  const route = lookupRoute(vhost.routes, path, { method, headers, query })
  if (!route) return { kind: 'status', status: 404, listener, reason: 'no rule matches' }
  return { kind: 'route', listener, route, host, path, query }
}
