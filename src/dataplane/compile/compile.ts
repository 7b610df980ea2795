import type * as ir from '../../ir/index.ts'
import { buildHostTable, coversHostname } from './host-table.ts'
import type { ListenerPlan, Plan, PortPlan, VirtualHostPlan } from './plan.ts'
import { buildRouteTable } from './route-table.ts'

/**
 * IR snapshot → Plan. Pure and deterministic. The IR is already validated and sorted in
 * precedence order (ir/index.ts), so compile only indexes it for lookups whose cost does not grow
 * with the number of listeners, hosts or routes. TCP, UDP and TLS passthrough/terminate listeners
 * are the gateway's part two: they are reported in `skipped`, not served.
 */
export function compile(snapshot: ir.Snapshot): Plan {
  const ports: PortPlan[] = []
  const skipped: { name: string; reason: string }[] = []
  for (const p of snapshot.ports) {
    const key = `${p.address ?? '*'}:${p.port}`
    switch (p.kind) {
      case 'http': {
        const list = p.listeners.map((l) => listenerPlan(l.name, l.hostname, 'http', null, l.virtualHosts))
        ports.push({ kind: 'http', key, address: p.address, port: p.port, listeners: buildHostTable(list.map((l) => ({ hostname: l.hostname, value: l }))), listenerList: list })
        break
      }
      case 'tls': {
        const list: ListenerPlan[] = []
        for (const l of p.listeners) {
          if (l.kind === 'https') {
            const certificates = buildHostTable(l.tls.certificates.flatMap((c) => c.dnsNames.map((n) => ({ hostname: n, value: c }))))
            // No SNI, or an SNI no certificate names: serve the first certificate (the client decides).
            const tls = { certificates: { ...certificates, any: certificates.any ?? l.tls.certificates[0] ?? null }, minVersion: l.tls.minVersion, alpn: l.tls.alpn }
            list.push(listenerPlan(l.name, l.hostname, 'https', tls, l.virtualHosts))
          } else skipped.push({ name: l.name, reason: `TLS ${l.kind === 'tls-passthrough' ? 'Passthrough' : 'Terminate'} listeners are not served by this data plane yet` })
        }
        if (list.length > 0)
          ports.push({ kind: 'tls', key, address: p.address, port: p.port, listeners: buildHostTable(list.map((l) => ({ hostname: l.hostname, value: l }))), listenerList: list, detectMisdirectedRequests: p.detectMisdirectedRequests })
        break
      }
      case 'tcp':
      case 'udp':
        skipped.push({ name: p.listener, reason: `${p.kind.toUpperCase()} listeners are not served by this data plane yet` })
        break
      default:
        assertNever(p)
    }
  }
  ports.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { ports, skipped }
}

function listenerPlan(name: string, hostname: string | null, scheme: 'http' | 'https', tls: ListenerPlan['tls'], vhosts: readonly ir.HTTPVirtualHost[]): ListenerPlan {
  // The IR lists virtual hosts most specific first, so every host that covers one comes after it:
  // building from the end lets each table point at the nearest cover, its fallback (route-table.ts).
  const list: VirtualHostPlan[] = []
  for (let i = vhosts.length - 1; i >= 0; i--) {
    const v = vhosts[i]!
    const cover = list.find((c) => coversHostname(c.hostname, v.hostname)) ?? null
    list.unshift({ hostname: v.hostname, fallback: cover?.hostname ?? null, routes: buildRouteTable(v.routes, cover?.routes ?? null) })
  }
  return { name, hostname, scheme, tls, virtualHosts: buildHostTable(list.map((v) => ({ hostname: v.hostname, value: v }))), virtualHostList: list }
}

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`)
}
