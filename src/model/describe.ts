import type { App, RouteMatch, RouteRule } from './types.ts'

/**
 * A human summary of a valid app: its containers with their ports, and each route with what it
 * matches and where it sends traffic. What `switchyard validate` prints on success.
 */
export function describeApp(app: App): string {
  const lines: string[] = []
  const name = app.application?.name ?? '(unnamed)'
  const count = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`
  const parts = [count(app.containers.length, 'container'), count(app.routes.length, 'route')]
  if (app.gateways.length) parts.push(count(app.gateways.length, 'legacy gateway'))
  if (app.secretStores.length) parts.push(count(app.secretStores.length, 'secret store'))
  lines.push(`app ${name}: ${parts.join(', ')}${app.environment ? `, environment ${app.environment.name}` : ''}`)

  if (app.containers.length) lines.push('', 'containers')
  for (const c of app.containers) {
    for (const [cname, spec] of Object.entries(c.containers)) {
      const label = c.single ? c.name : `${c.name}/${cname}`
      const ports = Object.entries(spec.ports).map(([p, v]) => `${p} ${v.containerPort}/${v.protocol}`)
      lines.push(`  ${label.padEnd(20)} ${spec.image}${ports.length ? `  (${ports.join(', ')})` : ''}`)
    }
    for (const [conn, v] of Object.entries(c.connections)) {
      lines.push(`  ${''.padEnd(20)} connection ${conn} → ${v.source.kind === 'url' ? v.source.url : v.source.name}`)
    }
  }

  if (app.routes.length) lines.push('', 'routes')
  const hostDefault = app.environment?.routes.hostnames ?? []
  for (const r of app.routes) {
    const hosts = r.hostnames.length ? r.hostnames : hostDefault
    const on = r.routeKind === 'HTTP' || r.routeKind === 'TLS' ? `  hosts: ${hosts.length ? hosts.join(', ') : 'any'}` : ''
    lines.push(`  ${r.name} (${r.routeKind})${on}`)
    for (const rule of r.rules) for (const line of describeRule(r.routeKind, rule)) lines.push(`    ${line}`)
  }

  if (app.gateways.length) lines.push('', 'legacy gateways')
  for (const g of app.gateways) {
    const host = g.hostname?.fullyQualifiedHostname ?? (g.hostname?.prefix ? `${g.hostname.prefix}.<app>.<address>.nip.io` : '<generated>')
    const tls = g.tls?.sslPassthrough ? ', TLS passthrough' : g.tls?.certificateFrom ? `, TLS from ${g.tls.certificateFrom} (min ${g.tls.minimumProtocolVersion})` : ''
    lines.push(`  ${g.name}  host: ${host}${tls}`)
    for (const route of g.routes) {
      const extra = [route.replacePrefix ? `rewrite → ${route.replacePrefix}` : '', route.enableWebsockets ? 'websockets' : '', route.timeoutPolicy ? `timeout ${route.timeoutPolicy.requestMs}ms` : ''].filter(Boolean)
      lines.push(`    ${(route.path ?? '(all)').padEnd(24)} → ${route.destination.url}${extra.length ? `  [${extra.join(', ')}]` : ''}`)
    }
  }
  return lines.join('\n') + '\n'
}

function describeRule(kind: string, rule: RouteRule): string[] {
  const d = rule.destination
  const target = `${d.resource}${d.containerName !== d.resource ? `/${d.containerName}` : ''}:${d.containerPort}`
  if (kind !== 'HTTP') return [`${kind === 'TLS' ? 'connections (by SNI)' : 'all connections'} → ${target}`]
  return rule.matches.map((m) => `${describeMatch(m).padEnd(24)} → ${target}`)
}

export function describeMatch(m: RouteMatch): string {
  const parts = [m.path ?? '/']
  if (m.method) parts.unshift(m.method)
  for (const h of m.headers) parts.push(`${h.name}: ${h.value}`)
  if (m.queryParams.length) parts.push('?' + m.queryParams.map((q) => `${q.name}=${q.value}`).join('&'))
  return parts.join(' ')
}
