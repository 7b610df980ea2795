import { stringify } from 'yaml'

/**
 * Canonical YAML for golden files and printed output: keys sorted, no line folding, `undefined`
 * dropped, a trailing newline. Arrays keep their order: producers sort them where order carries
 * no meaning.
 */
export function canonicalYaml(value: unknown): string {
  return stringify(sortKeys(value), { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false })
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = sortKeys(v)
    }
    return out
  }
  return value
}
