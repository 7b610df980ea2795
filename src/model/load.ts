import type { Diagnostic } from '../diag/index.ts'
import { parseYamlDocuments } from '../util/index.ts'
import { isObj, type Origin } from './report.ts'

export interface SourceFile {
  readonly file: string
  readonly text: string
}

/** A resource as written, before any checks, with where it came from. */
export interface RawResource {
  readonly value: Record<string, unknown>
  readonly origin: Origin
}

/**
 * Reads app files: YAML (a multi-document stream, each document one resource or a list of
 * resources) or JSON. Anything that is not an object with a `type` is reported, not dropped.
 */
export function loadResources(files: readonly SourceFile[]): { resources: RawResource[]; diagnostics: Diagnostic[] } {
  const resources: RawResource[] = []
  const diagnostics: Diagnostic[] = []
  for (const { file, text } of files) {
    const parsed = parseYamlDocuments(text, file)
    diagnostics.push(...parsed.diagnostics)
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
  return { resources, diagnostics }
}
