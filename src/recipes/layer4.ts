import type { Diagnostic } from '../diag/index.ts'
import type { App, Route } from '../model/index.ts'
import { listenerFor, routeHostnames, type PlatformListener } from './listeners.ts'
import { PLATFORM_TITLES, routeList, routeProblem, type PlatformName } from './route-diagnostics.ts'

/** The TCP, UDP and TLS routes on one listener port. */
export interface Layer4Port {
  readonly listener: PlatformListener
  readonly routes: readonly Route[]
}

/** The app's layer-4 routes (and TLS routes, which are layer 4 on every platform here) by listener port. */
export function planLayer4(app: App, kinds: readonly Route['routeKind'][] = ['TCP', 'UDP', 'TLS']): Layer4Port[] {
  const byPort = new Map<number, { listener: PlatformListener; routes: Route[] }>()
  for (const route of app.routes) {
    if (!kinds.includes(route.routeKind)) continue
    const listener = listenerFor(app, route)
    const slot = byPort.get(listener.port) ?? { listener, routes: [] }
    slot.routes.push(route)
    byPort.set(listener.port, slot)
  }
  return [...byPort.values()].sort((a, b) => a.listener.port - b.listener.port)
}

/**
 * What a port-per-destination load balancer (an AWS NLB listener, a Container Apps exposed TCP
 * port) cannot do (platforms.md §1.1, §2.1): send one port to several destinations, or choose a
 * destination by TLS SNI. Returns the diagnostics and the routes that can be rendered.
 */
export function portProblems(port: Layer4Port, app: App, platform: PlatformName, what: string): { diagnostics: Diagnostic[]; route?: Route } {
  const title = PLATFORM_TITLES[platform]
  const diagnostics: Diagnostic[] = []
  const { routes, listener } = port
  if (routes.length > 1) {
    const names = routeList(routes)
    const allTls = routes.every((r) => r.routeKind === 'TLS')
    for (const r of routes) {
      diagnostics.push(
        allTls
          ? routeProblem('RENDER_SNI_ROUTING', 'error', r, ['properties', 'hostnames'], `${title} cannot choose a destination by TLS SNI: ${names} share port ${listener.port}, and ${what} forwards a port to one destination; give each a port of its own`)
          : routeProblem('RENDER_ONE_DESTINATION_PER_PORT', 'error', r, ['properties', 'kind'], `${names} share port ${listener.port}, and ${what} on ${title} forwards a port to one destination`),
      )
    }
    return { diagnostics }
  }
  const route = routes[0]!
  route.rules.slice(1).forEach((_, i) => {
    diagnostics.push(routeProblem('RENDER_ONE_DESTINATION_PER_PORT', 'error', route, ['properties', 'rules', i + 1], `${what} on ${title} forwards port ${listener.port} to one destination; this ${route.routeKind} route has ${route.rules.length} rules`))
  })
  if (diagnostics.length) return { diagnostics }
  const hostnames = routeHostnames(app, route)
  if (route.routeKind === 'TLS' && hostnames.length) {
    diagnostics.push(
      routeProblem('RENDER_SEMANTICS_WIDENED', 'warning', route, ['properties', 'hostnames'], `${title} does not check the TLS SNI hostname (${hostnames.join(', ')}): every connection on port ${listener.port} reaches this route's destination`),
    )
  }
  return { diagnostics, route }
}
