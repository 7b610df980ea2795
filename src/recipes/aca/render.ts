import type { Diagnostic } from '../../diag/index.ts'
import type { App, Container } from '../../model/index.ts'
import { planLayer4, portProblems } from '../layer4.ts'
import { withLegacyRoutes } from '../legacy-routes.ts'
import { firstHttpDestinations, planHttp } from '../precedence.ts'
import type { DocumentRecipe, DocumentRenderResult } from '../recipe.ts'
import { resourceProblem, routeProblem } from '../route-diagnostics.ts'
import { legacyDifferences } from './legacy.ts'
import { containerAppName } from './names.ts'
import { API_VERSION, renderRouteConfigs, type HttpTargets } from './route-configs.ts'

/** "Additional TCP ports": at most 5 per app (platforms.md §2.2). */
const MAX_ADDITIONAL_PORTS = 5

interface TcpExposure {
  readonly targetPort: number
  readonly exposedPort: number
}

/**
 * The app → one ARM template: a container app per container resource, with ingress (internal for
 * HTTP: route configs are the public entry and may target internal apps, platforms.md §2.3;
 * external TCP with `exposedPort` for TCP routes), and the httpRouteConfigs of the HTTP routes.
 * UDP has no ingress on Container Apps; TLS routes become TCP ingress only when one passthrough
 * route has the port, as nothing there chooses by SNI. Legacy gateways are routes like the others,
 * in the route configs of their hostnames.
 */
export function renderAca(input: App): DocumentRenderResult {
  const { app, diagnostics } = withLegacyRoutes(input, 'aca')
  diagnostics.push(...legacyDifferences(app))
  const appName = app.application?.name ?? 'app'
  const httpTargets: HttpTargets = new Map([...firstHttpDestinations(app)].map(([r, d]) => [r, { port: d.containerPort }]))
  const configs = renderRouteConfigs(appName, planHttp(app), httpTargets)
  diagnostics.push(...configs.diagnostics)

  const tcp = new Map<string, TcpExposure[]>()
  for (const port of planLayer4(app)) {
    const unsupported = port.routes.filter((r) => r.routeKind === 'UDP' || (r.routeKind === 'TLS' && port.listener.tlsMode === 'Terminate'))
    for (const r of unsupported) {
      const why =
        r.routeKind === 'UDP'
          ? 'Azure Container Apps ingress carries HTTP and TCP only; UDP is not available'
          : `Azure Container Apps TCP ingress passes bytes through and cannot terminate TLS, as listener "${port.listener.name ?? port.listener.port}" asks`
      diagnostics.push(routeProblem('RENDER_UNSUPPORTED_KIND', 'error', r, ['properties', 'kind'], why))
    }
    if (unsupported.length) continue
    const checked = portProblems(port, app, 'aca', 'TCP ingress')
    diagnostics.push(...checked.diagnostics)
    const route = checked.route
    if (!route) continue
    if (port.listener.port === 80 || port.listener.port === 443) {
      diagnostics.push(routeProblem('RENDER_INVALID_VALUE', 'error', route, ['properties', 'kind'], `Azure Container Apps reserves ports 80 and 443 for HTTP ingress; TCP ingress cannot expose port ${port.listener.port}`))
      continue
    }
    diagnostics.push(routeProblem('RENDER_SEMANTICS_WIDENED', 'warning', route, ['properties', 'kind'], 'external TCP ingress needs a Container Apps environment with a virtual network'))
    const d = route.rules[0]!.destination
    tcp.set(d.resource, [...(tcp.get(d.resource) ?? []), { targetPort: d.containerPort, exposedPort: port.listener.port }])
  }

  const parameters: Record<string, unknown> = {
    environmentName: { type: 'string', metadata: { description: 'The Container Apps environment the apps run in' } },
    location: { type: 'string', defaultValue: '[resourceGroup().location]' },
    ...configs.parameters,
  }
  const apps = app.containers.map((c) => {
    const { ingress, problems } = ingressFor(c, httpTargets.get(c.name)?.port, tcp.get(c.name) ?? [])
    diagnostics.push(...problems)
    return {
      type: 'Microsoft.App/containerApps',
      apiVersion: API_VERSION,
      name: containerAppName(c.name),
      location: "[parameters('location')]",
      properties: {
        environmentId: "[resourceId('Microsoft.App/managedEnvironments', parameters('environmentName'))]",
        configuration: ingress ? { ingress } : {},
        template: { containers: templateContainers(c, diagnostics) },
      },
    }
  })
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { description: `Switchyard: the routes of "${appName}" on Azure Container Apps` },
    parameters,
    resources: [...apps, ...configs.resources],
  }
  return { documents: [{ name: 'template', body: template }], diagnostics }
}

/**
 * A container app's ingress: the HTTP routes' port as the main (internal) ingress, TCP routes'
 * ports as external TCP (the main port if there is no HTTP, else additional port mappings), and
 * every other TCP port as an internal additional port, so connections inside the environment
 * reach the ports a Kubernetes Service would expose.
 */
function ingressFor(c: Container, httpPort: number | undefined, tcp: readonly TcpExposure[]): { ingress?: Record<string, unknown>; problems: Diagnostic[] } {
  const problems: Diagnostic[] = []
  const tcpPorts = [...new Set(Object.values(c.containers).flatMap((s) => Object.values(s.ports).filter((p) => p.protocol === 'TCP').map((p) => p.containerPort)))].sort((a, b) => a - b)
  const [mainTcp, ...moreTcp] = tcp
  let main: Record<string, unknown> | undefined
  if (httpPort !== undefined) main = { external: false, targetPort: httpPort, transport: 'auto' }
  else if (mainTcp) main = { external: true, targetPort: mainTcp.targetPort, exposedPort: mainTcp.exposedPort, transport: 'tcp' }
  else if (tcpPorts.length) main = { external: false, targetPort: tcpPorts[0], transport: 'auto' }
  if (!main) return { problems }
  const external = httpPort !== undefined ? tcp : moreTcp
  const used = new Set([main.targetPort as number, ...external.map((t) => t.targetPort)])
  const additional = [
    ...external.map((t) => ({ external: true, targetPort: t.targetPort, exposedPort: t.exposedPort })),
    ...tcpPorts.filter((p) => !used.has(p)).map((p) => ({ external: false, targetPort: p })),
  ]
  if (additional.length > MAX_ADDITIONAL_PORTS) {
    problems.push(resourceProblem('RENDER_LIMIT', 'error', c, ['name'], `container app "${containerAppName(c.name)}" would need ${additional.length} additional ports; Azure Container Apps allows ${MAX_ADDITIONAL_PORTS}`))
  }
  return { ingress: { ...main, ...(additional.length ? { additionalPortMappings: additional } : {}) }, problems }
}

/** The containers of a resource as a container app template runs them. */
function templateContainers(c: Container, diagnostics: Diagnostic[]): unknown[] {
  return Object.entries(c.containers).map(([name, spec]) => {
    const env: { name: string; value: string }[] = []
    for (const [key, v] of Object.entries(spec.env)) {
      if (v.value !== undefined) env.push({ name: key, value: v.value })
      else {
        diagnostics.push(
          resourceProblem('RENDER_NOT_RENDERED', 'warning', c, ['properties', 'container', 'env', key], `environment variable ${key} comes from a secret store, which the Container Apps recipe does not render; add it as a container app secret`),
        )
      }
    }
    return { name: containerAppName(name), image: spec.image, ...(spec.command ? { command: [...spec.command] } : {}), ...(spec.args ? { args: [...spec.args] } : {}), ...(env.length ? { env } : {}) }
  })
}

export const acaRecipe: DocumentRecipe = { target: 'aca', defaultFormat: 'json', render: renderAca }
