import { ConditionType, RouteReason, type RouteParentStatus } from '../k8s/index.ts'
import type { ParentAttachment } from './attachment.ts'
import { cond, stamp, type PendingCondition, type Problems } from './status/index.ts'

/**
 * One `status.parents[]` entry per managed parentRef (gateway-api.md §8 Route table). Accepted
 * reports the attachment failure first, then a route with no implementable rule; ResolvedRefs is
 * evaluated either way; PartiallyInvalid appears only when some rules were dropped.
 */
export function routeParentStatus(
  p: ParentAttachment,
  controllerName: string,
  generation: number,
  now: string,
  refs: Problems,
  rules: { readonly implemented: number; readonly dropped: readonly { readonly reason: string; readonly message: string }[] },
): RouteParentStatus {
  const conditions: PendingCondition[] = []
  let accepted: PendingCondition
  if (p.failure) accepted = cond(ConditionType.Accepted, false, p.failure.reason, p.failure.message)
  else if (rules.implemented === 0 && rules.dropped.length > 0) accepted = cond(ConditionType.Accepted, false, rules.dropped[0]!.reason, rules.dropped.map((d) => d.message).join('; '))
  else accepted = cond(ConditionType.Accepted, true, RouteReason.Accepted, 'Route is accepted')
  conditions.push(accepted)
  conditions.push(refs.condition(ConditionType.ResolvedRefs, RouteReason.ResolvedRefs, 'All references resolved'))
  if (rules.implemented > 0 && rules.dropped.length > 0)
    conditions.push(cond(ConditionType.PartiallyInvalid, true, rules.dropped[0]!.reason, `dropped: ${rules.dropped.map((d) => d.message).join('; ')}`))
  return { parentRef: p.ref, controllerName, conditions: stamp(conditions, generation, now) }
}

export function isParentAccepted(s: RouteParentStatus): boolean {
  return s.conditions.some((c) => c.type === ConditionType.Accepted && c.status === 'True')
}
