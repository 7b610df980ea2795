import { formatPath, type DiagCode, type Diagnostic, type Severity } from '../diag/index.ts'
import type { Container, LegacyGateway, Route } from '../model/index.ts'

export type PathSeg = string | number

/** The platforms the document recipes render for, as users name them (`--target`). */
export type PlatformName = 'ecs' | 'aca' | 'cloudrun'

export const PLATFORM_TITLES: Record<PlatformName, string> = { ecs: 'AWS ECS', aca: 'Azure Container Apps', cloudrun: 'Google Cloud Run' }

/**
 * A problem with one route on one platform. The path is the field inside the route resource in
 * the shipped Radius spelling (`properties.rules[1].matches[0].httpMethod`); `locateFields` turns
 * it into the user's own spelling and position. The message names the route and the rule, then
 * says why, so it reads whole in a table too.
 */
export function routeProblem(code: DiagCode, severity: Severity, route: Route, path: readonly PathSeg[], why: string): Diagnostic {
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

/** A problem with a resource that is not a route (a legacy gateway, a container). */
export function resourceProblem(code: DiagCode, severity: Severity, resource: Container | LegacyGateway, path: readonly PathSeg[], why: string): Diagnostic {
  return { code, severity, message: why, path: formatPath(path), resource: `${resource.type}/${resource.name}`, source: resource.source }
}

/** `["properties", "rules", i, "matches", j]`, the path of one match. */
export function matchPath(ruleIndex: number, matchIndex: number, ...rest: PathSeg[]): PathSeg[] {
  return ['properties', 'rules', ruleIndex, 'matches', matchIndex, ...rest]
}

/**
 * Legacy `Applications.Core/gateways` render to Gateway API objects for Kubernetes; the platform
 * recipes read `Radius.Compute/routes` only, and say so for each gateway instead of dropping it.
 */
export function legacyGatewaysNotRendered(gateways: readonly LegacyGateway[], platform: PlatformName): Diagnostic[] {
  return gateways.map((g) =>
    resourceProblem('RENDER_NOT_RENDERED', 'error', g, ['type'], `legacy gateway "${g.name}" is rendered for Kubernetes only; for ${PLATFORM_TITLES[platform]}, write its routes as Radius.Compute/routes`),
  )
}
