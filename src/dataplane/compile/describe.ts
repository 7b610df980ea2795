import type { HostTable } from './host-table.ts'
import type { ListenerPlan, Plan, PortPlan, SNIListenerPlan, WeightedBackends } from './plan.ts'
import type { RouteTable } from './route-table.ts'

/**
 * The Plan as plain data for golden files and `explain`: lookup tables as sorted key → name lists,
 * certificates by name (never their keys).
 */
export function describePlan(plan: Plan): unknown {
  return { ports: plan.ports.map(describePort) }
}

function describePort(p: PortPlan): unknown {
  switch (p.kind) {
    case 'http':
      return { key: p.key, kind: p.kind, listeners: hosts(p.listeners, (l) => l.name), listenerPlans: p.listenerList.map(httpListener) }
    case 'tls':
      return {
        key: p.key,
        kind: p.kind,
        detectMisdirectedRequests: p.detectMisdirectedRequests,
        listeners: hosts(p.listeners, (l) => l.name),
        withoutSNI: p.withoutSNI?.name ?? null,
        listenerPlans: p.listenerList.map((l) => (l.kind === 'tls' ? sniListener(l) : httpListener(l))),
      }
    case 'tcp':
    case 'udp':
      return { key: p.key, kind: p.kind, listener: p.listener, route: p.route, backends: weights(p.backends) }
  }
}

function httpListener(l: ListenerPlan): unknown {
  return {
    name: l.name,
    kind: l.kind,
    tls: l.tls && { certificates: hosts(l.tls.certificates, (c) => c.name), minVersion: l.tls.minVersion, alpn: l.tls.alpn },
    virtualHosts: hosts(l.virtualHosts, (v) => v.hostname),
    routes: l.virtualHostList.map((v) => ({ hostname: v.hostname, ...(v.fallback === null ? {} : { fallback: v.fallback }), ...routes(v.routes) })),
  }
}

function sniListener(l: SNIListenerPlan): unknown {
  return {
    name: l.name,
    kind: `tls-${l.mode}`,
    tls: l.tls && { certificates: hosts(l.tls.certificates, (c) => c.name), minVersion: l.tls.minVersion, alpn: l.tls.alpn },
    routes: hosts(l.routes, (r) => r.name),
    backends: Object.fromEntries(l.routeList.map((r) => [r.hostname, weights(r.backends)])),
  }
}

/** Each backend with its share of the total weight, in per mille (0 for weight 0). */
function weights(w: WeightedBackends<{ readonly name: string; readonly weight: number; readonly kind: string }>): unknown {
  return w.backends.map((b) => ({ name: b.name, kind: b.kind, share: w.total === 0 ? 0 : Math.round((Math.max(0, b.weight) * 1000) / w.total) / 1000 }))
}

function hosts<T>(t: HostTable<T>, name: (v: T) => string): unknown {
  const sorted = (m: ReadonlyMap<string, T>, pre: string) => Object.fromEntries([...m].map(([k, v]) => [pre + k, name(v)]).sort())
  return { exact: sorted(t.exact, ''), wildcard: sorted(t.wildcard, '*.'), any: t.any === null ? null : name(t.any) }
}

function routes(t: RouteTable): Record<string, unknown> {
  const list = (m: RouteTable['exact']) => Object.fromEntries([...m].map(([k, v]) => [k, v.map((r) => r.entry.name)]))
  return { exact: list(t.exact), prefix: list(t.prefix) }
}
