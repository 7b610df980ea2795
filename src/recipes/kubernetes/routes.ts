import { serviceName, type App, type Destination, type Route, type RouteMatch } from '../../model/index.ts'
import { k8sName } from '../../util/index.ts'
import type { Manifest } from '../recipe.ts'
import { servicePort } from './containers.ts'
import { labels } from './labels.ts'

/** Radius's default recipe pack attaches routes to the Gateway `rad install` creates. */
export const DEFAULT_PARENT = { name: 'radius', namespace: 'radius-system' } as const

const ROUTE_KIND = { HTTP: 'HTTPRoute', TLS: 'TLSRoute', TCP: 'TCPRoute', UDP: 'UDPRoute' } as const

/**
 * Radius.Compute/routes → one HTTPRoute, TLSRoute, TCPRoute or UDPRoute, as the Routes design note
 * says: parentRefs from the recipe parameters, hostnames from the route or else the parameters
 * (HTTP and TLS only), path matches as PathPrefix, header and query matches as Exact, and one
 * backendRef per destination container on the Service and port the containers recipe creates.
 * Every match of a rule is rendered, not only the first (the shipped recipe's shortcoming).
 */
export function renderRoute(app: App, r: Route, namespace: string): Manifest {
  const params = app.environment?.routes
  const parent = params?.parentRef ?? DEFAULT_PARENT
  const hostnames = r.routeKind === 'HTTP' || r.routeKind === 'TLS' ? (r.hostnames.length ? r.hostnames : (params?.hostnames ?? [])) : []
  const backendRefs = (d: Destination) => [backendRef(app, d)]
  const rules =
    r.routeKind === 'HTTP'
      ? r.rules.map((rule) => ({ matches: rule.matches.map(httpMatch), backendRefs: backendRefs(rule.destination) }))
      : r.rules.map((rule) => ({ backendRefs: backendRefs(rule.destination) }))
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: ROUTE_KIND[r.routeKind],
    metadata: { name: k8sName(r.name), namespace, labels: labels(r.application, r.name, r.type) },
    spec: {
      parentRefs: [
        {
          name: parent.name,
          ...(parent.namespace ? { namespace: parent.namespace } : {}),
          ...('sectionName' in parent && parent.sectionName ? { sectionName: parent.sectionName } : {}),
          ...('port' in parent && parent.port ? { port: parent.port } : {}),
        },
      ],
      ...(hostnames.length ? { hostnames: [...hostnames] } : {}),
      rules,
    },
  }
}

function httpMatch(m: RouteMatch): Record<string, unknown> {
  return {
    path: { type: 'PathPrefix', value: m.path ?? '/' },
    ...(m.headers.length ? { headers: m.headers.map((h) => ({ type: 'Exact', name: h.name, value: h.value })) } : {}),
    ...(m.queryParams.length ? { queryParams: m.queryParams.map((q) => ({ type: 'Exact', name: q.name, value: q.value })) } : {}),
    ...(m.method ? { method: m.method } : {}),
  }
}

function backendRef(app: App, d: Destination): { name: string; port: number } {
  const c = app.containers.find((x) => x.name === d.resource)!
  const port = c.containers[d.containerName]!.ports[d.portName]!
  return { name: serviceName(c, d.containerName), port: servicePort(port) }
}
