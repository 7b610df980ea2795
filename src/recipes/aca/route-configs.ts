import type { Diagnostic } from '../../diag/index.ts'
import { legacyOrigin } from '../legacy-routes.ts'
import { matchName, type HttpListenerPlan } from '../precedence.ts'
import { matchPath, routeProblem } from '../route-diagnostics.ts'
import { ruleRoutes } from './legacy.ts'
import { containerAppName, parameterName, routeConfigName } from './names.ts'

export const API_VERSION = '2025-07-01'

/** Which port of each container app HTTP routes reach, for its ingress `targetPort`. */
export type HttpTargets = Map<string, { readonly port: number }>

/**
 * HTTP routes → `Microsoft.App/managedEnvironments/httpRouteConfigs` (platforms.md §2.3): one
 * config per hostname, as Azure binds a domain to one route config only; routes without hostnames
 * share a config reached at its generated FQDN. A rule per (rule, match) in Gateway API precedence
 * order, since Azure documents no evaluation order and most-specific-first is right under either
 * first-match or longest-match. Matches are on path only: `pathSeparatedPrefix` is the element-wise
 * prefix (Envoy's path_separated_prefix), `prefix: "/"` the root. A method, header or query match
 * cannot be expressed and is an error. A route config has no port: it reaches the app's ingress
 * `targetPort`, so every route to one app must use the same port.
 */
export function renderRouteConfigs(appName: string, plans: readonly HttpListenerPlan[], httpTargets: HttpTargets): { resources: unknown[]; parameters: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const resources: unknown[] = []
  const parameters: Record<string, unknown> = {}
  const reported = new Set<string>()
  for (const plan of plans) {
    for (const group of plan.groups) {
      const rules: unknown[] = []
      const apps = new Set<string>()
      for (const m of group.matches) {
        const key = `${m.route.name}/${m.ruleIndex}/${m.matchIndex}`
        const first = !reported.has(key)
        reported.add(key)
        const fields = [m.match.method ? 'httpMethod' : '', m.match.headers.length ? 'httpHeaders' : '', m.match.queryParams.length ? 'httpQueryParams' : ''].filter(Boolean)
        if (fields.length) {
          if (first) {
            for (const f of fields) {
              diagnostics.push(routeProblem('RENDER_UNSUPPORTED_MATCH', 'error', m.route, matchPath(m.ruleIndex, m.matchIndex, f), `Azure Container Apps route configs (httpRouteConfigs) match on path only; ${f} cannot be expressed`))
            }
          }
          continue
        }
        const app = containerAppName(m.destination.resource)
        const target = httpTargets.get(m.destination.resource)
        if (!target) {
          httpTargets.set(m.destination.resource, { port: m.destination.containerPort })
        } else if (target.port !== m.destination.containerPort) {
          if (first) {
            diagnostics.push(
              routeProblem('RENDER_DESTINATION_PORT', 'error', m.route, ['properties', 'rules', m.ruleIndex, 'destinationContainer'], `a route config reaches container app "${app}" on its ingress targetPort ${target.port}, and cannot select port ${m.destination.containerPort}`),
            )
          }
          continue
        }
        apps.add(app)
        rules.push({ description: matchName(m), routes: ruleRoutes(m), targets: [{ containerApp: app }] })
      }
      if (!rules.length) continue
      const name = routeConfigName(plans.length > 1 ? `${appName}${plan.listener.port}` : appName, group.hostname)
      const cert = parameterName(name, 'certificate', 'id')
      const stores = [...new Set(group.matches.flatMap((m) => legacyOrigin(m.route)?.listener.certificateStore ?? []))]
      const from = stores.length ? ` (made from secret store ${stores.map((s) => `"${s}"`).join(', ')}: upload its tls.crt and tls.key as an environment certificate)` : ''
      if (group.hostname !== null) parameters[cert] = { type: 'string', metadata: { description: `The environment certificate for ${group.hostname}${from}` } }
      resources.push({
        type: 'Microsoft.App/managedEnvironments/httpRouteConfigs',
        apiVersion: API_VERSION,
        name: `[format('{0}/{1}', parameters('environmentName'), '${name}')]`,
        dependsOn: [...apps].sort().map((a) => `[resourceId('Microsoft.App/containerApps', '${a}')]`),
        properties: {
          ...(group.hostname !== null ? { customDomains: [{ name: group.hostname, bindingType: 'SniEnabled', certificateId: `[parameters('${cert}')]` }] } : {}),
          rules,
        },
      })
    }
  }
  return { resources, parameters, diagnostics }
}
