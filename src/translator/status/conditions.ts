import type { Condition } from '../../k8s/index.ts'

/** A condition before it is stamped with a generation and a time. */
export interface PendingCondition {
  readonly type: string
  readonly status: 'True' | 'False' | 'Unknown'
  readonly reason: string
  readonly message: string
}

export const cond = (type: string, ok: boolean, reason: string, message: string): PendingCondition => ({ type, status: ok ? 'True' : 'False', reason, message })

/**
 * Stamps conditions with observedGeneration (the object's metadata.generation, gateway-api.md §1)
 * and lastTransitionTime (the injected clock, so goldens are stable). Sorted by type, so output does
 * not depend on evaluation order.
 */
export function stamp(conditions: readonly PendingCondition[], generation: number, now: string): Condition[] {
  return [...conditions]
    .sort((a, b) => a.type.localeCompare(b.type))
    .map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message, observedGeneration: generation, lastTransitionTime: now }))
}

/**
 * Collects the problems found for one condition type and reports the first by precedence, with
 * every message joined (Envoy Gateway's MultiStatusError): each failure is visible at once.
 */
export class Problems {
  readonly #items: { reason: string; message: string; rank: number }[] = []
  add(reason: string, message: string, rank = 0): void {
    if (!this.#items.some((i) => i.message === message)) this.#items.push({ reason, message, rank })
  }
  get empty(): boolean {
    return this.#items.length === 0
  }
  /** The condition: False with the top-ranked reason, or True with `okReason`. */
  condition(type: string, okReason: string, okMessage: string): PendingCondition {
    if (this.#items.length === 0) return cond(type, true, okReason, okMessage)
    const sorted = [...this.#items].sort((a, b) => b.rank - a.rank)
    return cond(type, false, sorted[0]!.reason, sorted.map((i) => i.message).join('; '))
  }
}
