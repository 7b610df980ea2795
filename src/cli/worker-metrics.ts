/**
 * Sums the Prometheus text (exposition format 0.0.4) of several worker processes into one: the
 * same series from every worker added up (counters, histogram buckets, gauges of open things),
 * each family's HELP and TYPE once. `switchyard_config_reloads_total` is the same in every worker,
 * so it takes the largest value instead of the sum.
 */
export function sumMetrics(texts: readonly string[]): string {
  const families = new Map<string, { head: string[]; series: Map<string, number> }>()
  for (const text of texts) {
    let family: { head: string[]; series: Map<string, number> } | null = null
    for (const line of text.split('\n')) {
      if (line === '') continue
      if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
        const name = line.split(' ')[2]!
        family = families.get(name) ?? null
        if (family === null) {
          family = { head: [], series: new Map() }
          families.set(name, family)
        }
        if (family.head.length < 2 && !family.head.includes(line)) family.head.push(line)
        continue
      }
      if (family === null || line.startsWith('#')) continue
      const cut = line.lastIndexOf(' ')
      const key = line.slice(0, cut)
      const value = Number(line.slice(cut + 1))
      const prior = family.series.get(key)
      family.series.set(key, prior === undefined ? value : key === 'switchyard_config_reloads_total' ? Math.max(prior, value) : prior + value)
    }
  }
  const out: string[] = []
  for (const f of families.values()) {
    out.push(...f.head)
    for (const [k, v] of f.series) out.push(`${k} ${v}`)
  }
  return out.length === 0 ? '' : out.join('\n') + '\n'
}
