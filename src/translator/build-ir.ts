import type * as ir from '../ir/index.ts'
import { MIN_TLS_OPTION, objectKey, type HTTPRoute } from '../k8s/index.ts'
import { effectiveHostnames } from './attachment.ts'
import type { GatewayState } from './gateways.ts'
import { compareSpecificity } from './hostnames.ts'
import type { LoweredHTTPRoute, LoweredRule, PendingRedirect } from './httproute.ts'
import type { LoweredL4Route } from './l4routes.ts'
import { isListenerReady, type ListenerState } from './listeners.ts'
import { comparePrecedence, type PrecedenceKey } from './precedence.ts'
import { olderFirst, isGatewayAccepted } from './gateways.ts'

/** Routes accepted on each listener, by the attachment step. */
export type Attached = ReadonlyMap<ListenerState, { readonly http: LoweredHTTPRoute[]; readonly l4: LoweredL4Route[] }>

/**
 * Builds the IR snapshot: every Programmed listener of every accepted Gateway, grouped by bind
 * address + port + transport, with route and SNI tables sorted so the first match wins.
 */
export function buildSnapshot(gateways: readonly GatewayState[], attached: Attached): ir.Snapshot {
  const groups = new Map<string, { address: string | null; port: number; family: string; listeners: ListenerState[] }>()
  for (const g of gateways) {
    if (!isGatewayAccepted(g)) continue
    for (const l of g.listeners) {
      if (!isListenerReady(l) || l.family === null) continue
      const key = `${g.address ?? '*'}|${l.spec.port}|${l.family === 'udp' ? 'udp' : 'tcp'}`
      const group = groups.get(key) ?? { address: g.address, port: l.spec.port, family: l.family, listeners: [] }
      group.listeners.push(l)
      groups.set(key, group)
    }
  }
  const ports: ir.Port[] = []
  for (const grp of groups.values()) {
    const name = `${grp.address ?? '*'}:${grp.port}`
    const listeners = [...grp.listeners].sort((a, b) => compareSpecificity(a.spec.hostname ?? null, b.spec.hostname ?? null) || a.name.localeCompare(b.name))
    const routesOf = (l: ListenerState) => attached.get(l) ?? { http: [], l4: [] }
    switch (grp.family) {
      case 'http':
        ports.push({ kind: 'http', name, address: grp.address, port: grp.port, listeners: listeners.map((l) => ({ kind: 'http', name: l.name, hostname: l.spec.hostname ?? null, virtualHosts: virtualHosts(l, routesOf(l).http, 'http') })) })
        break
      case 'tls': {
        const tlsListeners = listeners.map((l): ir.TLSListener => {
          const hostname = l.spec.hostname ?? null
          const tls = (alpn: string[]): ir.TLSTermination => ({ certificates: l.certificates, minVersion: minTLSVersion(l.spec.tls?.options), alpn })
          if (l.spec.protocol === 'HTTPS') return { kind: 'https', name: l.name, hostname, tls: tls(['h2', 'http/1.1']), virtualHosts: virtualHosts(l, routesOf(l).http, 'https') }
          const routes = sniTable(l, routesOf(l).l4)
          return l.spec.tls?.mode === 'Passthrough' ? { kind: 'tls-passthrough', name: l.name, hostname, routes } : { kind: 'tls-terminate', name: l.name, hostname, tls: tls([]), routes }
        })
        ports.push({ kind: 'tls', name, address: grp.address, port: grp.port, listeners: tlsListeners, detectMisdirectedRequests: tlsListeners.some((l) => l.kind === 'https') })
        break
      }
      case 'tcp':
      case 'udp': {
        const l = listeners[0]!
        // Several routes may attach; only the oldest carries traffic (gateway-api.md §5.4).
        const winner = [...routesOf(l).l4].sort((a, b) => olderFirst(a.route, b.route))[0]
        ports.push({ kind: grp.family, name, address: grp.address, port: grp.port, listener: l.name, route: winner?.name ?? null, backends: winner?.backends ?? [] })
        break
      }
    }
  }
  const rank = { http: 0, tls: 0, tcp: 0, udp: 1 }
  ports.sort((a, b) => (a.address ?? '').localeCompare(b.address ?? '') || a.port - b.port || rank[a.kind] - rank[b.kind])
  return { ports }
}

function virtualHosts(l: ListenerState, routes: readonly LoweredHTTPRoute[], scheme: 'http' | 'https'): ir.HTTPVirtualHost[] {
  const hosts = new Map<string, { key: PrecedenceKey; entry: ir.HTTPRouteEntry }[]>()
  for (const lr of routes) {
    const route: HTTPRoute = lr.route
    for (const host of effectiveHostnames(l.spec.hostname ?? null, route.spec.hostnames ?? [])) {
      const list = hosts.get(host) ?? []
      for (const rule of lr.rules) {
        rule.matches.forEach((match, j) => {
          const key: PrecedenceKey = { match, routeCreated: route.metadata.creationTimestamp, routeKey: objectKey(route), ruleIndex: rule.index, matchIndex: j }
          list.push({ key, entry: entryFor(route, rule, j, match, l, scheme) })
        })
      }
      hosts.set(host, list)
    }
  }
  return [...hosts.entries()]
    .sort(([a], [b]) => compareSpecificity(a, b))
    .map(([hostname, list]) => ({ hostname, routes: list.sort((a, b) => comparePrecedence(a.key, b.key)).map((x) => x.entry) }))
}

function entryFor(route: HTTPRoute, rule: LoweredRule, j: number, match: ir.HTTPMatch, l: ListenerState, scheme: 'http' | 'https'): ir.HTTPRouteEntry {
  const name = `httproute/${route.metadata.namespace}/${route.metadata.name}/rule/${rule.index}/match/${j}`
  const action: ir.HTTPAction = rule.redirect
    ? { kind: 'redirect', redirect: resolveRedirect(rule.redirect, scheme, l.spec.port) }
    : { kind: 'forward', backends: rule.backends, timeouts: rule.timeouts, retry: rule.retry }
  return { name, match, filters: rule.filters, action }
}

/**
 * Redirect defaults against the listener (gateway-api.md §7 RequestRedirect): scheme defaults to
 * the listener's; port is the redirect's, else the scheme's well-known port when a scheme is set,
 * else the listener's port; 80 with http and 443 with https are left out of Location.
 */
export function resolveRedirect(r: PendingRedirect, listenerScheme: 'http' | 'https', listenerPort: number): ir.HTTPRedirect {
  const scheme = r.scheme ?? listenerScheme
  const port = r.port ?? (r.scheme !== null ? (r.scheme === 'https' ? 443 : 80) : listenerPort)
  const omit = (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443)
  return { scheme, hostname: r.hostname, port: omit ? null : port, path: r.path, statusCode: r.statusCode }
}

/**
 * The SNI table of a TLS listener (gateway-api.md §6): each TLSRoute hostname intersected with the
 * listener's; most specific first; for the same hostname, the oldest route wins (§10).
 */
function sniTable(l: ListenerState, routes: readonly LoweredL4Route[]): ir.SNIRoute[] {
  const rows: { route: LoweredL4Route; hostname: string }[] = []
  for (const r of routes) {
    const hostnames = r.route.kind === 'TLSRoute' ? r.route.spec.hostnames : []
    for (const hostname of effectiveHostnames(l.spec.hostname ?? null, hostnames)) rows.push({ route: r, hostname })
  }
  rows.sort((a, b) => compareSpecificity(a.hostname, b.hostname) || olderFirst(a.route.route, b.route.route))
  const seen = new Set<string>()
  const out: ir.SNIRoute[] = []
  for (const row of rows) {
    if (seen.has(row.hostname)) continue
    seen.add(row.hostname)
    out.push({ name: row.route.name, hostname: row.hostname, backends: row.route.backends })
  }
  return out
}

/** `tls.options[MIN_TLS_OPTION]` "1.3" asks for TLS 1.3 at least; anything else means TLS 1.2. */
function minTLSVersion(options: Readonly<Record<string, string>> | undefined): 'TLSv1.2' | 'TLSv1.3' {
  return options?.[MIN_TLS_OPTION] === '1.3' ? 'TLSv1.3' : 'TLSv1.2'
}
