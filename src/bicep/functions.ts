import type { DiagCode } from '../diag/index.ts'
import { equal, isArray, isObject, MAX_DEPTH, MAX_SIZE, measure, property, typeOf, type Value } from './values.ts'

/** What a function may do besides computing: fail at its call, read a file next to the .bicep. */
export interface CallContext {
  fail(message: string, code?: DiagCode): never
  /** The bytes of `path` (relative to the .bicep file), or undefined when it cannot be read. */
  readFile(path: string): Uint8Array | undefined
}

interface FunctionDef {
  readonly min: number
  readonly max: number
  readonly fn: (args: readonly Value[], ctx: CallContext, name: string) => Value
}

// Limits Bicep itself sets on the load functions (BCP… "file too large" diagnostics) and ARM on range().
const LOAD_TEXT_LIMIT = 131_072
const LOAD_BASE64_LIMIT = 96 * 1024
const LOAD_JSON_LIMIT = 1_048_576
const RANGE_LIMIT = 10_000

const want = (ctx: CallContext, name: string, i: number, what: string, got: Value): never => ctx.fail(`${name}() takes ${what} as argument ${i + 1}, got ${typeOf(got)}`, 'BICEP_TYPE')
const str = (args: readonly Value[], i: number, ctx: CallContext, name: string): string => (typeof args[i] === 'string' ? (args[i] as string) : want(ctx, name, i, 'a string', args[i] ?? null))
const int = (args: readonly Value[], i: number, ctx: CallContext, name: string): number => (typeof args[i] === 'number' ? (args[i] as number) : want(ctx, name, i, 'an int', args[i] ?? null))

/**
 * A value as text the way ARM prints it: ints in decimal, bools as .NET prints them (`True`,
 * `False` — ARM's string(true) is "True"), strings as they are. Objects, arrays and null are
 * refused here: string() prints objects and arrays as JSON, but interpolation and format() print
 * them in a layout this reader does not reproduce.
 */
export function toText(v: Value, ctx: CallContext, what: string): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(v)
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  return ctx.fail(`${what} ${v === null ? 'null' : `an ${typeOf(v)}`} is not supported yet${v === null ? '' : '; convert it with string() first'}`, 'BICEP_NOT_SUPPORTED')
}

function limitLength(n: number, ctx: CallContext, name: string): void {
  if (n > MAX_SIZE) ctx.fail(`${name}() would make a string of ${n} characters, more than the ${MAX_SIZE} a file may evaluate to`, 'BICEP_EVAL')
}

function load(args: readonly Value[], ctx: CallContext, name: string, limit: number): Uint8Array {
  const path = str(args, 0, ctx, name)
  const bytes = ctx.readFile(path)
  if (!bytes) return ctx.fail(`${name}(): cannot read '${path}' (paths are relative to the .bicep file)`, 'BICEP_LOAD_FAILED')
  if (bytes.length > limit) ctx.fail(`${name}(): '${path}' is ${bytes.length} bytes; Bicep loads at most ${limit}`, 'BICEP_LOAD_FAILED')
  return bytes
}

function utf8Only(args: readonly Value[], i: number, ctx: CallContext, name: string): void {
  if (args[i] === undefined) return
  const encoding = str(args, i, ctx, name)
  if (encoding.toLowerCase() !== 'utf-8') ctx.fail(`${name}(): only the utf-8 encoding is supported yet, not '${encoding}'`, 'BICEP_NOT_SUPPORTED')
}

/** Numbers in JSON must be ints: Bicep has no floating point. */
function onlyInts(v: Value, ctx: CallContext, name: string): Value {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) ctx.fail(`${name}(): the number ${v} is not an integer, and Bicep has only integers`, 'BICEP_NOT_SUPPORTED')
  if (isArray(v)) v.forEach((x) => onlyInts(x, ctx, name))
  else if (isObject(v)) Object.values(v).forEach((x) => onlyInts(x, ctx, name))
  return v
}

function parseJson(text: string, ctx: CallContext, name: string): Value {
  let parsed: Value
  try {
    parsed = JSON.parse(text) as Value
  } catch (e) {
    return ctx.fail(`${name}(): not valid JSON (${(e as Error).message})`, 'BICEP_EVAL')
  }
  if (measure(parsed).depth > MAX_DEPTH) ctx.fail(`${name}(): the JSON nests more than ${MAX_DEPTH} levels deep`, 'BICEP_EVAL')
  return onlyInts(parsed, ctx, name)
}

/** Splits at any of `delims`, trying them in order at each position (as .NET String.Split does). */
function splitAny(s: string, delims: readonly string[]): string[] {
  const out: string[] = []
  let from = 0
  for (let i = 0; i < s.length; ) {
    const d = delims.find((x) => x.length > 0 && s.startsWith(x, i))
    if (d === undefined) {
      i++
      continue
    }
    out.push(s.slice(from, i))
    i += d.length
    from = i
  }
  out.push(s.slice(from))
  return out
}

const stringOrArray = (args: readonly Value[], i: number, ctx: CallContext, name: string): string | readonly Value[] => {
  const v = args[i] ?? null
  return typeof v === 'string' || isArray(v) ? v : want(ctx, name, i, 'a string or an array', v)
}

/** The built-in functions of the subset, by their Bicep names (also reachable as `sys.<name>`). */
export const FUNCTIONS: Readonly<Record<string, FunctionDef>> = {
  any: { min: 1, max: 1, fn: ([v]) => v! },
  string: {
    min: 1,
    max: 1,
    fn: ([v], ctx) => (isArray(v!) || isObject(v!) ? JSON.stringify(v) : v === null ? ctx.fail('string(null) is not supported yet', 'BICEP_NOT_SUPPORTED') : toText(v!, ctx, 'string() of')),
  },
  int: {
    min: 1,
    max: 1,
    fn: ([v], ctx) => {
      if (typeof v === 'number') return v
      if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) && Number.isSafeInteger(Number(v))) return Number(v)
      return ctx.fail(`int() cannot read ${JSON.stringify(v)} as an integer`, 'BICEP_EVAL')
    },
  },
  bool: {
    min: 1,
    max: 1,
    fn: ([v], ctx) => (typeof v === 'boolean' ? v : typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : ctx.fail(`bool() cannot read ${JSON.stringify(v)} as true or false`, 'BICEP_EVAL')),
  },
  json: { min: 1, max: 1, fn: (args, ctx, name) => parseJson(str(args, 0, ctx, name), ctx, name) },
  concat: {
    min: 1,
    max: Infinity,
    fn: (args, ctx, name) => {
      if (args.every((a) => typeof a === 'string')) {
        limitLength(args.reduce((n, a) => n + (a as string).length, 0), ctx, name)
        return args.join('')
      }
      if (args.every(isArray)) return args.flat()
      return ctx.fail('concat() joins strings or arrays, not a mix of them or other types', 'BICEP_TYPE')
    },
  },
  format: {
    min: 1,
    max: Infinity,
    fn: (args, ctx, name) => {
      const fmt = str(args, 0, ctx, name)
      let out = ''
      for (let i = 0; i < fmt.length; i++) {
        const c = fmt[i]!
        if ((c === '{' || c === '}') && fmt[i + 1] === c) {
          out += c
          i++
          continue
        }
        if (c === '}') return ctx.fail('format(): a lone "}" in the format string; write "}}" for a brace', 'BICEP_EVAL')
        if (c !== '{') {
          out += c
          continue
        }
        const m = /^\{(\d+)\}/.exec(fmt.slice(i, i + 12))
        if (!m) return ctx.fail('format(): only {0}-style placeholders are supported yet (no alignment or format specifiers)', 'BICEP_NOT_SUPPORTED')
        const arg = args[Number(m[1]) + 1]
        if (arg === undefined) return ctx.fail(`format(): placeholder {${m[1]}} has no argument`, 'BICEP_EVAL')
        out += toText(arg, ctx, 'format() with')
        limitLength(out.length, ctx, name)
        i += m[0].length - 1
      }
      return out
    },
  },
  base64: { min: 1, max: 1, fn: (args, ctx, name) => Buffer.from(str(args, 0, ctx, name), 'utf8').toString('base64') },
  base64ToString: {
    min: 1,
    max: 1,
    fn: (args, ctx, name) => {
      const s = str(args, 0, ctx, name)
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) ctx.fail('base64ToString(): the argument is not base64', 'BICEP_EVAL')
      return Buffer.from(s, 'base64').toString('utf8')
    },
  },
  toLower: { min: 1, max: 1, fn: (args, ctx, name) => str(args, 0, ctx, name).toLowerCase() },
  toUpper: { min: 1, max: 1, fn: (args, ctx, name) => str(args, 0, ctx, name).toUpperCase() },
  trim: { min: 1, max: 1, fn: (args, ctx, name) => str(args, 0, ctx, name).trim() },
  replace: {
    min: 3,
    max: 3,
    fn: (args, ctx, name) => {
      const [s, from, to] = [str(args, 0, ctx, name), str(args, 1, ctx, name), str(args, 2, ctx, name)]
      if (from === '') return ctx.fail('replace(): the text to replace cannot be empty', 'BICEP_EVAL')
      const parts = s.split(from)
      limitLength(s.length + (parts.length - 1) * (to.length - from.length), ctx, name)
      return parts.join(to)
    },
  },
  split: {
    min: 2,
    max: 2,
    fn: (args, ctx, name) => {
      const d = args[1] ?? null
      const delims = typeof d === 'string' ? [d] : isArray(d) && d.every((x) => typeof x === 'string') ? (d as string[]) : want(ctx, name, 1, 'a string or an array of strings', d)
      return splitAny(str(args, 0, ctx, name), delims)
    },
  },
  join: {
    min: 2,
    max: 2,
    fn: (args, ctx, name) => {
      const items = isArray(args[0] ?? null) ? (args[0] as readonly Value[]) : want(ctx, name, 0, 'an array', args[0] ?? null)
      const delim = str(args, 1, ctx, name)
      const texts = items.map((x) => toText(x, ctx, 'join() with'))
      limitLength(texts.reduce((n, t) => n + t.length, 0) + Math.max(0, texts.length - 1) * delim.length, ctx, name)
      return texts.join(delim)
    },
  },
  substring: {
    min: 2,
    max: 3,
    fn: (args, ctx, name) => {
      const s = str(args, 0, ctx, name)
      const start = int(args, 1, ctx, name)
      const length = args[2] === undefined ? s.length - start : int(args, 2, ctx, name)
      if (start < 0 || start > s.length || length < 0 || start + length > s.length) ctx.fail(`substring(): start ${start} and length ${length} fall outside the string's ${s.length} characters`, 'BICEP_EVAL')
      return s.slice(start, start + length)
    },
  },
  // ARM compares these case-insensitively (ARM template functions: startsWith, endsWith, indexOf).
  startsWith: { min: 2, max: 2, fn: (args, ctx, name) => str(args, 0, ctx, name).toLowerCase().startsWith(str(args, 1, ctx, name).toLowerCase()) },
  endsWith: { min: 2, max: 2, fn: (args, ctx, name) => str(args, 0, ctx, name).toLowerCase().endsWith(str(args, 1, ctx, name).toLowerCase()) },
  indexOf: { min: 2, max: 2, fn: (args, ctx, name) => str(args, 0, ctx, name).toLowerCase().indexOf(str(args, 1, ctx, name).toLowerCase()) },
  lastIndexOf: { min: 2, max: 2, fn: (args, ctx, name) => str(args, 0, ctx, name).toLowerCase().lastIndexOf(str(args, 1, ctx, name).toLowerCase()) },
  contains: {
    min: 2,
    max: 2,
    fn: (args, ctx, name) => {
      const [c, item] = args as [Value, Value]
      if (typeof c === 'string') return c.includes(str(args, 1, ctx, name))
      if (isArray(c)) return c.some((x) => equal(x, item))
      // An object contains a key, compared without case (ARM contains()).
      if (isObject(c)) return property(c, str(args, 1, ctx, name)) !== undefined
      return want(ctx, name, 0, 'a string, an array or an object', c)
    },
  },
  empty: {
    min: 1,
    max: 1,
    fn: ([v], ctx, name) => (v === null ? true : typeof v === 'string' || isArray(v!) ? (v as string).length === 0 : isObject(v!) ? Object.keys(v).length === 0 : want(ctx, name, 0, 'a string, an array, an object or null', v!)),
  },
  length: {
    min: 1,
    max: 1,
    fn: ([v], ctx, name) => (typeof v === 'string' || isArray(v!) ? (v as string).length : isObject(v!) ? Object.keys(v).length : want(ctx, name, 0, 'a string, an array or an object', v!)),
  },
  first: { min: 1, max: 1, fn: (args, ctx, name) => stringOrArray(args, 0, ctx, name)[0] ?? (typeof args[0] === 'string' ? '' : null) },
  last: { min: 1, max: 1, fn: (args, ctx, name) => stringOrArray(args, 0, ctx, name).at(-1) ?? (typeof args[0] === 'string' ? '' : null) },
  take: { min: 2, max: 2, fn: (args, ctx, name) => stringOrArray(args, 0, ctx, name).slice(0, Math.max(0, int(args, 1, ctx, name))) },
  skip: { min: 2, max: 2, fn: (args, ctx, name) => stringOrArray(args, 0, ctx, name).slice(Math.max(0, int(args, 1, ctx, name))) },
  coalesce: { min: 1, max: Infinity, fn: (args) => args.find((a) => a !== null) ?? null },
  min: { min: 1, max: Infinity, fn: (args, ctx, name) => Math.min(...ints(args, ctx, name)) },
  max: { min: 1, max: Infinity, fn: (args, ctx, name) => Math.max(...ints(args, ctx, name)) },
  range: {
    min: 2,
    max: 2,
    fn: (args, ctx, name) => {
      const [start, count] = [int(args, 0, ctx, name), int(args, 1, ctx, name)]
      if (count < 0 || count > RANGE_LIMIT) ctx.fail(`range(): the count must be between 0 and ${RANGE_LIMIT}, got ${count}`, 'BICEP_EVAL')
      return Array.from({ length: count }, (_, i) => start + i)
    },
  },
  array: { min: 1, max: 1, fn: ([v]) => (isArray(v!) ? v! : [v!]) },
  loadTextContent: {
    min: 1,
    max: 2,
    fn: (args, ctx, name) => {
      utf8Only(args, 1, ctx, name)
      const text = new TextDecoder().decode(load(args, ctx, name, Infinity))
      if (text.length > LOAD_TEXT_LIMIT) ctx.fail(`${name}(): the file has ${text.length} characters; Bicep loads at most ${LOAD_TEXT_LIMIT}`, 'BICEP_LOAD_FAILED')
      return text
    },
  },
  loadFileAsBase64: { min: 1, max: 1, fn: (args, ctx, name) => Buffer.from(load(args, ctx, name, LOAD_BASE64_LIMIT)).toString('base64') },
  loadJsonContent: {
    min: 1,
    max: 3,
    fn: (args, ctx, name) => {
      if (args[1] !== undefined && args[1] !== '$') ctx.fail('loadJsonContent(): a JSONPath argument is not supported yet', 'BICEP_NOT_SUPPORTED')
      utf8Only(args, 2, ctx, name)
      return parseJson(new TextDecoder().decode(load(args, ctx, name, LOAD_JSON_LIMIT)), ctx, name)
    },
  },
}

function ints(args: readonly Value[], ctx: CallContext, name: string): number[] {
  const list = args.length === 1 && isArray(args[0]!) ? (args[0] as readonly Value[]) : args
  if (list.length === 0) ctx.fail(`${name}() needs at least one int`, 'BICEP_EVAL')
  return list.map((_, i) => int(list, i, ctx, name))
}

/**
 * Bicep functions outside the subset, named so the message can say "not supported yet" instead of
 * "unknown". Several depend on the deployment (its resource group, a random GUID, the time), which
 * reading a file cannot know.
 */
export const UNSUPPORTED_FUNCTIONS = new Set([
  'uniqueString', 'guid', 'newGuid', 'utcNow', 'dateTimeAdd', 'dateTimeFromEpoch', 'dateTimeToEpoch', 'resourceGroup', 'subscription', 'tenant', 'managementGroup', 'deployment', 'environment',
  'reference', 'resourceId', 'subscriptionResourceId', 'tenantResourceId', 'extensionResourceId', 'managementGroupResourceId', 'listKeys', 'listSecrets', 'list', 'pickZones', 'providers',
  'uri', 'uriComponent', 'uriComponentToString', 'dataUri', 'dataUriToString', 'padLeft', 'union', 'intersection', 'items', 'objectKeys', 'shallowMerge', 'toObject', 'filter', 'map', 'reduce',
  'sort', 'flatten', 'indexFromEnd', 'tryGet', 'mapValues', 'groupBy', 'loadYamlContent', 'loadResourceId', 'parseCidr', 'cidrSubnet', 'cidrHost', 'readEnvironmentVariable', 'getSecret', 'fail',
  'buildUrl', 'parseUri', 'base64ToJson', 'lastIndexFromEnd',
])
