import type { Diagnostic } from '../../diag/index.ts'
import type { App } from '../../model/index.ts'
import { firstHttpDestinations, planHttp, type FlatMatch } from '../precedence.ts'
import type { DocumentRecipe, DocumentRenderResult, PlatformDocument } from '../recipe.ts'
import { legacyGatewaysNotRendered, routeProblem } from '../route-diagnostics.ts'
import { cloudRunService, gcpName, negUrl, proxyUrl, sslCertificateUrl, urlMapUrl } from './names.ts'
import { renderUrlMap } from './url-map.ts'

/**
 * The app's HTTP routes → Compute Engine API resources for a global external Application Load
 * Balancer (`EXTERNAL_MANAGED`) in front of Cloud Run (platforms.md §3): a serverless NEG and a
 * backend service per routed Cloud Run service, a URL map per listener, its target proxy and
 * forwarding rule, and a 404 backend (a URL map has no built-in "not found"; the Cloud Run service
 * `<app>-not-found` behind it is one that answers 404 to everything). Each document is the REST
 * body of its resource, as `gcloud compute … import` and the API take it.
 */
export function renderCloudRun(app: App): DocumentRenderResult {
  const diagnostics: Diagnostic[] = [...legacyGatewaysNotRendered(app.gateways, 'cloudrun')]
  for (const route of app.routes) {
    if (route.routeKind === 'HTTP') continue
    diagnostics.push(
      routeProblem('RENDER_UNSUPPORTED_KIND', 'error', route, ['properties', 'kind'], `Cloud Run services accept only HTTP(S) requests (HTTP/1.1, HTTP/2, WebSockets, gRPC), and serverless NEGs sit behind Application Load Balancers only; kind ${route.routeKind} is not available`),
    )
  }
  const appName = app.application?.name ?? 'app'
  // A Cloud Run service has one ingress container listening on one port (the container contract).
  const ingress = new Map([...firstHttpDestinations(app)].map(([r, d]) => [r, { containerName: d.containerName, port: d.containerPort }]))
  const reported = new Set<string>()
  const serviceOf = (m: FlatMatch): string | undefined => {
    const d = m.destination
    const seen = ingress.get(d.resource)!
    if (seen.containerName !== d.containerName || seen.port !== d.containerPort) {
      const key = `${m.route.name}/${m.ruleIndex}`
      if (!reported.has(key)) {
        diagnostics.push(
          routeProblem('RENDER_DESTINATION_PORT', 'error', m.route, ['properties', 'rules', m.ruleIndex, 'destinationContainer'], `Cloud Run service "${cloudRunService(d.resource)}" takes requests on one container and port (${seen.containerName}:${seen.port}); this rule sends them to ${d.containerName}:${d.containerPort}`),
        )
      }
      reported.add(key)
      return undefined
    }
    return gcpName(63, d.resource)
  }

  const notFound = gcpName(63, appName, 'not-found')
  const plans = planHttp(app)
  const maps: PlatformDocument[] = []
  const fronts: PlatformDocument[] = []
  for (const plan of plans) {
    const name = gcpName(63, ...(plans.length > 1 ? [appName, String(plan.listener.port)] : [appName]))
    const map = renderUrlMap(name, plan, serviceOf, notFound)
    diagnostics.push(...map.diagnostics)
    maps.push({ name: `urlMap-${name}`, body: map.body })
    const https = plan.listener.protocol === 'HTTPS'
    fronts.push({
      name: `${https ? 'targetHttpsProxy' : 'targetHttpProxy'}-${name}`,
      body: { kind: https ? 'compute#targetHttpsProxy' : 'compute#targetHttpProxy', name, urlMap: urlMapUrl(name), ...(https ? { sslCertificates: [sslCertificateUrl('${SSL_CERTIFICATE}')] } : {}) },
    })
    fronts.push({
      name: `forwardingRule-${name}`,
      body: { kind: 'compute#forwardingRule', name, IPProtocol: 'TCP', portRange: String(plan.listener.port), loadBalancingScheme: 'EXTERNAL_MANAGED', target: proxyUrl(name, https) },
    })
  }
  if (!plans.length) return { documents: [], diagnostics }

  const backends = [...[...ingress.keys()].map((r) => ({ backend: gcpName(63, r), service: cloudRunService(r) })), { backend: notFound, service: cloudRunService(`${appName}-not-found`) }].sort((a, b) => a.backend.localeCompare(b.backend))
  const negs = backends.map(({ backend, service }) => ({
    name: `networkEndpointGroup-${backend}`,
    body: { kind: 'compute#networkEndpointGroup', name: backend, networkEndpointType: 'SERVERLESS', cloudRun: { service } },
  }))
  const services = backends.map(({ backend }) => ({
    name: `backendService-${backend}`,
    body: { kind: 'compute#backendService', name: backend, loadBalancingScheme: 'EXTERNAL_MANAGED', backends: [{ group: negUrl(backend) }] },
  }))
  return { documents: [...negs, ...services, ...maps, ...fronts], diagnostics }
}

export const cloudRunRecipe: DocumentRecipe = { target: 'cloudrun', defaultFormat: 'yaml', render: renderCloudRun }
