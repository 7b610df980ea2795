import { isIP } from 'node:net'
import { k8sName } from '../util/index.ts'

/** Where one port of a local container is served, and whether it answers. */
export interface PlacedPort {
  /** The port's name in the app (the Service port is named `k8sName(name)`). */
  readonly name: string
  readonly protocol: 'TCP' | 'UDP'
  readonly host: string
  readonly port: number
}

export interface PlacedService {
  readonly namespace: string
  /** The Service the Kubernetes recipe renders for the container. */
  readonly service: string
  readonly ports: readonly PlacedPort[]
  readonly ready: boolean
}

/**
 * The EndpointSlices (discovery.k8s.io/v1) that resolve each rendered Service to where its
 * container runs on this machine, as the EndpointSlice controller would in a cluster: ports named
 * after the Service's ports, the endpoint `ready` only while the container answers (so the
 * gateway answers 503 for its routes meanwhile, gateway-api.md §7). A slice holds one address
 * type and applies all its ports to all its endpoints, so ports served at different hosts get one
 * slice per host.
 */
export function endpointSlices(services: readonly PlacedService[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const s of services) {
    const byHost = new Map<string, PlacedPort[]>()
    for (const p of s.ports) byHost.set(p.host, [...(byHost.get(p.host) ?? []), p])
    let i = 0
    for (const [host, ports] of byHost) {
      const family = isIP(host)
      out.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: k8sName(s.service, 'local', String(i++)), namespace: s.namespace, labels: { 'kubernetes.io/service-name': s.service, 'endpointslice.kubernetes.io/managed-by': 'switchyard.dev/run' } },
        addressType: family === 4 ? 'IPv4' : family === 6 ? 'IPv6' : 'FQDN',
        ports: ports.map((p) => ({ name: k8sName(p.name), port: p.port, protocol: p.protocol })),
        endpoints: [{ addresses: [host], conditions: { ready: s.ready, serving: s.ready } }],
      })
    }
  }
  return out
}
