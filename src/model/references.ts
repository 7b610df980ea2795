import { didYouMean } from '../util/index.ts'
import type { RawResource } from './load.ts'
import type { Origin, PathSeg, Reporter } from './report.ts'
import { looksLikeId, parseResourceId } from './resource-id.ts'
import type { ResourceTypeName } from './types.ts'

export interface Entry {
  readonly type: ResourceTypeName
  readonly name: string
  readonly raw: RawResource
}

/** Every well-typed resource of the app by type and name, to resolve references against. */
export class ResourceIndex {
  readonly #byType = new Map<ResourceTypeName, Map<string, Entry>>()

  add(entry: Entry): Entry | undefined {
    let names = this.#byType.get(entry.type)
    if (!names) this.#byType.set(entry.type, (names = new Map()))
    const existing = names.get(entry.name)
    if (!existing) names.set(entry.name, entry)
    return existing
  }

  all(type: ResourceTypeName): Entry[] {
    return [...(this.#byType.get(type)?.values() ?? [])]
  }

  get(type: ResourceTypeName, name: string): Entry | undefined {
    return this.#byType.get(type)?.get(name)
  }

  /**
   * Resolves a reference (a name, or a full resource ID) to a resource of one of `types`, reporting
   * what is wrong with it at `path` otherwise. `what` names the reference in messages.
   */
  resolve(ref: string, types: readonly ResourceTypeName[], what: string, origin: Origin, path: readonly PathSeg[], reporter: Reporter): Entry | undefined {
    let name = ref
    if (looksLikeId(ref)) {
      const id = parseResourceId(ref)
      if (!id) {
        reporter.error('MODEL_INVALID_RESOURCE_ID', `${JSON.stringify(ref)} is not a valid resource ID (expected /planes/radius/local/resourceGroups/<group>/providers/<Namespace/type>/<name>)`, origin, path)
        return undefined
      }
      if (!types.some((t) => t.toLowerCase() === id.type.toLowerCase())) {
        reporter.error('MODEL_WRONG_REFERENCE_TYPE', `${what} must be ${types.join(' or ')}, but the ID names a ${id.type}`, origin, path)
        return undefined
      }
      name = id.name
    }
    for (const t of types) {
      const hit = this.get(t, name)
      if (hit) return hit
    }
    const elsewhere = [...this.#byType.values()].flatMap((m) => [...m.values()]).find((e) => e.name === name)
    if (elsewhere) {
      reporter.error('MODEL_WRONG_REFERENCE_TYPE', `${what} must be ${types.join(' or ')}, but "${name}" is a ${elsewhere.type}`, origin, path)
      return undefined
    }
    const candidates = types.flatMap((t) => this.all(t).map((e) => e.name))
    const guess = didYouMean(name, candidates)
    const hint = guess ? `; did you mean "${guess}"?` : candidates.length ? `; the app has: ${candidates.join(', ')}` : ''
    reporter.error('MODEL_UNRESOLVED_REFERENCE', `${what} "${name}" does not exist in the app${hint}`, origin, path)
    return undefined
  }
}
