import type { App, ParentRef, Route } from '../model/index.ts'
import { DEFAULT_PARENT } from './kubernetes/routes.ts'
import { legacyOrigin } from './legacy-routes.ts'

export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP'

/** The Gateway listener a route lands on, as a platform load balancer needs it. */
export interface PlatformListener {
  readonly port: number
  readonly protocol: ListenerProtocol
  /** For TLS listeners: whether the gateway passes encrypted bytes through or terminates them. */
  readonly tlsMode?: 'Passthrough' | 'Terminate'
  readonly hostname?: string
  /** The listener's name in the environment's Gateway, or absent for the default. */
  readonly name?: string
  /** HTTPS terminated with a legacy gateway's certificate secret store; absent: the environment's certificate. */
  readonly certificateStore?: string
  /** The lowest TLS version the listener accepts, where the app says (a legacy gateway's tls.minimumProtocolVersion). */
  readonly minimumTlsVersion?: '1.2' | '1.3'
}

interface GatewayListener {
  readonly name?: unknown
  readonly port?: unknown
  readonly protocol?: unknown
  readonly hostname?: unknown
  readonly tls?: { readonly mode?: unknown }
}

const ACCEPTS: Record<Route['routeKind'], readonly ListenerProtocol[]> = { HTTP: ['HTTP', 'HTTPS'], TLS: ['TLS'], TCP: ['TCP'], UDP: ['UDP'] }

/**
 * The listener of the environment's Gateway that a route attaches to (parentRef name, namespace,
 * sectionName and port, a protocol that carries the route's kind, a hostname that fits), the way
 * the Gateway API attaches it. Without an environment Gateway, what `rad install` gives: HTTP on
 * 80 and TLS passthrough on 443; a TCP or UDP route listens on its destination's port, since the
 * default Gateway has no layer-4 listener to name one.
 */
export function listenerFor(app: App, route: Route): PlatformListener {
  const legacy = legacyOrigin(route)
  if (legacy) return legacy.listener
  const parent: ParentRef = app.environment?.routes.parentRef ?? DEFAULT_PARENT
  const ns = parent.namespace ?? app.environment?.namespace ?? 'default'
  const gateway = app.environment?.gateways.find((g) => {
    const meta = (g.metadata ?? {}) as { name?: unknown; namespace?: unknown }
    return g.kind === 'Gateway' && meta.name === parent.name && (meta.namespace ?? 'default') === ns
  })
  const listeners = (((gateway?.spec ?? {}) as { listeners?: unknown }).listeners ?? []) as readonly GatewayListener[]
  const hostnames = routeHostnames(app, route)
  const fit = listeners.find(
    (l) =>
      (ACCEPTS[route.routeKind] as readonly unknown[]).includes(l.protocol) &&
      typeof l.port === 'number' &&
      (!parent.sectionName || l.name === parent.sectionName) &&
      (!parent.port || l.port === parent.port) &&
      (typeof l.hostname !== 'string' || hostnames.length === 0 || hostnames.some((h) => hostnamesOverlap(h, l.hostname as string))),
  )
  if (fit) {
    return {
      port: fit.port as number,
      protocol: fit.protocol as ListenerProtocol,
      ...(fit.protocol === 'TLS' ? { tlsMode: fit.tls?.mode === 'Terminate' ? 'Terminate' : 'Passthrough' } : {}),
      ...(typeof fit.hostname === 'string' ? { hostname: fit.hostname } : {}),
      ...(typeof fit.name === 'string' ? { name: fit.name } : {}),
    } as PlatformListener
  }
  switch (route.routeKind) {
    case 'HTTP':
      return { port: 80, protocol: 'HTTP' }
    case 'TLS':
      return { port: 443, protocol: 'TLS', tlsMode: 'Passthrough' }
    case 'TCP':
    case 'UDP':
      return { port: destinationPort(app, route), protocol: route.routeKind }
  }
}

/** The port a layer-4 route's first destination serves on (its Service port). */
function destinationPort(app: App, route: Route): number {
  const d = route.rules[0]?.destination
  if (!d) return 0
  const c = app.containers.find((x) => x.name === d.resource)
  return c?.containers[d.containerName]?.ports[d.portName]?.port ?? d.containerPort
}

/**
 * The hostnames an HTTP or TLS route serves: its own, else the environment's route parameters
 * (as the Kubernetes recipe renders them). TCP and UDP routes have none; a legacy gateway has its
 * own hostname or none, as the environment's route parameters are for Radius.Compute/routes.
 */
export function routeHostnames(app: App, route: Route): readonly string[] {
  if (route.routeKind !== 'HTTP' && route.routeKind !== 'TLS') return []
  if (legacyOrigin(route)) return route.hostnames
  return route.hostnames.length ? route.hostnames : (app.environment?.routes.hostnames ?? [])
}

/** Whether two Gateway API hostnames (either may be a `*.` wildcard) can match a common host. */
export function hostnamesOverlap(a: string, b: string): boolean {
  const covers = (w: string, h: string) => w.startsWith('*.') && h.endsWith(w.slice(1)) && h.length > w.length - 1
  return a === b || covers(a, b) || covers(b, a) || (a.startsWith('*.') && b.startsWith('*.') && (a.endsWith(b.slice(1)) || b.endsWith(a.slice(1))))
}
