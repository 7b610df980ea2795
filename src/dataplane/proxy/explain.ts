import type { HTTPPortPlan, Plan, TLSPortPlan } from '../compile/index.ts'
import { routeRequest } from './route-request.ts'

/**
 * Which listener, rule and backends a request would take (`/explain`, `switchyard explain`), by
 * the same routing code that serves traffic. `url`'s port is the listener port as written (not
 * offset); for https the SNI is taken to be the URL host.
 */
export function explainRequest(plan: Plan, method: string, url: string, headers: Readonly<Record<string, string>>): unknown {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return { error: `not an absolute URL: ${url}` }
  }
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
    action: e.action.kind === 'redirect'
      ? { redirect: e.action.redirect }
      : { backends: e.action.backends.map((b) => (b.kind === 'service' ? { name: b.name, service: b.service, weight: b.weight, endpoints: b.endpoints.map((x) => `${x.address}:${x.port}`) } : { name: b.name, weight: b.weight, invalid: b.reason })) },
    filters: e.filters.map((f) => f.kind),
  }
}
