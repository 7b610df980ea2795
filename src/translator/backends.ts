import * as ir from '../ir/index.ts'
import { GATEWAY_GROUP, RouteReason, type BackendRef, type RouteKind } from '../k8s/index.ts'
import type { Context } from './context.ts'
import { isReferencePermitted } from './reference-grants.ts'

/** A backendRef after resolution: endpoints and protocol, or the ResolvedRefs reason it failed with. */
export type ResolvedBackend =
  | { readonly ok: true; readonly service: string; readonly endpoints: readonly ir.Endpoint[]; readonly appProtocol: ir.AppProtocol }
  | { readonly ok: false; readonly reason: string; readonly message: string }

// gateway-api.md §7: appProtocol values with a defined upstream protocol. Anything else on an
// HTTPRoute backend is ResolvedRefs=False/UnsupportedProtocol.
const APP_PROTOCOLS: Record<string, ir.AppProtocol> = {
  http: 'http1',
  'kubernetes.io/http': 'http1',
  'kubernetes.io/h2c': 'h2c',
  'kubernetes.io/ws': 'ws',
}

/**
 * Resolves one backendRef of a route in `routeNamespace` (gateway-api.md §7, §9): core Service only
 * (else InvalidKind), cross-namespace only with a ReferenceGrant (else RefNotPermitted, even when
 * the Service is missing), the Service and port must exist (else BackendNotFound), and the port's
 * appProtocol must be one we speak (HTTP only; else UnsupportedProtocol). Endpoints come from the
 * Service's EndpointSlices (service port → endpoint port by port name, ready endpoints only).
 */
export function resolveBackend(ctx: Context, routeKind: RouteKind, routeNamespace: string, ref: Omit<BackendRef, 'weight'>): ResolvedBackend {
  const namespace = ref.namespace ?? routeNamespace
  const name = `${namespace}/${ref.name}`
  if (ref.group !== '' || ref.kind !== 'Service')
    return { ok: false, reason: RouteReason.InvalidKind, message: `backendRef ${ref.group || 'core'}/${ref.kind} ${name} is not a core Service` }
  if (!isReferencePermitted(ctx.grants, { group: GATEWAY_GROUP, kind: routeKind, namespace: routeNamespace }, { group: '', kind: 'Service', namespace, name: ref.name }))
    return { ok: false, reason: RouteReason.RefNotPermitted, message: `backendRef to Service ${name} is not permitted by any ReferenceGrant in namespace ${namespace}` }
  const svc = ctx.services.get(name)
  if (!svc) return { ok: false, reason: RouteReason.BackendNotFound, message: `Service ${name} not found` }
  const port = svc.spec.ports.find((p) => p.port === ref.port)
  if (!port) return { ok: false, reason: RouteReason.BackendNotFound, message: `Service ${name} has no port ${String(ref.port)}` }
  const wantUDP = routeKind === 'UDPRoute'
  if ((port.protocol === 'UDP') !== wantUDP)
    return { ok: false, reason: RouteReason.UnsupportedProtocol, message: `Service ${name} port ${port.port} is ${port.protocol}; a ${routeKind} needs ${wantUDP ? 'UDP' : 'TCP'}` }
  let appProtocol: ir.AppProtocol = 'http1'
  if (routeKind === 'HTTPRoute' && port.appProtocol !== undefined) {
    const p = APP_PROTOCOLS[port.appProtocol]
    if (!p) return { ok: false, reason: RouteReason.UnsupportedProtocol, message: `Service ${name} port ${port.port} has unsupported appProtocol ${port.appProtocol}` }
    appProtocol = p
  }
  return { ok: true, service: `${name}:${port.port}`, endpoints: endpointsOf(ctx, namespace, svc.metadata.name, port), appProtocol }
}

function endpointsOf(ctx: Context, namespace: string, service: string, port: { readonly name?: string; readonly port: number; readonly targetPort?: number | string; readonly protocol: string }): ir.Endpoint[] {
  const out = new Map<string, ir.Endpoint>()
  const slices = ctx.endpointSlices.get(`${namespace}/${service}`) ?? []
  for (const slice of slices) {
    // The EndpointSlice controller names each slice port after its Service port ('' when unnamed).
    const sp = slice.ports.find((p) => (p.name ?? '') === (port.name ?? '') && p.protocol === port.protocol)
    if (!sp) continue
    for (const e of slice.endpoints) {
      if (e.conditions?.ready === false) continue
      for (const address of e.addresses) out.set(`${address}|${sp.port}`, { address, port: sp.port })
    }
  }
  if (slices.length === 0) {
    // Without EndpointSlices, a Service that names an address itself (clusterIP or externalName)
    // is reached there, at the targetPort when numeric: convenient for local runs.
    const svc = ctx.services.get(`${namespace}/${service}`)
    const target = typeof port.targetPort === 'number' ? port.targetPort : port.port
    const address = svc?.spec.externalName ?? (svc?.spec.clusterIP && svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : undefined)
    if (address) out.set(address, { address, port: target })
  }
  return [...out.values()].sort((a, b) => a.address.localeCompare(b.address) || a.port - b.port)
}
