import type * as ir from '../../ir/index.ts'
import type { HTTPPortPlan, L4PortPlan, Plan, TLSPortPlan } from '../compile/index.ts'
import { lookupHost } from '../compile/index.ts'
import { routeRequest } from './route-request.ts'

/**
 * Which listener, rule and backends a request would take (`/explain`, `switchyard explain`), by
 * the same routing code that serves traffic. `url`'s port is the listener port as written (not
 * offset); for https the SNI is taken to be the URL host. `tls://host:port`, `tcp://host:port`
 * and `udp://host:port` explain a connection instead: for TLS the host is the SNI.
 */
export function explainRequest(plan: Plan, method: string, url: string, headers: Readonly<Record<string, string>>): unknown {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return { error: `not an absolute URL: ${url}` }
  }
  if (u.protocol === 'tls:' || u.protocol === 'tcp:' || u.protocol === 'udp:') return explainConnection(plan, u.protocol.slice(0, -1) as 'tls' | 'tcp' | 'udp', u)
  const https = u.protocol === 'https:'
  const port = Number(u.port || (https ? 443 : 80))
  const p = plan.ports.find((x): x is HTTPPortPlan | TLSPortPlan => x.port === port && x.kind === (https ? 'tls' : 'http'))
  if (!p) return { status: 'connection refused', reason: `no ${https ? 'HTTPS' : 'HTTP'} listener on port ${port}` }
  const authority = headers.host ?? u.host
  const routed = routeRequest(p, authority, https ? u.hostname : null, method, u.pathname + u.search, { ...headers, host: authority })
  if (routed.kind === 'status') return { port: p.key, listener: routed.listener?.name ?? null, status: routed.status, reason: routed.reason }
  const e = routed.route.entry
  return {
    port: p.key,
    listener: routed.listener.name,
    route: e.name,
    rule: routed.route.rule,
    action: e.action.kind === 'redirect' ? { redirect: e.action.redirect } : { backends: e.action.backends.map(describeBackend) },
    filters: e.filters.map((f) => f.kind),
  }
}

/** gateway-api.md §6: the listener by SNI, then the TLSRoute by SNI; TCP and UDP ports have one route. */
function explainConnection(plan: Plan, kind: 'tls' | 'tcp' | 'udp', u: URL): unknown {
  const port = Number(u.port)
  const p = plan.ports.find((x) => x.port === port && x.kind === kind)
  if (!p) return { status: 'connection refused', reason: `no ${kind.toUpperCase()} listener on port ${u.port || '(none given)'}` }
  if (p.kind === 'tcp' || p.kind === 'udp') return l4(p)
  if (p.kind !== 'tls') return { status: 'connection refused', reason: `port ${port} is not a TLS port` }
  const sni = u.hostname.toLowerCase()
  const listener = sni === '' ? p.withoutSNI : lookupHost(p.listeners, sni)
  if (!listener) return { port: p.key, listener: null, status: 'refused', reason: `no listener serves SNI ${sni || '(none)'}` }
  if (listener.kind !== 'tls') return { port: p.key, listener: listener.name, mode: 'https', reason: 'HTTPS: explain an https:// URL to see the HTTP route' }
  const route = sni === '' ? null : lookupHost(listener.routes, sni)
  if (!route) return { port: p.key, listener: listener.name, mode: listener.mode, status: 'refused', reason: `no TLSRoute serves SNI ${sni || '(none)'}` }
  return { port: p.key, listener: listener.name, mode: listener.mode, route: route.name, backends: route.backends.backends.map(describeBackend) }
}

function l4(p: L4PortPlan<'tcp' | 'udp'>): unknown {
  if (p.route === null) return { port: p.key, listener: p.listener, status: 'refused', reason: 'no route is attached' }
  return { port: p.key, listener: p.listener, route: p.route, backends: p.backends.backends.map(describeBackend) }
}

function describeBackend(b: ir.HTTPBackend | ir.L4Backend): unknown {
  return b.kind === 'service' ? { name: b.name, service: b.service, weight: b.weight, endpoints: b.endpoints.map((x) => `${x.address}:${x.port}`) } : { name: b.name, weight: b.weight, invalid: b.reason }
}
