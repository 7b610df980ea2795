import type * as ir from '../../ir/index.ts'
import { redirectLocation, rewritePath } from '../proxy/index.ts'
import type { Answer, BackendOutcome, FilterEffect } from './types.ts'

/**
 * What happens once a rule is chosen (gateway-api.md §7): its filters in order, then a redirect
 * (no backend contact) or a weighted choice of backends, each with the answer its share gets: the
 * backend's own, 500 for a backendRef that did not resolve, 503 for a Service without endpoints.
 */
export function outcome(entry: ir.HTTPRouteEntry, host: string, authority: string, path: string, query: string): { filters: FilterEffect[]; answer: Answer } {
  const filters: FilterEffect[] = []
  let upstreamPath = path
  let upstreamHost = authority
  const apply = (scope: string, list: readonly ir.HTTPFilter[]) => {
    for (const f of list) {
      switch (f.kind) {
        case 'request-headers':
        case 'response-headers':
          filters.push({ scope, kind: f.kind, what: `${f.kind === 'request-headers' ? 'request' : 'response'} headers: ${describeModifier(f.modifier)}` })
          break
        case 'url-rewrite': {
          // A backend's own rewrite applies only when that backend is chosen: describe it, but the
          // upstream request shown is the one every backend gets.
          const parts: string[] = []
          if (f.hostname !== null) {
            if (scope === 'rule') upstreamHost = f.hostname
            parts.push(`Host becomes ${f.hostname}`)
          }
          if (f.path !== null) {
            const after = rewritePath(upstreamPath, entry.match.path, f.path)
            parts.push(`path ${upstreamPath} becomes ${after} (${f.path.kind === 'full' ? 'ReplaceFullPath' : `ReplacePrefixMatch of ${entry.match.path.value}`})`)
            if (scope === 'rule') upstreamPath = after
          }
          filters.push({ scope, kind: 'url-rewrite', what: `rewrite: ${parts.join(', ')}` })
          break
        }
        case 'mirror':
          filters.push({ scope, kind: 'mirror', what: `a copy goes to ${f.backend.service} (${percent(f.fraction.numerator / f.fraction.denominator)} of requests); its answer is ignored` })
          break
      }
    }
  }
  apply('rule', entry.filters)
  const action = entry.action
  if (action.kind === 'redirect') {
    const r = action.redirect
    const location = redirectLocation(r, host, path, query, entry.match.path)
    filters.push({ scope: 'rule', kind: 'redirect', what: `redirect ${r.statusCode} to ${location}` })
    return { filters, answer: { kind: 'redirect', status: r.statusCode, location, why: `the rule redirects (RequestRedirect): the gateway answers ${r.statusCode} itself, no backend is contacted` } }
  }
  const total = action.backends.reduce((s, b) => s + Math.max(0, b.weight), 0)
  const backends: BackendOutcome[] = action.backends.map((b) => {
    const share = total === 0 ? 0 : Math.max(0, b.weight) / total
    if (b.weight <= 0) return { name: b.name, service: b.kind === 'service' ? b.service : null, weight: b.weight, share, endpoints: b.kind === 'service' ? b.endpoints.map((e) => `${e.address}:${e.port}`) : [], status: null, why: 'weight 0: never chosen' }
    if (b.kind === 'invalid') return { name: b.name, service: null, weight: b.weight, share, endpoints: [], status: 500, why: `the backendRef did not resolve (${b.reason}): its share of requests gets 500` }
    if (b.filters.length > 0) apply(b.name, b.filters)
    const endpoints = b.endpoints.map((e) => `${e.address}:${e.port}`)
    if (endpoints.length === 0) return { name: b.name, service: b.service, weight: b.weight, share, endpoints, status: 503, why: `${b.service} has no ready endpoints: its share of requests gets 503` }
    const proto = b.appProtocol === 'http1' ? 'HTTP/1.1' : b.appProtocol === 'h2c' ? 'HTTP/2 cleartext (h2c)' : 'HTTP/1.1 with WebSocket upgrades'
    return { name: b.name, service: b.service, weight: b.weight, share, endpoints, status: null, why: `forwarded to ${b.service} over ${proto}, endpoints ${endpoints.join(', ')} in turn; the backend answers` }
  })
  const why =
    backends.length === 0 ? 'the rule has no backendRefs: every request gets 500'
    : total === 0 ? 'every backend has weight 0: every request gets 500'
    : backends.length === 1 ? backends[0]!.why
    : `one backend per request, in proportion to weight: ${backends.map((b) => `${b.service ?? b.name} ${percent(b.share)}`).join(', ')}`
  if (total === 0) return { filters, answer: { kind: 'status', status: 500, why } }
  const t = action.timeouts
  const timeouts = t.requestMs === null && t.backendRequestMs === null ? null : [t.requestMs !== null ? `request ${t.requestMs}ms` : '', t.backendRequestMs !== null ? `per backend attempt ${t.backendRequestMs}ms` : ''].filter(Boolean).join(', ') + ' (504 on expiry)'
  const retry = action.retry === null ? null : `up to ${action.retry.attempts} retr${action.retry.attempts === 1 ? 'y' : 'ies'} on connection errors, timeouts${action.retry.codes.length ? ` and ${action.retry.codes.join(', ')}` : ''}`
  return { filters, answer: { kind: 'forward', upstream: { path: upstreamPath + (query === '' ? '' : `?${query}`), host: upstreamHost, timeouts, retry }, backends, why } }
}

function describeModifier(m: ir.HeaderModifier): string {
  const parts = [...m.set.map((h) => `set ${h.name}: ${h.value}`), ...m.add.map((h) => `add ${h.name}: ${h.value}`), ...m.remove.map((n) => `remove ${n}`)]
  return parts.join('; ') || 'none'
}

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`
}
