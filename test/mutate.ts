import fc from 'fast-check'
import { stringify } from 'yaml'

/**
 * Generators of hostile input for the fuzz tests: valid documents with random structural
 * mutations (a field deleted, renamed, given a value of the wrong type or a huge one, a node
 * wrapped or duplicated), serialized as YAML or JSON, sometimes with the text itself damaged
 * afterwards. Starting from valid documents reaches the deep checks that random text never does.
 */

type Path = readonly (string | number)[]

/** Values of the wrong type, empty, huge, deep or odd: what a careless or hostile file holds. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
  fc.constantFrom('', ' ', '*', '/', '..', '../../etc/passwd', '%2F', '\u0000', '\t', '\u202e', '-', '0', 'null', 'true', '~', '@', 'a@b@c', '${x}', '{{x}}'),
  fc.constantFrom(0, -1, 1.5, 65536, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.NaN, Number.POSITIVE_INFINITY),
  fc.constantFrom(true, false, null, [], {}),
  fc.integer({ min: 1, max: 5 }).map((k) => 'x'.repeat(10 ** k)),
  fc.integer({ min: 1, max: 300 }).map((depth) => nest(depth)),
  fc.integer({ min: 1, max: 300 }).map((n) => Array.from({ length: n }, (_, i) => ({ name: `n${i}` }))),
)

function nest(depth: number): unknown {
  let v: unknown = 'leaf'
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v }
  return v
}

export type Mutation =
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'rename'; readonly at: number; readonly key: string }
  | { readonly kind: 'add'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'wrap'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number }
  | { readonly kind: 'transplant'; readonly at: number; readonly from: number }

const key = fc.oneof(fc.constantFrom('name', 'type', 'kind', 'properties', 'spec', 'metadata', 'rules', 'matches', 'path', 'value', 'port', 'hostnames', 'Name', 'nmae', ''), fc.string({ maxLength: 8 }))

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), key }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key, value: hostileValue }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }), weight: 1 },
  // A value from elsewhere in the same document: often well-typed, so it passes the schema and
  // reaches the checks behind it (a name where another name was, a port from another listener).
  { arbitrary: fc.record({ kind: fc.constant('transplant' as const), at: fc.nat(), from: fc.nat() }), weight: 4 },
)

/** Every path to a node of a plain value, the root (`[]`) first. */
export function paths(v: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])))
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]))
  return out
}

/** Applies mutations to a copy of `value`; each picks its node as `at` modulo the node count. */
export function applyMutations(value: unknown, mutations: readonly Mutation[]): unknown {
  const root = { v: structuredClone(value) as unknown }
  for (const m of mutations) {
    const all = paths(root.v).map((p) => ['v', ...p])
    const path = all[m.at % all.length]!
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root) as Record<string | number, unknown> | unknown[]
    const last = path[path.length - 1]!
    const node = (parent as Record<string | number, unknown>)[last]
    switch (m.kind) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(last as number, 1)
        else delete (parent as Record<string | number, unknown>)[last]
        break
      case 'replace':
        ;(parent as Record<string | number, unknown>)[last] = structuredClone(m.value)
        break
      case 'rename':
        if (!Array.isArray(parent) && last !== 'v') {
          delete (parent as Record<string, unknown>)[last]
          ;(parent as Record<string, unknown>)[m.key] = node
        }
        break
      case 'add':
        if (node !== null && typeof node === 'object' && !Array.isArray(node)) (node as Record<string, unknown>)[m.key] = structuredClone(m.value)
        else if (Array.isArray(node)) node.push(structuredClone(m.value))
        break
      case 'wrap':
        ;(parent as Record<string | number, unknown>)[last] = [node]
        break
      case 'transplant': {
        const from = all[m.from % all.length]!.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root)
        ;(parent as Record<string | number, unknown>)[last] = structuredClone(from)
        break
      }
      case 'duplicate':
        if (Array.isArray(parent)) parent.splice(last as number, 0, structuredClone(node))
        else if (Array.isArray(node)) node.push(structuredClone(node[0]))
        break
    }
  }
  return root.v
}

/** Damage done to the text after serializing: the YAML a bad merge or a half-saved file leaves. */
export type TextEdit =
  | { readonly kind: 'cut'; readonly at: number; readonly length: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'duplicate-line'; readonly at: number }

const YAML_SHARDS = ['- ', ': ', ':', '{', '}', '[', ']', ',', '&a ', '*a', '*b', '!!binary ', '!!str ', '!custom ', '---\n', '...\n', '\t', '"', "'", '#', '|\n', '>-\n', '? ', '%YAML 1.1\n', '\n  ', '\n', '<<: *a\n', '\ufeff', '\r\n', '\u0000']

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...YAML_SHARDS), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
)

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let t = text
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % t.length
    if (e.kind === 'cut') t = t.slice(0, at) + t.slice(at + e.length)
    else if (e.kind === 'insert') t = t.slice(0, at) + e.text + t.slice(at)
    else {
      const lines = t.split('\n')
      const i = e.at % lines.length
      lines.splice(i, 0, lines[i]!)
      t = lines.join('\n')
    }
  }
  return t
}

/** How a mutated value is written back: YAML, a multi-document stream of a list's items, or JSON. */
export function serialize(value: unknown, as: 'yaml' | 'stream' | 'json'): string {
  if (as === 'json') return JSON.stringify(value, null, 1) ?? ''
  if (as === 'stream' && Array.isArray(value)) return value.map((v) => stringify(v) ?? '').join('---\n')
  return stringify(value) ?? ''
}

/** Mutated versions of `bases` (plain values), serialized, sometimes with the text damaged too. */
export function mutatedDocument(bases: readonly unknown[]): fc.Arbitrary<string> {
  return fc
    .record({
      base: fc.nat({ max: bases.length - 1 }),
      // Sometimes none: the base as YAML, a stream or JSON, maybe with damaged text, keeps some inputs valid.
      mutations: fc.array(mutation, { maxLength: 3 }),
      as: fc.constantFrom('yaml' as const, 'stream' as const, 'json' as const),
      edits: fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 3 }), weight: 1 }),
    })
    .map(({ base, mutations, as, edits }) => applyTextEdits(serialize(applyMutations(bases[base], mutations), as), edits))
}
