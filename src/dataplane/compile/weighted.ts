import type { WeightedBackends } from './plan.ts'

/** Precomputes the cumulative weights of a list of backends (weight 0: never chosen). */
export function weighBackends<B extends { readonly weight: number }>(backends: readonly B[]): WeightedBackends<B> {
  const cumulative: number[] = []
  let total = 0
  for (const b of backends) cumulative.push((total += Math.max(0, b.weight)))
  return { backends, cumulative, total }
}

/**
 * Picks a backend in proportion to its weight, given `r` uniform in [0, 1). Binary search keeps
 * the cost logarithmic in the number of backends. Null when the total weight is 0.
 */
export function pickBackend<B extends { readonly weight: number }>(w: WeightedBackends<B>, r: number): B | null {
  if (w.total === 0) return null
  const x = r * w.total
  let lo = 0
  let hi = w.cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (x < w.cumulative[mid]!) hi = mid
    else lo = mid + 1
  }
  return w.backends[lo] ?? null
}
