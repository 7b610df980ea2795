import type { Diagnostic } from '../diag/index.ts'
import type * as ir from '../ir/index.ts'
import { objectKey, type Gateway, type GatewayClass, type K8sObject, type Route } from '../k8s/index.ts'
import { attachRoute } from './attachment.ts'
import { buildSnapshot, type Attached } from './build-ir.ts'
import { buildContext } from './context.ts'
import { gatewayClassStatus, isAccepted } from './gatewayclass.ts'
import { evaluateGateways, gatewayStatus, olderFirst, type GatewayState } from './gateways.ts'
import { lowerHTTPRoute, type LoweredHTTPRoute } from './httproute.ts'
import { lowerL4Route, type LoweredL4Route } from './l4routes.ts'
import type { ListenerState } from './listeners.ts'
import { isParentAccepted, routeParentStatus } from './routes-status.ts'

export const DEFAULT_CONTROLLER_NAME = 'switchyard.dev/gateway-controller'

export interface TranslateOptions {
  /** Only GatewayClasses with this controllerName are ours (DESIGN.md §5). */
  readonly controllerName?: string
  /** RFC 3339 time for lastTransitionTime (an injected clock keeps output deterministic). */
  readonly now: string
}

/** An object as `/status` and `switchyard status` show it (DESIGN.md §5). */
export interface ObjectStatus {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly generation: number; readonly creationTimestamp: string }
  readonly status: unknown
}

export interface TranslateResult {
  readonly ir: ir.Snapshot
  /** GatewayClasses, Gateways and Routes we manage, in kind order then namespace/name. */
  readonly statuses: readonly ObjectStatus[]
  readonly diagnostics: readonly Diagnostic[]
}

const KIND_ORDER = ['GatewayClass', 'Gateway', 'HTTPRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']

/**
 * Gateway API objects → { IR, status per object, diagnostics }. Pure and deterministic: the same
 * objects and options give the same result, whatever their order. Best-effort: invalid parts are
 * left out of the IR and explained in status; never throws on any input the loader admits.
 */
export function translate(objects: readonly K8sObject[], options: TranslateOptions): TranslateResult {
  const controllerName = options.controllerName ?? DEFAULT_CONTROLLER_NAME
  const ctx = buildContext(objects, controllerName, options.now)
  const diagnostics: Diagnostic[] = []
  const statuses: ObjectStatus[] = []

  const classes = objects.filter((o): o is GatewayClass => o.kind === 'GatewayClass')
  const ours = new Set<string>()
  for (const gc of classes) {
    if (gc.spec.controllerName !== controllerName) {
      diagnostics.push({ code: 'TRANSLATE_UNMANAGED_GATEWAYCLASS', severity: 'warning', message: `GatewayClass ${gc.metadata.name} names controller ${gc.spec.controllerName}, not ${controllerName}; it is left to that controller`, path: 'spec.controllerName', resource: `GatewayClass/${gc.metadata.name}` })
      continue
    }
    const status = gatewayClassStatus(ctx, gc)
    statuses.push(toStatus(gc, status))
    if (isAccepted(status)) ours.add(gc.metadata.name)
  }

  const gatewayObjects: Gateway[] = []
  const allClasses = new Set(classes.map((c) => c.metadata.name))
  for (const o of objects) {
    if (o.kind !== 'Gateway') continue
    if (ours.has(o.spec.gatewayClassName)) gatewayObjects.push(o)
    else if (!allClasses.has(o.spec.gatewayClassName))
      diagnostics.push({ code: 'TRANSLATE_MISSING_GATEWAYCLASS', severity: 'warning', message: `Gateway ${objectKey(o)} names GatewayClass ${o.spec.gatewayClassName}, which does not exist; it is not served`, path: 'spec.gatewayClassName', resource: `Gateway/${objectKey(o)}` })
  }
  const gateways = evaluateGateways(ctx, gatewayObjects)
  // Status says it too (InvalidCertificateRef); as a diagnostic it also reaches `validate` and lets
  // the reload pipeline refuse a change that breaks a certificate.
  for (const g of gateways)
    g.listeners.forEach((l, i) => {
      for (const bad of l.malformedCertificates)
        diagnostics.push({ code: 'TRANSLATE_INVALID_CERTIFICATE', severity: 'warning', message: `${bad.message}; listener ${l.spec.name} cannot terminate TLS with it`, path: `spec.listeners[${i}].tls.certificateRefs[${bad.ref}]`, resource: `Gateway/${objectKey(g.gateway)}` })
    })
  const byKey = new Map<string, GatewayState>(gateways.map((g) => [objectKey(g.gateway), g]))

  const attached = new Map<ListenerState, { http: LoweredHTTPRoute[]; l4: LoweredL4Route[] }>()
  const counted = new Map<ListenerState, Set<string>>()
  const routes = objects.filter((o): o is Route => o.kind === 'HTTPRoute' || o.kind === 'TLSRoute' || o.kind === 'TCPRoute' || o.kind === 'UDPRoute').sort(olderFirst)
  for (const route of routes) {
    const parents = attachRoute(ctx, route, byKey)
    if (parents.length === 0) continue
    const lowered = route.kind === 'HTTPRoute' ? lowerHTTPRoute(ctx, route) : lowerL4Route(ctx, route)
    const rules = 'rules' in lowered ? { implemented: lowered.rules.length, dropped: lowered.dropped } : { implemented: 1, dropped: [] }
    const parentStatuses = parents.map((p) => {
      const s = routeParentStatus(p, controllerName, route.metadata.generation, options.now, lowered.refs, rules)
      if (isParentAccepted(s)) {
        for (const l of p.listeners) {
          // attachedRoutes counts routes, not parentRefs: a route on a listener twice counts once.
          const seen = counted.get(l) ?? new Set<string>()
          if (!seen.has(objectKey(route))) {
            seen.add(objectKey(route))
            l.attachedRoutes++
            const slot = attached.get(l) ?? { http: [], l4: [] }
            if ('rules' in lowered) slot.http.push(lowered)
            else slot.l4.push(lowered)
            attached.set(l, slot)
          }
          counted.set(l, seen)
        }
      }
      return s
    })
    statuses.push(toStatus(route, { parents: parentStatuses }))
  }
  for (const g of gateways) statuses.push(toStatus(g.gateway, gatewayStatus(g, options.now)))

  statuses.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name))
  // Diagnostics in a fixed order, so output does not depend on the order objects arrived in.
  diagnostics.sort((a, b) => (a.resource ?? '').localeCompare(b.resource ?? '') || a.code.localeCompare(b.code) || a.message.localeCompare(b.message))
  return { ir: buildSnapshot(gateways, attached as Attached), statuses, diagnostics }
}

function toStatus(o: K8sObject, status: unknown): ObjectStatus {
  const m = o.metadata
  const metadata = m.namespace === '' ? { name: m.name, generation: m.generation, creationTimestamp: m.creationTimestamp } : { name: m.name, namespace: m.namespace, generation: m.generation, creationTimestamp: m.creationTimestamp }
  return { apiVersion: o.apiVersion, kind: o.kind, metadata, status }
}
