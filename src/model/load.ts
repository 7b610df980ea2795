import type { Diagnostic } from '../diag/index.ts'
import { parseYamlDocuments, type ParsedYaml } from '../util/index.ts'
import { isObj, type Origin } from './report.ts'

export interface SourceFile {
  readonly file: string
  readonly text: string
  /**
   * The file's documents when they come already parsed (a .bicep file, evaluated by the reader
   * into the same shape a YAML document has); otherwise `text` is parsed as YAML.
   */
  readonly parsed?: ParsedYaml
}

/** A resource as written, before any checks, with where it came from. */
export interface RawResource {
  readonly value: Record<string, unknown>
  readonly origin: Origin
}

/**
 * Reads app files: YAML (a multi-document stream, each document one resource or a list of
 * resources), JSON, or documents parsed by the reader (Bicep). Anything that is not an object
 * with a `type` is reported, not dropped.
 */
export function loadResources(files: readonly SourceFile[]): { resources: RawResource[]; diagnostics: Diagnostic[]; incomplete: boolean } {
  const resources: RawResource[] = []
  const diagnostics: Diagnostic[] = []
  // A document (or a .bicep file) with errors is left out whole, so resources it held are missing.
  let incomplete = false
  for (const { file, text, parsed: given } of files) {
    const parsed = given ?? parseYamlDocuments(text, file)
    diagnostics.push(...parsed.diagnostics)
    if (parsed.diagnostics.some((d) => d.severity === 'error')) incomplete = true
    for (const doc of parsed.docs) {
      const items = Array.isArray(doc.value) ? doc.value.map((v, i) => [v, [i]] as const) : [[doc.value, []] as const]
      for (const [value, base] of items) {
        if (isObj(value)) {
          const type = typeof value.type === 'string' ? value.type.split('@')[0] : '?'
          const name = typeof value.name === 'string' ? value.name : '?'
          resources.push({ value, origin: { doc, base, resource: `${type}/${name}` } })
        } else {
          diagnostics.push({
            code: 'INPUT_NOT_RESOURCES',
            severity: 'error',
            message: 'expected a resource (a mapping with `type`, `name` and `properties`) or a list of resources',
            path: base.length ? `[${base[0]}]` : '',
            source: doc.locate(base),
          })
        }
      }
    }
  }
  return { resources, diagnostics, incomplete }
}
