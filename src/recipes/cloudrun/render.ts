import type { Diagnostic } from '../../diag/index.ts'
import type { App } from '../../model/index.ts'
import { legacyOrigin, withLegacyRoutes } from '../legacy-routes.ts'
import { listenerTls } from '../listener-tls.ts'
import { firstHttpDestinations, planHttp, type FlatMatch } from '../precedence.ts'
import type { DocumentRecipe, DocumentRenderResult, PlatformDocument } from '../recipe.ts'
import { routeProblem } from '../route-diagnostics.ts'
import { certificatePlaceholder, cloudRunService, gcpName, negUrl, proxyUrl, sslCertificateUrl, sslPolicyUrl, urlMapUrl } from './names.ts'
import { renderUrlMap } from './url-map.ts'

/**
 * The app's HTTP routes → Compute Engine API resources for a global external Application Load
 * Balancer (`EXTERNAL_MANAGED`) in front of Cloud Run (platforms.md §3): a serverless NEG and a
 * backend service per routed Cloud Run service, a URL map per listener, its target proxy and
 * forwarding rule, and a 404 backend (a URL map has no built-in "not found"; the Cloud Run service
 * `<app>-not-found` behind it is one that answers 404 to everything). Each document is the REST
 * body of its resource, as `gcloud compute … import` and the API take it. Legacy gateways join the
 * same URL maps, on their own listeners; an HTTPS listener presents one certificate per source and
 * a minimum TLS version is an SSL policy.
 */
export function renderCloudRun(input: App): DocumentRenderResult {
  const { app, diagnostics } = withLegacyRoutes(input, 'cloudrun')
  for (const route of app.routes) {
    if (route.routeKind === 'HTTP') continue
    const what = legacyOrigin(route) ? 'TLS passthrough (sslPassthrough)' : `kind ${route.routeKind}`
    diagnostics.push(
      routeProblem('RENDER_UNSUPPORTED_KIND', 'error', route, ['properties', 'kind'], `Cloud Run services accept only HTTP(S) requests (HTTP/1.1, HTTP/2, WebSockets, gRPC), and serverless NEGs sit behind Application Load Balancers only; ${what} is not available`),
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
  const policies: PlatformDocument[] = []
  for (const plan of plans) {
    const name = gcpName(63, ...(plans.length > 1 ? [appName, String(plan.listener.port)] : [appName]))
    const map = renderUrlMap(name, plan, serviceOf, notFound)
    diagnostics.push(...map.diagnostics)
    maps.push({ name: `urlMap-${name}`, body: map.body })
    const https = plan.listener.protocol === 'HTTPS'
    const tls = listenerTls(plan, 'cloudrun', 'one forwarding rule and target proxy')
    diagnostics.push(...tls.diagnostics)
    let policy: string | undefined
    if (https && tls.minimumTlsVersion) {
      // An SSL policy per minimum version: the MODERN profile for current clients; a TLS_1_3
      // minimum must use RESTRICTED (Compute API, SslPolicy.minTlsVersion).
      const v13 = tls.minimumTlsVersion === '1.3'
      policy = gcpName(63, appName, v13 ? 'tls13' : 'tls12')
      if (!policies.some((p) => p.name === `sslPolicy-${policy}`)) {
        policies.push({ name: `sslPolicy-${policy}`, body: { kind: 'compute#sslPolicy', name: policy, profile: v13 ? 'RESTRICTED' : 'MODERN', minTlsVersion: v13 ? 'TLS_1_3' : 'TLS_1_2' } })
      }
    }
    fronts.push({
      name: `${https ? 'targetHttpsProxy' : 'targetHttpProxy'}-${name}`,
      body: {
        kind: https ? 'compute#targetHttpsProxy' : 'compute#targetHttpProxy',
        name,
        urlMap: urlMapUrl(name),
        ...(https ? { sslCertificates: tls.certificates.map((c) => sslCertificateUrl(certificatePlaceholder(c))) } : {}),
        ...(policy ? { sslPolicy: sslPolicyUrl(policy) } : {}),
      },
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
  return { documents: [...negs, ...services, ...maps, ...policies, ...fronts], diagnostics }
}

export const cloudRunRecipe: DocumentRecipe = { target: 'cloudrun', defaultFormat: 'yaml', render: renderCloudRun }
