import type { Diagnostic } from '../diag/index.ts'

/** One reload attempt, as the dashboard's history shows it. */
export interface ReloadEntry {
  /** RFC 3339. */
  readonly time: string
  /** `published`: a new configuration went live; `rejected`: the last good one stayed; `unchanged`: nothing to do. */
  readonly kind: 'published' | 'rejected' | 'unchanged'
  /** The config generation live after this attempt. */
  readonly generation: number
  /** The diagnostics of a rejected configuration. */
  readonly errors: readonly Diagnostic[]
}

/**
 * The last `limit` reload attempts, oldest first. Bounded, so a file saved in a loop for days
 * cannot grow memory; `seq` counts every attempt ever recorded, so a reader can tell it missed some.
 */
export class ReloadHistory {
  readonly #entries: ReloadEntry[] = []
  readonly #limit: number
  #seq = 0

  constructor(limit = 50) {
    this.#limit = limit
  }

  record(entry: ReloadEntry): void {
    this.#entries.push(entry)
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit)
    this.#seq++
  }

  /** Attempts recorded since the start, including those no longer kept. */
  get seq(): number {
    return this.#seq
  }

  list(): readonly ReloadEntry[] {
    return [...this.#entries]
  }
}
