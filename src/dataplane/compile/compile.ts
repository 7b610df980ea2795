import type * as ir from '../../ir/index.ts'
import { buildHostTable, coversHostname } from './host-table.ts'
import type { ListenerPlan, Plan, PortPlan, SNIListenerPlan, SNIRoutePlan, TLSListenerPlan, TLSPlan, VirtualHostPlan } from './plan.ts'
import { buildRouteTable } from './route-table.ts'
import { weighBackends } from './weighted.ts'

/**
 * IR snapshot → Plan. Pure and deterministic. The IR is already validated and sorted in
 * precedence order (ir/index.ts), so compile only indexes it for lookups whose cost does not grow
 * with the number of listeners, hosts, routes or backends.
 */
export function compile(snapshot: ir.Snapshot): Plan {
  const ports: PortPlan[] = []
  for (const p of snapshot.ports) {
    const key = `${p.address ?? '*'}:${p.port}`
    switch (p.kind) {
      case 'http': {
        const list = p.listeners.map((l) => httpListener('http', l.name, l.hostname, null, l.virtualHosts))
        ports.push({ kind: 'http', key, address: p.address, port: p.port, listeners: byHostname(list), listenerList: list })
        break
      }
      case 'tls': {
        const list = p.listeners.map(tlsListener)
        const listeners = byHostname(list)
        const withoutSNI = listeners.any ?? list.find((l) => l.kind === 'https') ?? null
        ports.push({ kind: 'tls', key, address: p.address, port: p.port, listeners, listenerList: list, withoutSNI, detectMisdirectedRequests: p.detectMisdirectedRequests })
        break
      }
      case 'tcp':
      case 'udp':
        ports.push({ kind: p.kind, key, address: p.address, port: p.port, listener: p.listener, route: p.route, backends: weighBackends(p.backends) })
        break
      default:
        assertNever(p)
    }
  }
  // By key, then TCP before UDP on the same address and port.
  ports.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : Number(a.kind === 'udp') - Number(b.kind === 'udp')))
  return { ports }
}

function tlsListener(l: ir.TLSListener): TLSListenerPlan {
  switch (l.kind) {
    case 'https':
      return httpListener('https', l.name, l.hostname, termination(l.tls), l.virtualHosts)
    case 'tls-passthrough':
    case 'tls-terminate': {
      const routeList = l.routes.map((r): SNIRoutePlan => ({ name: r.name, hostname: r.hostname, backends: weighBackends(r.backends) }))
      const tls = l.kind === 'tls-terminate' ? termination(l.tls) : null
      const plan: SNIListenerPlan = { kind: 'tls', mode: l.kind === 'tls-passthrough' ? 'passthrough' : 'terminate', name: l.name, hostname: l.hostname, tls, routes: byHostname(routeList), routeList }
      return plan
    }
    default:
      return assertNever(l)
  }
}

function termination(t: ir.TLSTermination): TLSPlan {
  const certificates = buildHostTable(t.certificates.flatMap((c) => c.dnsNames.map((n) => ({ hostname: n, value: c }))))
  // No SNI, or an SNI no certificate names: serve the first certificate (the client decides).
  return { certificates: { ...certificates, any: certificates.any ?? t.certificates[0] ?? null }, minVersion: t.minVersion, alpn: t.alpn }
}

function httpListener(kind: 'http' | 'https', name: string, hostname: string | null, tls: TLSPlan | null, vhosts: readonly ir.HTTPVirtualHost[]): ListenerPlan {
  // The IR lists virtual hosts most specific first, so every host that covers one comes after it:
  // building from the end lets each table point at the nearest cover, its fallback (route-table.ts).
  const list: VirtualHostPlan[] = []
  for (let i = vhosts.length - 1; i >= 0; i--) {
    const v = vhosts[i]!
    const cover = list.find((c) => coversHostname(c.hostname, v.hostname)) ?? null
    list.unshift({ hostname: v.hostname, fallback: cover?.hostname ?? null, routes: buildRouteTable(v.routes, cover?.routes ?? null) })
  }
  return { kind, name, hostname, scheme: kind, tls, virtualHosts: byHostname(list), virtualHostList: list }
}

const byHostname = <T extends { readonly hostname: string | null }>(list: readonly T[]) => buildHostTable(list.map((value) => ({ hostname: value.hostname, value })))

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`)
}
