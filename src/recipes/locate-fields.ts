import { formatPath, type Diagnostic } from '../diag/index.ts'
import { parseYamlDocuments, type YamlDoc } from '../util/index.ts'
import type { PathSeg } from './route-diagnostics.ts'

/** The app model accepts two spellings of some route fields (DESIGN.md §6); recipes name the shipped one. */
const SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  httpPath: ['httpPath', 'path'],
  httpQueryParams: ['httpQueryParams', 'queryParams'],
  destinationContainer: ['destinationContainer', 'destinationContainerId'],
}

/**
 * Points platform diagnostics at the field itself. The model keeps where each resource starts;
 * this finds that resource again in its file and follows the diagnostic's path, in the spelling
 * the user wrote (`path` or `httpPath`), to the line and column of the field. A path that goes past
 * what the file holds (hostnames that come from the environment) stops at the deepest field there.
 */
export function locateFields(diagnostics: readonly Diagnostic[], files: readonly { readonly file: string; readonly text: string }[]): Diagnostic[] {
  const parsed = new Map<string, readonly YamlDoc[]>()
  const docsOf = (file: string) => {
    if (!parsed.has(file)) {
      const f = files.find((x) => x.file === file)
      parsed.set(file, f ? parseYamlDocuments(f.text, file).docs : [])
    }
    return parsed.get(file)!
  }
  return diagnostics.map((d) => {
    if (!d.source || !d.path) return d
    for (const doc of docsOf(d.source.file)) {
      const bases: PathSeg[][] = Array.isArray(doc.value) ? doc.value.map((_, i) => [i]) : [[]]
      for (const base of bases) {
        const at = doc.locate(base)
        if (at.line !== d.source.line || at.col !== d.source.col) continue
        const path = userSpelling(valueAt(doc.value, base), parsePath(d.path))
        const last = path[path.length - 1]
        return { ...d, path: formatPath(path), source: doc.locate([...base, ...path], typeof last === 'string' ? 'key' : 'value') }
      }
    }
    return d
  })
}

/** `properties.rules[1].matches[0].httpMethod` → `['properties', 'rules', 1, 'matches', 0, 'httpMethod']`. */
export function parsePath(path: string): PathSeg[] {
  return [...path.matchAll(/\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? (JSON.parse(`"${m[2]}"`) as string) : m[3]!))
}

function valueAt(value: unknown, path: readonly PathSeg[]): unknown {
  let v = value
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined
  return v
}

/** Follows `path` through `value`, swapping each field for the spelling present there. */
function userSpelling(value: unknown, path: readonly PathSeg[]): PathSeg[] {
  const out: PathSeg[] = []
  let v = value
  for (const seg of path) {
    const here = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>) : {}
    const name = typeof seg === 'string' ? (SPELLINGS[seg]?.find((s) => s in here) ?? seg) : seg
    out.push(name)
    v = here[name]
  }
  return out
}
