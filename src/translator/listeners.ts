import type * as ir from '../ir/index.ts'
import { ConditionType, GATEWAY_GROUP, ListenerReason, objectKey, type Gateway, type Listener, type ListenerStatus, type RouteGroupKind } from '../k8s/index.ts'
import { resolveCertificate } from './certificates.ts'
import type { Context } from './context.ts'
import { intersectHostnames } from './hostnames.ts'
import { cond, Problems, stamp } from './status/index.ts'

/** How a listener's port is served: cleartext HTTP, TLS (HTTPS and TLS share SNI), TCP, UDP. */
export type Family = 'http' | 'tls' | 'tcp' | 'udp'

/** The translator's working state for one spec listener. */
export interface ListenerState {
  readonly gateway: Gateway
  readonly spec: Listener
  /** `<gwNs>/<gwName>/<listenerName>`: the IR name. */
  readonly name: string
  /** null: a protocol we do not support. */
  readonly family: Family | null
  readonly supportedKinds: readonly RouteGroupKind[]
  readonly accepted: Problems
  readonly resolvedRefs: Problems
  conflict: { readonly reason: string; readonly message: string } | null
  /** Other HTTPS listeners on this port whose hostnames overlap this one's (OverlappingTLSConfig). */
  overlapping: readonly string[]
  readonly certificates: readonly ir.Certificate[]
  /** False when a certificateRef failed: a terminating listener cannot serve without its certificates. */
  readonly certificatesOk: boolean
  /** certificateRefs (by index) whose Secret exists but cannot serve: reported as diagnostics too. */
  readonly malformedCertificates: readonly { readonly ref: number; readonly message: string }[]
  /** Accepted routes attached here (counted by attachment). */
  attachedRoutes: number
}

const FAMILY: Record<string, Family> = { HTTP: 'http', HTTPS: 'tls', TLS: 'tls', TCP: 'tcp', UDP: 'udp' }

/** The route kinds each protocol can carry, in the order `supportedKinds` lists them (gateway-api.md §1, §5.4). */
const KINDS_FOR: Record<string, readonly string[]> = { HTTP: ['HTTPRoute'], HTTPS: ['HTTPRoute'], TLS: ['TLSRoute'], TCP: ['TCPRoute'], UDP: ['UDPRoute'] }

/**
 * Evaluates the listeners of one Gateway on their own (gateway-api.md §5): protocol support,
 * allowed route kinds, certificate refs, and conflicts between listeners of this Gateway (§5.2).
 */
export function evaluateListeners(ctx: Context, gw: Gateway): ListenerState[] {
  const states = gw.spec.listeners.map((l) => evaluateOne(ctx, gw, l))
  markConflicts(states)
  return states
}

function evaluateOne(ctx: Context, gw: Gateway, l: Listener): ListenerState {
  const accepted = new Problems()
  const resolvedRefs = new Problems()
  const family = FAMILY[l.protocol] ?? null
  let supportedKinds: RouteGroupKind[] = []
  const certificates: ir.Certificate[] = []
  const malformedCertificates: { ref: number; message: string }[] = []
  let certificatesOk = true
  if (family === null) {
    accepted.add(ListenerReason.UnsupportedProtocol, `protocol ${l.protocol} is not supported`)
  } else {
    const allowed = KINDS_FOR[l.protocol] ?? []
    const wanted = l.allowedRoutes.kinds
    if (wanted === undefined || wanted.length === 0) {
      supportedKinds = allowed.map((kind) => ({ group: GATEWAY_GROUP, kind }))
    } else {
      for (const k of wanted) {
        if (k.group === GATEWAY_GROUP && allowed.includes(k.kind)) {
          if (!supportedKinds.some((s) => s.kind === k.kind)) supportedKinds.push({ group: GATEWAY_GROUP, kind: k.kind })
        } else resolvedRefs.add(ListenerReason.InvalidRouteKinds, `route kind ${k.group}/${k.kind} is not supported on a ${l.protocol} listener`)
      }
    }
    // Passthrough ignores certificateRefs (gateway-api.md §5.3); HTTPS is always Terminate.
    const terminates = l.protocol === 'HTTPS' || (l.protocol === 'TLS' && l.tls?.mode === 'Terminate')
    if (terminates) {
      if ((l.tls?.certificateRefs ?? []).length === 0) {
        // The CRD allows Terminate with only implementation-specific options; we read none.
        resolvedRefs.add(ListenerReason.InvalidCertificateRef, 'no certificateRefs: tls.options are not a certificate source here', 1)
        certificatesOk = false
      }
      for (const [i, ref] of (l.tls?.certificateRefs ?? []).entries()) {
        const r = resolveCertificate(ctx, gw.metadata.namespace, ref)
        if (r.ok) certificates.push(r.certificate)
        // RefNotPermitted takes precedence over InvalidCertificateRef (§5.3).
        else {
          resolvedRefs.add(r.reason, r.message, r.reason === ListenerReason.RefNotPermitted ? 3 : 2)
          certificatesOk = false
          if (r.malformed) malformedCertificates.push({ ref: i, message: r.message })
        }
      }
    }
  }
  return { gateway: gw, spec: l, name: `${objectKey(gw)}/${l.name}`, family, supportedKinds, accepted, resolvedRefs, conflict: null, overlapping: [], certificates, certificatesOk, malformedCertificates, attachedRoutes: 0 }
}

/**
 * Listeners on one port must be distinct (gateway-api.md §5.2): cleartext HTTP cannot share a port
 * with TLS-family or TCP listeners (ProtocolConflict, all of them rejected, no winner); HTTPS and
 * TLS listeners share a port told apart by SNI, so two of them with the same hostname conflict
 * (HostnameConflict). UDP ports are a separate transport.
 */
function markConflicts(states: ListenerState[]): void {
  const byPort = new Map<string, ListenerState[]>()
  for (const s of states) {
    if (s.family === null) continue
    const key = `${s.family === 'udp' ? 'udp' : 'tcp'}/${s.spec.port}`
    byPort.set(key, [...(byPort.get(key) ?? []), s])
  }
  for (const group of byPort.values()) {
    const families = new Set(group.map((s) => s.family))
    if (families.size > 1) {
      const list = [...families].sort().join(', ')
      for (const s of group) s.conflict = { reason: ListenerReason.ProtocolConflict, message: `port ${s.spec.port} is shared by listeners of incompatible protocols (${list})` }
      continue
    }
    for (const s of group) {
      // HTTPS listeners whose hostnames overlap invite HTTP/2 connection coalescing across them
      // (listener OverlappingTLSConfig, gateway-api.md §8; set only when True).
      if (s.spec.protocol === 'HTTPS')
        s.overlapping = group
          .filter((o) => o !== s && o.spec.protocol === 'HTTPS' && (o.spec.hostname ?? null) !== (s.spec.hostname ?? null) && intersectHostnames(o.spec.hostname ?? null, s.spec.hostname ?? null) !== undefined)
          .map((o) => o.spec.name)
      const host = s.spec.hostname ?? null
      const clash = group.filter((o) => o !== s && (o.spec.hostname ?? null) === host)
      if (clash.length > 0)
        s.conflict = { reason: ListenerReason.HostnameConflict, message: `hostname ${host ?? '(none)'} on port ${s.spec.port} is also used by listener ${clash.map((c) => c.spec.name).join(', ')}` }
    }
  }
}

export function isListenerAccepted(s: ListenerState): boolean {
  return s.accepted.empty && s.conflict === null
}

/**
 * Programmed: accepted, its certificates resolved, and at least one route kind it can carry. An
 * invalid kind beside a valid one is reported (ResolvedRefs=False/InvalidRouteKinds) but does not
 * stop the listener serving the valid kinds.
 */
export function isListenerReady(s: ListenerState): boolean {
  return isListenerAccepted(s) && s.certificatesOk && s.supportedKinds.length > 0
}

/** The listener's status entry (gateway-api.md §8, Listener table). */
export function listenerStatus(s: ListenerState, now: string): ListenerStatus {
  const acceptedProblems = new Problems()
  if (s.conflict) acceptedProblems.add(s.conflict.reason, s.conflict.message, 1)
  const accepted = s.conflict ? acceptedProblems.condition(ConditionType.Accepted, '', '') : s.accepted.condition(ConditionType.Accepted, ListenerReason.Accepted, 'Listener is valid')
  const conflicted = s.conflict ? cond(ConditionType.Conflicted, true, s.conflict.reason, s.conflict.message) : cond(ConditionType.Conflicted, false, ListenerReason.NoConflicts, 'No conflicts')
  const resolved = s.resolvedRefs.condition(ConditionType.ResolvedRefs, ListenerReason.ResolvedRefs, 'All references resolved')
  const overlap = s.overlapping.length > 0 ? [cond(ConditionType.OverlappingTLSConfig, true, ListenerReason.OverlappingHostnames, `hostname overlaps listener ${s.overlapping.join(', ')} on port ${s.spec.port}`)] : []
  const ready = isListenerReady(s)
  const programmed = cond(ConditionType.Programmed, ready, ready ? ListenerReason.Programmed : ListenerReason.Invalid, ready ? 'Listener is programmed' : 'Listener is not valid')
  return {
    name: s.spec.name,
    supportedKinds: s.family === null ? [] : s.supportedKinds,
    attachedRoutes: s.attachedRoutes,
    conditions: stamp([accepted, conflicted, resolved, programmed, ...overlap], s.gateway.metadata.generation, now),
  }
}
