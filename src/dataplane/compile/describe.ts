import type { HostTable } from './host-table.ts'
import type { Plan } from './plan.ts'
import type { RouteTable } from './route-table.ts'

/**
 * The Plan as plain data for golden files and `explain`: lookup tables as sorted key → name lists,
 * certificates by name (never their keys).
 */
export function describePlan(plan: Plan): unknown {
  return {
    ports: plan.ports.map((p) => ({
      key: p.key,
      kind: p.kind,
      ...(p.kind === 'tls' ? { detectMisdirectedRequests: p.detectMisdirectedRequests } : {}),
      listeners: hosts(p.listeners, (l) => l.name),
      listenerPlans: p.listenerList.map((l) => ({
        name: l.name,
        scheme: l.scheme,
        tls: l.tls && { certificates: hosts(l.tls.certificates, (c) => c.name), minVersion: l.tls.minVersion, alpn: l.tls.alpn },
        virtualHosts: hosts(l.virtualHosts, (v) => v.hostname),
        routes: l.virtualHostList.map((v) => ({ hostname: v.hostname, ...(v.fallback === null ? {} : { fallback: v.fallback }), ...routes(v.routes) })),
      })),
    })),
    skipped: plan.skipped,
  }
}

function hosts<T>(t: HostTable<T>, name: (v: T) => string): unknown {
  const sorted = (m: ReadonlyMap<string, T>, pre: string) => Object.fromEntries([...m].map(([k, v]) => [pre + k, name(v)]).sort())
  return { exact: sorted(t.exact, ''), wildcard: sorted(t.wildcard, '*.'), any: t.any === null ? null : name(t.any) }
}

function routes(t: RouteTable): Record<string, unknown> {
  const list = (m: RouteTable['exact']) => Object.fromEntries([...m].map(([k, v]) => [k, v.map((r) => r.entry.name)]))
  return { exact: list(t.exact), prefix: list(t.prefix) }
}
