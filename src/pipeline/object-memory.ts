import type { K8sObject } from '../k8s/index.ts'

/**
 * What a file-driven controller must remember between reloads, because an API server would
 * (DESIGN.md §5, gateway-api.md §1): when each object was first seen (its creationTimestamp,
 * unless the file gives one) and its generation (1, +1 on each spec change, unless given).
 */
interface Seen {
  readonly creationTimestamp: string
  readonly generation: number
  /** The object without metadata and status, as JSON: what "the spec changed" compares. */
  readonly spec: string
  /** Its top-level values: when each is the very same value as before, the JSON is too. */
  readonly parts: readonly unknown[]
}

export class ObjectMemory {
  readonly #seen = new Map<string, Seen>()

  /**
   * Returns the objects with remembered metadata. `stampedNow` is the `now` the loader stamped on
   * objects given without a creationTimestamp.
   */
  remember(objects: readonly K8sObject[], stampedNow: string): K8sObject[] {
    const next = new Map<string, Seen>()
    const out = objects.map((o) => {
      const key = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`
      const { metadata, ...rest } = o as K8sObject & { status?: unknown }
      delete (rest as { status?: unknown }).status
      const prior = this.#seen.get(key)
      // Objects the load cache handed out again share their values with the last load's: skip the
      // JSON (at 10,000 routes it was a tenth of a reload) when every top-level value is the same.
      const parts = Object.entries(rest).flat()
      const spec = prior && sameParts(prior.parts, parts) ? prior.spec : JSON.stringify(rest)
      const creationTimestamp = metadata.creationTimestamp === stampedNow && prior ? prior.creationTimestamp : metadata.creationTimestamp
      // A generation in the file wins; else count spec changes ourselves.
      const generation = metadata.generation !== 1 ? metadata.generation : prior ? prior.generation + (prior.spec === spec ? 0 : 1) : 1
      next.set(key, { creationTimestamp, generation, spec, parts })
      return { ...o, metadata: { ...metadata, creationTimestamp, generation } } as K8sObject
    })
    this.#seen.clear()
    for (const [k, v] of next) this.#seen.set(k, v)
    return out
  }
}

function sameParts(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
