import type { ReferenceGrant } from '../k8s/index.ts'

export interface ReferenceFrom {
  readonly group: string
  readonly kind: string
  readonly namespace: string
}

export interface ReferenceTo {
  readonly group: string
  readonly kind: string
  readonly namespace: string
  readonly name: string
}

/**
 * Is a reference permitted (gateway-api.md §9)? Same-namespace references always are. A
 * cross-namespace one needs a ReferenceGrant in the *target* namespace with a `from` entry matching
 * the referrer's group, kind and namespace exactly, and a `to` entry matching the target's group and
 * kind, and its name (or no name: every object of that kind).
 */
export function isReferencePermitted(grants: readonly ReferenceGrant[], from: ReferenceFrom, to: ReferenceTo): boolean {
  if (from.namespace === to.namespace) return true
  return grants.some(
    (g) =>
      g.metadata.namespace === to.namespace &&
      g.spec.from.some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace) &&
      g.spec.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === '' || t.name === to.name)),
  )
}
