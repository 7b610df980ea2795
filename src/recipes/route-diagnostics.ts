import { formatPath, type DiagCode, type Diagnostic, type Severity } from '../diag/index.ts'
import type { Container, LegacyGateway, Route } from '../model/index.ts'
import type { LegacyOrigin, PlatformRoute } from './legacy-routes.ts'

export type PathSeg = string | number

/** The platforms the document recipes render for, as users name them (`--target`). */
export type PlatformName = 'ecs' | 'aca' | 'cloudrun'

export const PLATFORM_TITLES: Record<PlatformName, string> = { ecs: 'AWS ECS', aca: 'Azure Container Apps', cloudrun: 'Google Cloud Run' }

/** A route's legacy gateway origin (read here directly, as legacy-routes.ts imports this file). */
const originOf = (route: Route): LegacyOrigin | undefined => (route as PlatformRoute).legacy

/**
 * A problem with one route on one platform. The path is the field inside the route resource in
 * the shipped Radius spelling (`properties.rules[1].matches[0].httpMethod`); `locateFields` turns
 * it into the user's own spelling and position. The message names the route and the rule, then
 * says why, so it reads whole in a table too. For a route made from a legacy gateway, the path
 * and the message are the gateway's own: `properties.routes[1].path`, `gateway "public" route 1`.
 */
export function routeProblem(code: DiagCode, severity: Severity, route: Route, path: readonly PathSeg[], why: string): Diagnostic {
  const legacy = originOf(route)
  if (legacy) {
    const at = gatewayPath(legacy, path)
    const index = at[1] === 'routes' && typeof at[2] === 'number' ? ` route ${at[2]}` : ''
    return resourceProblem(code, severity, legacy.gateway, at, `gateway "${route.name}"${index}: ${why}`)
  }
  const rule = typeof path[2] === 'number' ? ` rule ${path[2]}` : ''
  const match = path[3] === 'matches' && typeof path[4] === 'number' ? ` match ${path[4]}` : ''
  return {
    code,
    severity,
    message: `route "${route.name}"${rule}${match}: ${why}`,
    path: formatPath(path),
    resource: `${route.type}/${route.name}`,
    source: route.source,
  }
}

/**
 * A route field's path → the legacy gateway field it came from: a rule is a gateway route (its
 * one match's `httpPath` is the route's `path`, `destinationContainer` its `destination`, and the
 * gateway route's own fields, `replacePrefix` or `timeoutPolicy`, keep their names), the
 * hostnames are the gateway's hostname, and the kind is what chose its listener:
 * `tls.sslPassthrough` (TLS on 443), `tls.certificateFrom` (HTTPS on 443), else the routes (HTTP).
 */
function gatewayPath(legacy: LegacyOrigin, path: readonly PathSeg[]): PathSeg[] {
  const [, field, rule, ...rest] = path
  if (field === 'rules' && typeof rule === 'number') {
    const at: PathSeg[] = ['properties', 'routes', legacy.routeIndex[rule] ?? rule]
    if (rest[0] === 'destinationContainer') return [...at, 'destination']
    if (rest[0] === 'matches') return rest[2] === 'httpPath' ? [...at, 'path'] : at
    return [...at, ...rest]
  }
  if (field === 'hostnames') return ['properties', 'hostname', ...(legacy.gateway.hostname?.fullyQualifiedHostname ? ['fullyQualifiedHostname'] : [])]
  if (field === 'kind') {
    const tls = legacy.gateway.tls
    return tls?.sslPassthrough ? ['properties', 'tls', 'sslPassthrough'] : tls?.certificateFrom ? ['properties', 'tls', 'certificateFrom'] : ['properties', 'routes']
  }
  return [...path]
}

/** How a message names a route: `route "ingress"`, or `gateway "public"` for a legacy gateway. */
export function routeLabel(route: Route): string {
  return `${originOf(route) ? 'gateway' : 'route'} "${route.name}"`
}

/** Several routes named in one message: `routes "a", "b"`, or each with its label when a legacy gateway is among them. */
export function routeList(routes: readonly Route[]): string {
  return routes.some((r) => originOf(r)) ? routes.map(routeLabel).join(', ') : `routes ${routes.map((r) => `"${r.name}"`).join(', ')}`
}

/** A problem with a resource that is not a route (a legacy gateway, a container). */
export function resourceProblem(code: DiagCode, severity: Severity, resource: Container | LegacyGateway, path: readonly PathSeg[], why: string): Diagnostic {
  return { code, severity, message: why, path: formatPath(path), resource: `${resource.type}/${resource.name}`, source: resource.source }
}

/** `["properties", "rules", i, "matches", j]`, the path of one match. */
export function matchPath(ruleIndex: number, matchIndex: number, ...rest: PathSeg[]): PathSeg[] {
  return ['properties', 'rules', ruleIndex, 'matches', matchIndex, ...rest]
}
