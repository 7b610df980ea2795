import type { Diagnostic } from '../diag/index.ts'
import { serviceName, type App, type Destination, type GatewayRoute, type LegacyGateway, type Route } from '../model/index.ts'
import type { FlatMatch } from './precedence.ts'
import type { PlatformListener } from './listeners.ts'
import { PLATFORM_TITLES, resourceProblem, type PlatformName } from './route-diagnostics.ts'

/** Where a route the platform recipes plan came from when it is a legacy gateway. */
export interface LegacyOrigin {
  readonly gateway: LegacyGateway
  /**
   * The gateway's own listener, as the Kubernetes recipe gives each gateway a Gateway of its own:
   * HTTP on 80; HTTPS on 443 terminated with its secret store's certificate; TLS passthrough on 443.
   */
  readonly listener: PlatformListener
  /** For each rule of the route, the index of the gateway route it was made from. */
  readonly routeIndex: readonly number[]
}

/** A route as the platform recipes plan it: a `Radius.Compute/routes` resource, or one made from a legacy gateway. */
export type PlatformRoute = Route & { readonly legacy?: LegacyOrigin }

export const legacyOrigin = (route: Route): LegacyOrigin | undefined => (route as PlatformRoute).legacy

/** The gateway route a match was made from, with its replacePrefix, timeoutPolicy and enableWebsockets. */
export function legacyRoute(m: FlatMatch): GatewayRoute | undefined {
  const origin = legacyOrigin(m.route)
  return origin ? origin.gateway.routes[origin.routeIndex[m.ruleIndex]!] : undefined
}

/**
 * Legacy `Applications.Core/gateways` on the platforms: each gateway becomes one more route the
 * recipes plan like the others — an HTTP route with one PathPrefix match per gateway route (as the
 * Kubernetes recipe renders its HTTPRoute), or with sslPassthrough a TLS route — on the gateway's
 * own listener, with its origin attached so diagnostics name the gateway, route and field. A
 * destination (`http://<service>:<port>`) resolves to the container whose Service that is; one
 * outside the app cannot be a target group, route-config target or serverless NEG, and is an error.
 */
export function withLegacyRoutes(app: App, platform: PlatformName): { app: App; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const routes: PlatformRoute[] = []
  for (const g of app.gateways) {
    const hostname = g.hostname?.fullyQualifiedHostname
    if (!hostname && g.hostname?.prefix) {
      diagnostics.push(
        resourceProblem(
          'RENDER_SEMANTICS_WIDENED',
          'warning',
          g,
          ['properties', 'hostname', 'prefix'],
          `gateway "${g.name}": a hostname prefix names a host under the cluster's public address (${g.hostname.prefix}.${g.application}.<ip>.nip.io in Radius), which the load balancer on ${PLATFORM_TITLES[platform]} does not have before it is deployed; the gateway's routes serve any host (give fullyQualifiedHostname to route by host)`,
        ),
      )
    }
    const rules: Route['rules'][number][] = []
    const routeIndex: number[] = []
    g.routes.forEach((r, i) => {
      const destination = resolveDestination(app, r)
      if (!destination) {
        diagnostics.push(
          resourceProblem(
            'RENDER_NOT_RENDERED',
            'error',
            g,
            ['properties', 'routes', i, 'destination'],
            `gateway "${g.name}" route ${i}: destination "${r.destination.url}" names no container of the app, and on ${PLATFORM_TITLES[platform]} a route reaches only the app's own containers`,
          ),
        )
        return
      }
      // A PathPrefix ignores a trailing "/" (Gateway API HTTPPathMatch), as Radius.Compute/routes do.
      const path = r.path && r.path !== '/' ? r.path.replace(/\/+$/, '') : r.path
      rules.push({ matches: [{ ...(path ? { path } : {}), headers: [], queryParams: [] }], destination })
      routeIndex.push(i)
    })
    if (!rules.length) continue
    const passthrough = g.tls?.sslPassthrough === true
    const cert = g.tls?.certificateFrom
    const listener: PlatformListener = passthrough
      ? { port: 443, protocol: 'TLS', tlsMode: 'Passthrough', ...(hostname ? { hostname } : {}) }
      : cert
        ? { port: 443, protocol: 'HTTPS', certificateStore: cert, minimumTlsVersion: g.tls!.minimumProtocolVersion, ...(hostname ? { hostname } : {}) }
        : { port: 80, protocol: 'HTTP', ...(hostname ? { hostname } : {}) }
    routes.push({
      kind: 'route',
      type: g.type,
      apiVersion: g.apiVersion,
      name: g.name,
      source: g.source,
      application: g.application,
      routeKind: passthrough ? 'TLS' : 'HTTP',
      hostnames: hostname ? [hostname] : [],
      rules,
      legacy: { gateway: g, listener, routeIndex },
    })
  }
  return { app: { ...app, routes: [...app.routes, ...routes] }, diagnostics }
}

/** `http://frontend:80` → the container port behind Service `frontend` port 80 (the model checked the port). */
function resolveDestination(app: App, r: GatewayRoute): Destination | undefined {
  for (const c of app.containers) {
    for (const [containerName, spec] of Object.entries(c.containers)) {
      if (serviceName(c, containerName) !== r.destination.hostname) continue
      for (const [portName, p] of Object.entries(spec.ports)) {
        if (p.protocol === 'TCP' && p.port === r.destination.port) return { resource: c.name, containerName, portName, containerPort: p.containerPort, protocol: 'TCP' }
      }
    }
  }
  return undefined
}

/** Milliseconds as a Gateway API Duration (GEP-2257): whole seconds when exact, else ms. */
export function gatewayDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`
}
