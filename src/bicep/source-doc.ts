import type { SourcePos } from '../diag/index.ts'
import type { YamlDoc } from '../util/index.ts'
import type { EvaluatedResource } from './evaluate.ts'
import type { LineMap } from './positions.ts'
import type { Located } from './values.ts'

/**
 * The resources of a .bicep file as the model reads a YAML document: a list of resources, and a
 * way from a field path back to where the Bicep file wrote it. A path past what was written
 * (a missing field) lands on the deepest part that exists, as for YAML.
 */
export function toDoc(resources: readonly EvaluatedResource[], lines: LineMap): YamlDoc {
  const root: Located = { span: { start: 0, end: 0 }, collection: true, children: new Map(resources.map((r, i) => [i, r.loc])) }
  const at = (loc: Located, span = loc.span): SourcePos => {
    const pos = lines.pos(span)
    // Mark only where an object or array starts, as YAML positions do for collections.
    return loc.collection && span === loc.span ? { ...pos, length: 1 } : pos
  }
  return {
    value: resources.map((r) => r.value),
    locate(path, part = 'value') {
      let loc = root
      for (let i = 0; i < path.length; i++) {
        const seg = path[i]!
        const child = loc.children?.get(seg)
        if (!child) break
        if (i === path.length - 1 && part === 'key') {
          const key = loc.keys?.get(String(seg))
          if (key) return at(loc, key)
        }
        loc = child
      }
      return at(loc)
    },
  }
}
