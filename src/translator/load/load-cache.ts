import type { K8sObject } from '../../k8s/index.ts'

interface Entry {
  readonly objects: readonly K8sObject[]
  /** Which objects had their creationTimestamp stamped with the load's `now` (none given). */
  readonly stamped: readonly boolean[]
  used: boolean
}

/**
 * The objects admitted from each YAML document text, kept between loads by a long-lived loader
 * (the reload loop). Only documents that loaded without any diagnostic are kept, so a document
 * taken from here never needs its source positions (bar the duplicate check, which re-parses).
 * Entries a load did not use are dropped when it ends, so the cache holds one configuration.
 * The objects are shared between loads: the translator and ObjectMemory copy, never mutate.
 */
export class LoadCache {
  readonly #entries = new Map<string, Entry>()

  startLoad(): void {
    for (const e of this.#entries.values()) e.used = false
  }

  endLoad(): void {
    for (const [text, e] of this.#entries) if (!e.used) this.#entries.delete(text)
  }

  get size(): number {
    return this.#entries.size
  }

  /** The objects of a document seen before, stamped with this load's `now` where none was given. */
  take(text: string, now: string): K8sObject[] | undefined {
    const e = this.#entries.get(text)
    if (!e) return undefined
    e.used = true
    return e.objects.map((o, i) => (e.stamped[i] && o.metadata.creationTimestamp !== now ? ({ ...o, metadata: { ...o.metadata, creationTimestamp: now } } as K8sObject) : o))
  }

  put(text: string, objects: readonly K8sObject[], now: string): void {
    this.#entries.set(text, { objects, stamped: objects.map((o) => o.metadata.creationTimestamp === now), used: true })
  }
}
