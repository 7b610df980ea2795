import { isIP } from 'node:net'
import { ConditionType, GatewayReason, ListenerReason, type Gateway, type GatewayStatus } from '../k8s/index.ts'
import type { Context } from './context.ts'
import { evaluateListeners, isListenerAccepted, isListenerReady, listenerStatus, type ListenerState } from './listeners.ts'
import { cond, Problems, stamp } from './status/index.ts'

export interface GatewayState {
  readonly gateway: Gateway
  readonly listeners: readonly ListenerState[]
  /** The bind address from spec.addresses (type IPAddress); null = the runtime's default. */
  readonly address: string | null
  /** Gateway-level reasons not to accept it (UnsupportedAddress, InvalidParameters). */
  readonly addressProblems: Problems
}

/**
 * Evaluates managed Gateways, oldest first (gateway-api.md §10), then claims ports across them:
 * Gateways may share an address and port when their listeners are compatible (same family, distinct
 * hostnames); a listener that cannot share with an older Gateway's is Accepted=False/PortUnavailable.
 */
export function evaluateGateways(ctx: Context, gateways: readonly Gateway[]): GatewayState[] {
  const states = [...gateways].sort(olderFirst).map((gw) => evaluateGateway(ctx, gw))
  const claims = new Map<string, { family: string; hosts: Set<string>; owner: string }>()
  for (const g of states) {
    for (const l of g.listeners) {
      if (!isListenerAccepted(l) || l.family === null) continue
      const key = `${l.family === 'udp' ? 'udp' : 'tcp'}|${g.address ?? '*'}|${l.spec.port}`
      const host = l.spec.hostname ?? '*'
      const claim = claims.get(key)
      const owner = `${g.gateway.metadata.namespace}/${g.gateway.metadata.name}`
      if (!claim) {
        claims.set(key, { family: l.family, hosts: new Set([host]), owner })
        continue
      }
      if (claim.owner === owner) {
        claim.hosts.add(host)
        continue
      }
      const shareable = claim.family === l.family && (l.family === 'http' || l.family === 'tls') && !claim.hosts.has(host)
      if (shareable) claim.hosts.add(host)
      else l.accepted.add(ListenerReason.PortUnavailable, `port ${l.spec.port} is already in use by Gateway ${claim.owner}`)
    }
  }
  return states
}

export function olderFirst(a: { metadata: { creationTimestamp: string; namespace: string; name: string } }, b: typeof a): number {
  return (
    a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) ||
    `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`)
  )
}

function evaluateGateway(ctx: Context, gw: Gateway): GatewayState {
  const addressProblems = new Problems()
  let address: string | null = null
  for (const a of gw.spec.addresses ?? []) {
    // Only IP addresses can be bound locally (DESIGN.md §5); one bind address per Gateway.
    if (a.type !== 'IPAddress') addressProblems.add(GatewayReason.UnsupportedAddress, `address type ${a.type} is not supported`)
    else if (isIP(a.value) === 0) addressProblems.add(GatewayReason.UnsupportedAddress, `${a.value} is not an IP address`)
    else if (address !== null) addressProblems.add(GatewayReason.UnsupportedAddress, 'only one address per Gateway is supported')
    else address = a.value
  }
  // infrastructure.parametersRef (a local reference): the only parameters kind we read is a core
  // ConfigMap in the Gateway's namespace; anything else is Accepted=False/InvalidParameters (§8).
  const params = gw.spec.infrastructure?.parametersRef
  if (params && !(params.group === '' && params.kind === 'ConfigMap' && ctx.configMaps.has(`${gw.metadata.namespace}/${params.name}`)))
    addressProblems.add(GatewayReason.InvalidParameters, `infrastructure.parametersRef ${params.group || 'core'}/${params.kind} ${params.name} is not an existing ConfigMap in namespace ${gw.metadata.namespace}`, 1)
  return { gateway: gw, listeners: evaluateListeners(ctx, gw), address, addressProblems }
}

export function isGatewayAccepted(g: GatewayState): boolean {
  return g.addressProblems.empty && g.listeners.some(isListenerAccepted)
}

/** The Gateway's status (gateway-api.md §5.1, §8 Gateway table). */
export function gatewayStatus(g: GatewayState, now: string): GatewayStatus {
  const valid = g.listeners.filter(isListenerAccepted).length
  const total = g.listeners.length
  let accepted
  if (!g.addressProblems.empty) accepted = g.addressProblems.condition(ConditionType.Accepted, '', '')
  else if (valid === 0) accepted = cond(ConditionType.Accepted, false, GatewayReason.ListenersNotValid, 'No listener is valid')
  else if (valid < total) accepted = cond(ConditionType.Accepted, true, GatewayReason.ListenersNotValid, `${total - valid} of ${total} listeners are not valid`)
  else accepted = cond(ConditionType.Accepted, true, GatewayReason.Accepted, 'Gateway is accepted')
  const ready = g.listeners.filter(isListenerReady).length
  const programmed =
    accepted.status === 'True' && ready > 0
      ? cond(ConditionType.Programmed, true, GatewayReason.Programmed, 'Gateway is programmed')
      : cond(ConditionType.Programmed, false, GatewayReason.Invalid, 'Gateway is not accepted or has no ready listener')
  const unresolved = g.listeners.filter((l) => !l.resolvedRefs.empty).map((l) => l.spec.name)
  const resolved =
    unresolved.length === 0
      ? cond(ConditionType.ResolvedRefs, true, GatewayReason.ResolvedRefs, 'All references resolved')
      : cond(ConditionType.ResolvedRefs, false, GatewayReason.ListenersNotResolved, `listeners with unresolved references: ${unresolved.join(', ')}`)
  const status: GatewayStatus = {
    conditions: stamp([accepted, programmed, resolved], g.gateway.metadata.generation, now),
    listeners: g.listeners.map((l) => listenerStatus(l, now)),
  }
  return g.address === null ? status : { ...status, addresses: [{ type: 'IPAddress', value: g.address }] }
}
