import type * as ir from '../../ir/index.ts'

/** Buckets with at least this many entries get an index; shorter ones are scanned, which is cheaper. */
export const INDEX_FROM = 16

/**
 * The entries of one path bucket indexed by their first header match, so that a path shared by
 * thousands of routes told apart by a header (`x-tenant: t1` … `t5000` on `/`) costs a lookup per
 * header name in the bucket, not a scan of every entry. Positions keep the bucket's order, which is
 * Gateway API precedence (gateway-api.md §3.3): the answer is the lowest position among the
 * candidates that fully match, the same entry a scan would find first.
 */
export interface HeaderIndex {
  /** Lower-cased header name → exact value → ascending positions of the entries whose first header match it is. */
  readonly byHeader: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>
  /** Ascending positions of the entries without header matches: candidates for every request. */
  readonly rest: readonly number[]
}

export function buildHeaderIndex(matches: readonly ir.HTTPMatch[]): HeaderIndex {
  const byHeader = new Map<string, Map<string, number[]>>()
  const rest: number[] = []
  matches.forEach((m, i) => {
    const h = m.headers[0]
    if (!h) return void rest.push(i)
    let values = byHeader.get(h.name)
    if (!values) byHeader.set(h.name, (values = new Map()))
    const at = values.get(h.value)
    if (at) at.push(i)
    else values.set(h.value, [i])
  })
  return { byHeader, rest }
}

/**
 * Candidate positions for a request, in ascending order: the entries without header matches, and
 * those whose first header match names a value the request carries. A header matches its whole
 * value or, as node joins repeated fields with `, `, its first element (route-table.ts
 * `matchesRest`), so both are looked up. `accept(i)` makes the full check; the first accepted wins.
 */
export function firstCandidate(index: HeaderIndex, headers: Readonly<Record<string, string | string[] | undefined>>, accept: (position: number) => boolean): number {
  const lists: (readonly number[])[] = index.rest.length > 0 ? [index.rest] : []
  for (const [name, values] of index.byHeader) {
    const v = headers[name]
    if (v === undefined) continue
    const whole = Array.isArray(v) ? v[0] : v
    if (whole === undefined) continue
    const a = values.get(whole)
    if (a) lists.push(a)
    const first = whole.split(',')[0]!.trim()
    if (first !== whole) {
      const b = values.get(first)
      if (b) lists.push(b)
    }
  }
  // Merge the ascending lists lazily: usually the first candidate is accepted.
  const next = lists.map(() => 0)
  for (;;) {
    let best = -1
    let from = -1
    for (let l = 0; l < lists.length; l++) {
      const p = lists[l]![next[l]!]
      if (p !== undefined && (best === -1 || p < best)) {
        best = p
        from = l
      }
    }
    if (from === -1) return -1
    next[from]!++
    if (accept(best)) return best
  }
}
