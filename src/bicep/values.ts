import type { Diagnostic } from '../diag/index.ts'
import type { Span } from './ast.ts'

/** A Bicep value: what ARM JSON can hold. Bicep has no floating-point numbers. */
export type Value = null | boolean | number | string | readonly Value[] | { readonly [key: string]: Value }

/**
 * Where a value was written, and where each of its parts was: an object's keys and values, an
 * array's items. A value reached through a variable keeps the variable's inner positions, with
 * its own root at the place it was used.
 */
export interface Located {
  readonly span: Span
  readonly collection?: boolean
  readonly keys?: ReadonlyMap<string, Span>
  readonly children?: ReadonlyMap<string | number, Located>
}

/** How big a value is once expanded: nodes plus string characters, and how deep it nests. */
export interface Measure {
  readonly size: number
  readonly depth: number
}

export interface Evaluated extends Measure {
  readonly value: Value
  readonly loc: Located
}

/**
 * The largest value a file may evaluate to. ARM refuses templates over 4 MB; a var that doubles
 * itself a few dozen times must not take the machine down first.
 */
export const MAX_SIZE = 4_000_000

/** How deep a value may nest (vars wrapping vars could nest past what a stack can walk). */
export const MAX_DEPTH = 100

/** Abandons the expression being evaluated. Without a diagnostic, the cause was already reported. */
export class EvalFailure extends Error {
  readonly diagnostic?: Diagnostic
  constructor(diagnostic?: Diagnostic) {
    super(diagnostic?.message ?? 'already reported')
    this.diagnostic = diagnostic
  }
}

export const isObject = (v: Value): v is { readonly [key: string]: Value } => v !== null && typeof v === 'object' && !Array.isArray(v)
export const isArray = (v: Value): v is readonly Value[] => Array.isArray(v)

/** The Bicep name of a value's type, for messages. */
export function typeOf(v: Value): 'null' | 'bool' | 'int' | 'string' | 'array' | 'object' {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return 'int'
  if (typeof v === 'string') return 'string'
  return Array.isArray(v) ? 'array' : 'object'
}

/** A value with no inner positions (a literal, a function's result). */
export function leaf(value: Value, span: Span): Evaluated {
  return { value, loc: { span }, ...measure(value) }
}

/** The same value, used at another place: its root moves there, its parts stay where written. */
export function usedAt(e: Evaluated, span: Span): Evaluated {
  return { ...e, loc: { ...e.loc, span } }
}

/**
 * Expanded size and depth, counted without recursion and only up to just past the limits (so
 * shared parts cannot make this slow, nor deep ones overflow the stack).
 */
export function measure(value: Value): Measure {
  let size = 0
  let depth = 0
  const stack: [Value, number][] = [[value, 0]]
  while (stack.length > 0 && size <= MAX_SIZE && depth <= MAX_DEPTH) {
    const [v, d] = stack.pop()!
    size += 1
    if (typeof v === 'string') size += v.length
    if (!isArray(v) && !isObject(v)) continue
    depth = Math.max(depth, d + 1)
    if (isArray(v)) for (const item of v) stack.push([item, d + 1])
    else
      for (const [k, item] of Object.entries(v)) {
        size += k.length
        stack.push([item, d + 1])
      }
  }
  return { size, depth }
}

/** Deep equality, as ARM's equals() compares: types must match, arrays in order. */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true
  if (isArray(a) && isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]!))
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k]!, b[k]!))
  }
  return false
}

/** A property of an object by name: exact first, then ignoring case, as ARM looks properties up. */
export function property(obj: { readonly [key: string]: Value }, name: string): { key: string; value: Value } | undefined {
  if (Object.hasOwn(obj, name)) return { key: name, value: obj[name]! }
  const lower = name.toLowerCase()
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : { key, value: obj[key]! }
}
