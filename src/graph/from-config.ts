import type * as ir from '../ir/index.ts'
import { isUnhealthy, type Condition } from '../k8s/index.ts'
import { GraphBuilder, type Graph } from './graph.ts'

/** An object as `/status` shows it (DESIGN.md §5). */
export interface StatusObject {
  readonly kind: string
  readonly metadata: { readonly name: string; readonly namespace?: string }
  readonly status?: unknown
}

interface ListenerStatus {
  readonly name: string
  readonly attachedRoutes?: number
  readonly conditions?: readonly Condition[]
}
interface ParentStatus {
  readonly parentRef: { readonly name: string; readonly namespace?: string; readonly sectionName?: string }
  readonly conditions?: readonly Condition[]
}

/** The first unhealthy condition as `Type: Reason — message`, or null. */
export function problemOf(conditions: readonly Condition[] | undefined): string | null {
  const bad = (conditions ?? []).find(isUnhealthy)
  return bad ? `${bad.type}=${bad.status}: ${bad.reason}${bad.message ? ` — ${bad.message}` : ''}` : null
}

/**
 * A served configuration as a graph: Gateway → listener → Route → Service, from the live IR (who
 * actually carries traffic, to which Services) and the status of every object (what is not
 * accepted, and why: those links are drawn with their reason).
 */
export function graphFromConfig(snapshot: ir.Snapshot, objects: readonly StatusObject[]): Graph {
  const g = new GraphBuilder()
  const key = (o: StatusObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`
  // Listener name → where it is served, and which routes (`<kind>/<ns>/<name>`) carry traffic on it.
  const served = new Map<string, { where: string; routes: Map<string, { service: string; port: string; problem: string | null }[]> }>()
  const add = (listener: string, where: string, routeName: string | null, backends: readonly (ir.HTTPBackend | ir.L4Backend)[]) => {
    const s = served.get(listener) ?? { where, routes: new Map() }
    served.set(listener, s)
    if (routeName === null) return
    const route = routeName.split('/').slice(0, 3).join('/')
    const list = s.routes.get(route) ?? []
    for (const b of backends)
      list.push(b.kind === 'service' ? { service: b.service.replace(/:\d+$/, ''), port: b.service.slice(b.service.lastIndexOf(':') + 1), problem: b.endpoints.length === 0 ? 'no ready endpoints' : null } : { service: '', port: '', problem: b.reason })
    s.routes.set(route, list)
  }
  for (const p of snapshot.ports) {
    const where = `${p.kind === 'udp' ? 'UDP' : p.kind === 'tcp' ? 'TCP' : p.kind === 'tls' ? 'TLS' : 'HTTP'} ${p.port}`
    if (p.kind === 'tcp' || p.kind === 'udp') add(p.listener, where, p.route, p.backends)
    else
      for (const l of p.listeners) {
        add(l.name, `${l.kind === 'http' ? 'HTTP' : l.kind === 'https' ? 'HTTPS' : l.kind === 'tls-passthrough' ? 'TLS passthrough' : 'TLS terminate'} ${p.port}${l.hostname ? ` ${l.hostname}` : ''}`, null, [])
        if (l.kind === 'http' || l.kind === 'https') for (const v of l.virtualHosts) for (const e of v.routes) add(l.name, where, e.name, e.action.kind === 'forward' ? e.action.backends : [])
        else for (const r of l.routes) add(l.name, where, r.name, r.backends)
      }
  }
  for (const o of objects) {
    if (o.kind !== 'Gateway') continue
    const s = (o.status ?? {}) as { conditions?: Condition[]; listeners?: ListenerStatus[] }
    const gw = g.node({ id: `gateway:${key(o)}`, kind: 'gateway', label: `Gateway ${key(o)}`, detail: [], problem: problemOf(s.conditions) })
    for (const l of s.listeners ?? []) {
      const name = `${key(o)}/${l.name}`
      const id = g.node({ id: `listener:${name}`, kind: 'listener', label: `listener ${l.name}`, detail: [served.get(name)?.where ?? 'not served', `${l.attachedRoutes ?? 0} route${l.attachedRoutes === 1 ? '' : 's'}`], problem: problemOf(l.conditions) })
      g.edge({ from: gw, to: id, kind: 'listener', label: '', problem: null })
    }
  }
  for (const o of objects) {
    if (!o.kind.endsWith('Route')) continue
    const s = (o.status ?? {}) as { parents?: ParentStatus[] }
    const routeKey = `${o.kind.toLowerCase()}/${key(o)}`
    const parents = s.parents ?? []
    const id = g.node({ id: `route:${o.kind}/${key(o)}`, kind: 'route', label: `${o.kind} ${key(o)}`, detail: [], problem: parents.map((p) => problemOf(p.conditions)).find((x) => x !== null) ?? null })
    for (const p of parents) {
      const gwKey = `${p.parentRef.namespace ?? o.metadata.namespace ?? 'default'}/${p.parentRef.name}`
      const accepted = p.conditions?.find((c) => c.type === 'Accepted')
      if (accepted?.status !== 'True') {
        const gw = g.node({ id: `gateway:${gwKey}`, kind: 'gateway', label: `Gateway ${gwKey}`, detail: [], problem: 'not managed here, or not found' })
        g.edge({ from: gw, to: id, kind: 'attach', label: p.parentRef.sectionName ?? '', problem: accepted ? `${accepted.reason}${accepted.message ? ` — ${accepted.message}` : ''}` : 'no Accepted condition' })
      }
    }
    for (const [listener, s2] of served) {
      const backends = s2.routes.get(routeKey)
      if (!backends) continue
      if (!g.has(`listener:${listener}`)) continue
      g.edge({ from: `listener:${listener}`, to: id, kind: 'attach', label: '', problem: null })
      for (const b of backends) {
        const to = b.service ? g.node({ id: `service:${b.service}`, kind: 'service', label: `Service ${b.service}`, detail: [], problem: null }) : g.node({ id: `service:?${b.problem}`, kind: 'service', label: 'unresolved backendRef', detail: [], problem: b.problem })
        g.edge({ from: id, to, kind: 'backend', label: b.port ? `port ${b.port}` : '', problem: b.problem })
      }
    }
  }
  return g.build('Gateway → listener → Route → Service')
}
