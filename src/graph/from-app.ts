import { describeMatch, serviceName, type App, type Container } from '../model/index.ts'
import { DEFAULT_PARENT } from '../recipes/index.ts'
import { GraphBuilder, type Graph } from './graph.ts'

/**
 * The app as a graph (the app model's view): the Gateway its routes attach to (from the
 * environment, else Radius's default), each route with one edge per rule to the container it
 * sends traffic to, the containers with their ports, and each connection to the container or
 * outside address it names. Legacy gateways are gateways whose routes lead to their destinations.
 */
export function graphFromApp(app: App): Graph {
  const g = new GraphBuilder()
  const containerId = (name: string) => `container:${name}`
  const byService = new Map<string, Container>()
  for (const c of app.containers) for (const name of Object.keys(c.containers)) byService.set(serviceName(c, name), c)

  const parent: { name: string; namespace?: string; sectionName?: string } = app.environment?.routes.parentRef ?? DEFAULT_PARENT
  const gwKey = `${parent.namespace ?? app.environment?.namespace ?? 'default'}/${parent.name}`
  if (app.routes.length > 0) {
    const spec = app.environment?.gateways.find((o) => o.kind === 'Gateway' && (o.metadata as { name?: string } | undefined)?.name === parent.name)
    const listeners = ((spec?.spec as { listeners?: { name: string; protocol: string; port: number; hostname?: string }[] } | undefined)?.listeners ?? []).map((l) => `${l.name}: ${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ''}`)
    g.node({ id: `gateway:${gwKey}`, kind: 'gateway', label: `Gateway ${gwKey}`, detail: spec ? listeners : ['defined by the platform, not in this environment'], problem: null })
  }
  for (const c of app.containers) {
    const detail = Object.entries(c.containers).map(([name, s]) => {
      const ports = Object.entries(s.ports).map(([p, v]) => `${p} ${v.containerPort}/${v.protocol}`)
      return `${c.single ? '' : `${name}: `}${s.image}${ports.length ? ` (${ports.join(', ')})` : ''}`
    })
    g.node({ id: containerId(c.name), kind: 'container', label: c.name, detail, problem: null })
  }
  for (const r of app.routes) {
    const hosts = r.hostnames.length ? r.hostnames : (app.environment?.routes.hostnames ?? [])
    const id = g.node({ id: `route:${r.name}`, kind: 'route', label: `${r.name} (${r.routeKind})`, detail: r.routeKind === 'HTTP' || r.routeKind === 'TLS' ? [`hosts: ${hosts.length ? hosts.join(', ') : 'any'}`] : [], problem: null })
    g.edge({ from: `gateway:${gwKey}`, to: id, kind: 'attach', label: parent.sectionName ? `listener ${parent.sectionName}` : '', problem: null })
    for (const rule of r.rules) {
      const d = rule.destination
      const label = r.routeKind === 'HTTP' ? rule.matches.map(describeMatch).join(' | ') : r.routeKind === 'TLS' ? 'by SNI' : 'all connections'
      g.edge({ from: id, to: containerId(d.resource), kind: 'backend', label: `${label} (port ${d.containerPort})`, problem: null })
    }
  }
  for (const lg of app.gateways) {
    const host = lg.hostname?.fullyQualifiedHostname ?? (lg.hostname?.prefix ? `${lg.hostname.prefix}.…` : 'generated hostname')
    const id = g.node({ id: `gateway:legacy/${lg.name}`, kind: 'gateway', label: `legacy gateway ${lg.name}`, detail: [`host: ${host}`, ...(lg.tls?.sslPassthrough ? ['TLS passthrough'] : lg.tls?.certificateFrom ? [`TLS from ${lg.tls.certificateFrom}`] : [])], problem: null })
    for (const route of lg.routes) g.edge({ from: id, to: target(g, byService, route.destination.hostname, route.destination.url), kind: 'backend', label: route.path ?? '(all paths)', problem: null })
  }
  for (const c of app.containers) {
    for (const [name, conn] of Object.entries(c.connections)) {
      const to = conn.source.kind === 'url' ? target(g, byService, conn.source.hostname, conn.source.url) : app.containers.some((x) => x.name === (conn.source as { name: string }).name) ? containerId(conn.source.name) : g.node({ id: `external:${conn.source.name}`, kind: 'external', label: conn.source.name, detail: conn.source.type ? [conn.source.type] : [], problem: null })
      g.edge({ from: containerId(c.name), to, kind: 'connection', label: name, problem: null })
    }
  }
  return g.build(`app ${app.application?.name ?? '(unnamed)'}${app.environment ? ` (environment ${app.environment.name})` : ''}`)
}

/** A URL's host names a container's Service (`http://accounts:8081`), or something outside the app. */
function target(g: GraphBuilder, byService: ReadonlyMap<string, Container>, hostname: string, url: string): string {
  const c = byService.get(hostname.toLowerCase())
  if (c) return `container:${c.name}`
  return g.node({ id: `external:${url}`, kind: 'external', label: url, detail: ['outside the app'], problem: null })
}
