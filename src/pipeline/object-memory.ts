import type { K8sObject } from '../k8s/index.ts'

/**
 * What a file-driven controller must remember between reloads, because an API server would
 * (DESIGN.md §5, gateway-api.md §1): when each object was first seen (its creationTimestamp,
 * unless the file gives one) and its generation (1, +1 on each spec change, unless given).
 */
export class ObjectMemory {
  readonly #seen = new Map<string, { creationTimestamp: string; generation: number; spec: string }>()

  /**
   * Returns the objects with remembered metadata. `stampedNow` is the `now` the loader stamped on
   * objects given without a creationTimestamp.
   */
  remember(objects: readonly K8sObject[], stampedNow: string): K8sObject[] {
    const next = new Map<string, { creationTimestamp: string; generation: number; spec: string }>()
    const out = objects.map((o) => {
      const key = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`
      const { metadata, ...rest } = o as K8sObject & { status?: unknown }
      delete (rest as { status?: unknown }).status
      const spec = JSON.stringify(rest)
      const prior = this.#seen.get(key)
      const creationTimestamp = metadata.creationTimestamp === stampedNow && prior ? prior.creationTimestamp : metadata.creationTimestamp
      // A generation in the file wins; else count spec changes ourselves.
      const generation = metadata.generation !== 1 ? metadata.generation : prior ? prior.generation + (prior.spec === spec ? 0 : 1) : 1
      next.set(key, { creationTimestamp, generation, spec })
      return { ...o, metadata: { ...metadata, creationTimestamp, generation } } as K8sObject
    })
    this.#seen.clear()
    for (const [k, v] of next) this.#seen.set(k, v)
    return out
  }
}
