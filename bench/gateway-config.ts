/**
 * Gateway API YAML for `switchyard serve` in the benchmarks (the format of docs/serve.md): one
 * Gateway `gw` with the listeners a scenario needs, Services with EndpointSlices pointing at the
 * nginx backend, and HTTPRoutes — one catch-all, or thousands for route scale. Pure text.
 */

export interface GatewaySpec {
  /** The backend's plain HTTP port (Service `backend`, port 80). */
  readonly backend: number
  readonly http?: { readonly port: number }
  /** HTTPS terminated at the gateway with an ECDSA certificate (PEM text). */
  readonly https?: { readonly port: number; readonly certPem: string; readonly keyPem: string }
  /** TLS passthrough by SNI to the backend's TLS port (Service `backend-tls`). */
  readonly tlsPassthrough?: { readonly port: number; readonly sni: string; readonly upstream: number }
  /** TCP to the backend's plain HTTP port. */
  readonly tcp?: { readonly port: number }
  /** UDP to a UDP backend (Service `backend-udp`). */
  readonly udp?: { readonly port: number; readonly upstream: number }
  /** Add the catch-all HTTPRoute (`/` → backend) on the HTTP and HTTPS listeners. @default true */
  readonly catchAll?: boolean
  /**
   * A value the catch-all route sets as response header `x-bench-revision`: changing it changes the
   * IR, so rewriting the file with a new revision makes a real reload (a new generation).
   */
  readonly revision?: number
  /** Extra YAML documents (HTTPRoutes from `scaleRoutes`). */
  readonly extra?: string
}

const CLASS = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: switchyard }
spec: { controllerName: switchyard.dev/gateway-controller }`

function service(name: string, port: number, target: number, protocol: 'TCP' | 'UDP' = 'TCP'): string {
  const proto = protocol === 'UDP' ? ', protocol: UDP' : ''
  return `apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec: { ports: [{ name: p, port: ${port}${proto} }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${name}-local, labels: { kubernetes.io/service-name: ${name} } }
addressType: IPv4
ports: [{ name: p, port: ${target}${proto} }]
endpoints: [{ addresses: [127.0.0.1] }]`
}

export function gatewayYaml(g: GatewaySpec): string {
  const listeners: string[] = []
  const docs: string[] = [CLASS]
  if (g.http) listeners.push(`{ name: http, port: ${g.http.port}, protocol: HTTP }`)
  if (g.https) {
    listeners.push(`{ name: https, port: ${g.https.port}, protocol: HTTPS, tls: { certificateRefs: [{ name: bench-cert }] } }`)
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    docs.push(`apiVersion: v1
kind: Secret
metadata: { name: bench-cert }
type: kubernetes.io/tls
data: { tls.crt: ${b64(g.https.certPem)}, tls.key: ${b64(g.https.keyPem)} }`)
  }
  if (g.tlsPassthrough) {
    const t = g.tlsPassthrough
    listeners.push(`{ name: tls, port: ${t.port}, protocol: TLS, hostname: ${t.sni}, tls: { mode: Passthrough } }`)
    docs.push(service('backend-tls', 443, t.upstream))
    docs.push(`apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: { name: passthrough }
spec:
  parentRefs: [{ name: gw, sectionName: tls }]
  hostnames: [${t.sni}]
  rules: [{ backendRefs: [{ name: backend-tls, port: 443 }] }]`)
  }
  if (g.tcp) {
    listeners.push(`{ name: tcp, port: ${g.tcp.port}, protocol: TCP }`)
    docs.push(`apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: { name: tcp }
spec:
  parentRefs: [{ name: gw, sectionName: tcp }]
  rules: [{ backendRefs: [{ name: backend, port: 80 }] }]`)
  }
  if (g.udp) {
    listeners.push(`{ name: udp, port: ${g.udp.port}, protocol: UDP }`)
    docs.push(service('backend-udp', 53, g.udp.upstream, 'UDP'))
    docs.push(`apiVersion: gateway.networking.k8s.io/v1alpha2
kind: UDPRoute
metadata: { name: udp }
spec:
  parentRefs: [{ name: gw, sectionName: udp }]
  rules: [{ backendRefs: [{ name: backend-udp, port: 53 }] }]`)
  }
  docs.push(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: switchyard
  listeners:
${listeners.map((l) => `    - ${l}`).join('\n')}`)
  docs.push(service('backend', 80, g.backend))
  if ((g.catchAll ?? true) && (g.http || g.https)) {
    const filter =
      g.revision === undefined ? '' : `\n      filters: [{ type: ResponseHeaderModifier, responseHeaderModifier: { set: [{ name: x-bench-revision, value: "${g.revision}" }] } }]`
    docs.push(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: bench }
spec:
  parentRefs: [{ name: gw }]
  rules:
    - matches: [{ path: { type: PathPrefix, value: / } }]${filter}
      backendRefs: [{ name: backend, port: 80 }]`)
  }
  if (g.extra) docs.push(g.extra.trim())
  return docs.join('\n---\n') + '\n'
}

/** A request that one generated route (and only it) serves. */
export interface RouteRequest {
  readonly path: string
  readonly headers: Record<string, string>
}

/**
 * `n` HTTPRoutes on listener `http`, mixing what a real configuration has (gateway-api.md §4):
 * exact hostnames, wildcard hostnames, path prefixes, exact paths with a method, and header
 * matches; about ten routes per hostname, except that the header-matching quarter all share one
 * host and one path and differ only by `x-tenant` (a bucket of n/4 routes: a router that scans
 * such a bucket is not flat in n). Returns the YAML and `sample` requests spread evenly
 * over the routes, each answered 200 by the backend only if its route matched (no catch-all).
 */
export function scaleRoutes(n: number, sample = 100): { yaml: string; requests: RouteRequest[] } {
  const hosts = Math.max(1, Math.floor(n / 10))
  const docs: string[] = []
  const requestFor: RouteRequest[] = []
  for (let i = 0; i < n; i++) {
    const kind = i % 4
    const host = kind === 2 ? `"*.w${i % hosts}.bench.test"` : kind === 1 ? 'tenants.bench.test' : `h${i % hosts}.bench.test`
    const match =
      kind === 0
        ? `{ path: { type: PathPrefix, value: /svc${i} } }`
        : kind === 1
          ? `{ path: { type: PathPrefix, value: /tenant }, headers: [{ name: x-tenant, value: t${i} }] }`
          : kind === 2
            ? `{ path: { type: PathPrefix, value: /svc${i} } }`
            : `{ path: { type: Exact, value: /svc${i}/item }, method: GET }`
    docs.push(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r${i} }
spec:
  parentRefs: [{ name: gw, sectionName: http }]
  hostnames: [${host}]
  rules: [{ matches: [${match}], backendRefs: [{ name: backend, port: 80 }] }]`)
    requestFor.push({
      path: kind === 1 ? '/tenant/item' : `/svc${i}/item`,
      headers: { Host: kind === 2 ? `a.w${i % hosts}.bench.test` : kind === 1 ? 'tenants.bench.test' : `h${i % hosts}.bench.test`, ...(kind === 1 ? { 'x-tenant': `t${i}` } : {}) },
    })
  }
  const m = Math.min(n, sample)
  const requests = Array.from({ length: m }, (_, k) => requestFor[Math.floor((k * n) / m)]!)
  return { yaml: docs.join('\n---\n') + '\n', requests }
}
