import { GATEWAY_GROUP, RouteReason, type ParentReference, type Route } from '../k8s/index.ts'
import { selectorMatches, type Context } from './context.ts'
import type { GatewayState } from './gateways.ts'
import { intersectHostnames } from './hostnames.ts'
import type { ListenerState } from './listeners.ts'

/** The outcome of one parentRef of a Route that points at a Gateway we manage. */
export interface ParentAttachment {
  /** The parentRef as written (with defaults), which keys the status entry. */
  readonly ref: ParentReference
  readonly gateway: GatewayState
  /** Listeners that accepted the route; empty when `failure` is set. */
  readonly listeners: readonly ListenerState[]
  readonly failure: { readonly reason: string; readonly message: string } | null
}

/**
 * Resolves a Route's parentRefs (gateway-api.md §5.4, §4.2). sectionName and port select listeners
 * (both must match when both are set); none selected → NoMatchingParent. A selected listener
 * accepts the route if it allows the route's kind (supportedKinds) and namespace (allowedRoutes)
 * and, for HTTP and TLS routes, some hostname intersects. If no listener accepts it: hostname-only
 * failures → NoMatchingListenerHostname, else NotAllowedByListeners. parentRefs to Gateways we do
 * not manage (or to other kinds of parent) are not ours and are skipped.
 */
export function attachRoute(ctx: Context, route: Route, gateways: ReadonlyMap<string, GatewayState>): ParentAttachment[] {
  const out: ParentAttachment[] = []
  const routeNs = route.metadata.namespace
  const routeHosts = route.kind === 'HTTPRoute' || route.kind === 'TLSRoute' ? (route.spec.hostnames ?? []) : []
  for (const ref of route.spec.parentRefs ?? []) {
    if (ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway') continue
    const gateway = gateways.get(`${ref.namespace ?? routeNs}/${ref.name}`)
    if (!gateway) continue
    const selected = gateway.listeners.filter((l) => (ref.sectionName === undefined || l.spec.name === ref.sectionName) && (ref.port === undefined || l.spec.port === ref.port))
    if (selected.length === 0) {
      const what = [ref.sectionName !== undefined ? `sectionName ${ref.sectionName}` : '', ref.port !== undefined ? `port ${ref.port}` : ''].filter(Boolean).join(' and ')
      out.push({ ref, gateway, listeners: [], failure: { reason: RouteReason.NoMatchingParent, message: `no listener matches ${what || 'this parentRef'}` } })
      continue
    }
    const accepting: ListenerState[] = []
    let hostnameOnly = false
    const reasons: string[] = []
    for (const l of selected) {
      if (!l.supportedKinds.some((k) => k.kind === route.kind)) {
        reasons.push(`listener ${l.spec.name} does not allow ${route.kind}`)
        continue
      }
      if (!namespaceAllowed(ctx, l, routeNs)) {
        reasons.push(`listener ${l.spec.name} does not allow routes from namespace ${routeNs}`)
        continue
      }
      if (routeHosts.length > 0 && !routeHosts.some((h) => intersectHostnames(l.spec.hostname ?? null, h) !== undefined)) {
        hostnameOnly = true
        continue
      }
      accepting.push(l)
    }
    if (accepting.length > 0) out.push({ ref, gateway, listeners: accepting, failure: null })
    else if (hostnameOnly)
      out.push({ ref, gateway, listeners: [], failure: { reason: RouteReason.NoMatchingListenerHostname, message: 'no route hostname intersects a listener hostname' } })
    else out.push({ ref, gateway, listeners: [], failure: { reason: RouteReason.NotAllowedByListeners, message: reasons.join('; ') } })
  }
  return out
}

function namespaceAllowed(ctx: Context, l: ListenerState, routeNs: string): boolean {
  const ns = l.spec.allowedRoutes.namespaces
  switch (ns.from) {
    case 'All':
      return true
    case 'Same':
      return routeNs === l.gateway.metadata.namespace
    case 'Selector':
      // A Selector without a selector selects nothing rather than everything: the safe reading.
      return ns.selector !== undefined && selectorMatches(ns.selector, ctx.namespaceLabels(routeNs))
    case 'None':
      return false
    default:
      return false
  }
}

/** The hostnames a route serves on a listener (gateway-api.md §4.2): the intersections, or the listener's. */
export function effectiveHostnames(listenerHostname: string | null, routeHostnames: readonly string[]): string[] {
  if (routeHostnames.length === 0) return [listenerHostname ?? '*']
  const out = new Set<string>()
  for (const h of routeHostnames) {
    const i = intersectHostnames(listenerHostname, h)
    if (i !== undefined) out.add(i ?? '*')
  }
  return [...out]
}
