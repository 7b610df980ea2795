/**
 * translator/status — the condition accumulator.
 *
 * Input: problems found while translating, per object. Output: metav1.Conditions with spec
 * reasons, observedGeneration and an injected lastTransitionTime. Invariant: deterministic order.
 */
export { cond, Problems, stamp, type PendingCondition } from './conditions.ts'
