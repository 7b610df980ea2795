import type { DiagCode, Diagnostic } from '../diag/index.ts'
import { didYouMean } from '../util/index.ts'
import type { ArrayItem, Expr, ObjectItem, Span } from './ast.ts'
import { FUNCTIONS, toText, UNSUPPORTED_FUNCTIONS, type CallContext } from './functions.ts'
import type { LineMap } from './positions.ts'
import { equal, EvalFailure, isArray, isObject, leaf, MAX_DEPTH, MAX_SIZE, measure, property, typeOf, usedAt, type Evaluated, type Located, type Measure, type Value } from './values.ts'

/** One step of an access chain: `.name`, `.?name`, `[index]`. */
export interface Step {
  readonly key: string | number
  readonly safe: boolean
  /** From the start of the chain to the end of this step, for messages and positions. */
  readonly span: Span
}

/** How deep the evaluator may recurse into one expression tree (each level is a few stack frames). */
const MAX_WALK = 1500

/** Namespaces Bicep predefines: `sys.concat(…)`, `az.resourceGroup()`. */
const BUILTIN_NAMESPACES = new Set(['sys', 'az'])

/**
 * Evaluates expressions to values with positions. Names (params, vars, resources) are resolved by
 * the subclass, which knows the declarations. Errors throw EvalFailure; literals with several
 * broken parts record each and fail once, so one run reports them all.
 */
export abstract class ExpressionEvaluator {
  readonly lines: LineMap
  readonly diagnostics: Diagnostic[] = []
  protected readonly readFile: (path: string) => Uint8Array | undefined
  #depth = 0

  constructor(lines: LineMap, readFile: (path: string) => Uint8Array | undefined) {
    this.lines = lines
    this.readFile = readFile
  }

  /** The value a bare name stands for. */
  protected abstract symbol(name: string, span: Span): Evaluated
  /** `name.a.b[0]` when `name` is a resource; undefined when it is not one. */
  protected abstract resourceAccess(name: string, steps: readonly Step[], span: Span): Evaluated | undefined
  /** Whether `name` is a declared symbol (so `name.f()` is a method call, not a namespace). */
  protected abstract isSymbol(name: string): boolean

  fail(message: string, span: Span, code: DiagCode = 'BICEP_EVAL'): never {
    throw new EvalFailure(this.lines.diag(code, message, span))
  }

  /** Keeps a failure's diagnostic (if it has one not yet kept). */
  record(e: unknown): void {
    if (!(e instanceof EvalFailure)) throw e
    if (e.diagnostic) this.diagnostics.push(e.diagnostic)
  }

  expr(e: Expr): Evaluated {
    // The parser bounds nesting and operator runs, but runs inside nesting multiply; bound the walk.
    if (this.#depth >= MAX_WALK) this.fail(`the expression is nested too deeply to evaluate (more than ${MAX_WALK} levels)`, e.span)
    this.#depth++
    let ev: Evaluated
    try {
      ev = this.evaluate(e)
    } finally {
      this.#depth--
    }
    if (ev.size > MAX_SIZE) this.fail(`this value expands past the ${MAX_SIZE} characters a file may evaluate to`, e.span)
    if (ev.depth > MAX_DEPTH) this.fail(`this value nests more than ${MAX_DEPTH} levels deep`, e.span)
    return ev
  }

  private evaluate(e: Expr): Evaluated {
    switch (e.kind) {
      case 'int':
      case 'string':
      case 'bool':
        return leaf(e.value, e.span)
      case 'null':
        return leaf(null, e.span)
      case 'interp':
        return leaf(this.interpolate(e.parts, e.exprs, e.span), e.span)
      case 'ident':
        return this.symbol(e.name, e.span)
      case 'object':
        return this.object(e.items, e.span)
      case 'array':
        return this.array(e.items, e.span)
      case 'member':
      case 'index':
        return this.access(e)
      case 'call':
        return this.call(e)
      case 'nonNull':
        return usedAt(this.expr(e.expr), e.span)
      case 'unary': {
        const v = this.expr(e.operand).value
        if (e.op === '!') return leaf(!this.bool(v, e.operand.span, '!'), e.span)
        return leaf(-this.int(v, e.operand.span, 'unary -'), e.span)
      }
      case 'ternary': {
        const cond = this.bool(this.expr(e.cond).value, e.cond.span, '?:')
        return this.expr(cond ? e.then : e.else)
      }
      case 'binary':
        return leaf(this.binary(e), e.span)
    }
  }

  interpolate(parts: readonly string[], exprs: readonly Expr[], span: Span): string {
    let out = parts[0]!
    exprs.forEach((x, i) => {
      out += toText(this.expr(x).value, this.context(x.span), 'interpolating')
      out += parts[i + 1]!
      if (out.length > MAX_SIZE) this.fail(`the string grows past ${MAX_SIZE} characters`, span)
    })
    return out
  }

  private binary(e: Expr & { kind: 'binary' }): Value {
    const left = this.expr(e.left).value
    switch (e.op) {
      case '??':
        return left !== null ? left : this.expr(e.right).value
      case '&&':
      case '||': {
        // Short-circuit, as ARM's if() evaluates only the branch taken.
        const l = this.bool(left, e.left.span, e.op)
        if (l === (e.op === '||')) return l
        return this.bool(this.expr(e.right).value, e.right.span, e.op)
      }
    }
    const right = this.expr(e.right).value
    switch (e.op) {
      case '==':
        return equal(left, right)
      case '!=':
        return !equal(left, right)
      case '=~':
      case '!~': {
        if (typeof left !== 'string' || typeof right !== 'string') this.fail(`${e.op} compares strings (ignoring case), got ${typeOf(left)} and ${typeOf(right)}`, e.span, 'BICEP_TYPE')
        return (left.toLowerCase() === right.toLowerCase()) === (e.op === '=~')
      }
    }
    if (e.op === '+' && (typeof left === 'string' || typeof right === 'string')) this.fail("+ adds ints; join strings with '${a}${b}' or concat(a, b)", e.span, 'BICEP_TYPE')
    const a = this.int(left, e.left.span, e.op)
    const b = this.int(right, e.right.span, e.op)
    switch (e.op) {
      case '<':
        return a < b
      case '<=':
        return a <= b
      case '>':
        return a > b
      case '>=':
        return a >= b
      case '+':
        return this.safe(a + b, e.span)
      case '-':
        return this.safe(a - b, e.span)
      case '*':
        return this.safe(a * b, e.span)
      case '/':
      case '%':
        if (b === 0) this.fail('division by zero', e.right.span)
        return e.op === '/' ? Math.trunc(a / b) : a % b
    }
  }

  private safe(n: number, span: Span): number {
    if (!Number.isSafeInteger(n)) this.fail(`the result ${n} is outside the integers this reader supports (±${Number.MAX_SAFE_INTEGER})`, span, 'BICEP_NOT_SUPPORTED')
    return n
  }

  private int(v: Value, span: Span, op: string): number {
    if (typeof v !== 'number') this.fail(`${op} takes ints, got ${typeOf(v)}`, span, 'BICEP_TYPE')
    return v
  }

  private bool(v: Value, span: Span, op: string): boolean {
    if (typeof v !== 'boolean') this.fail(`${op} takes bools, got ${typeOf(v)}`, span, 'BICEP_TYPE')
    return v
  }

  object(items: readonly ObjectItem[], span: Span): Evaluated {
    const values = new Map<string, { value: Value; loc: Located } & Measure>()
    const keys = new Map<string, Span>()
    const written = new Map<string, Span>()
    const set = (key: string, value: Value, loc: Located, keySpan: Span, m: Measure = measure(value)) => {
      values.delete(key)
      values.set(key, { value, loc, size: key.length + m.size, depth: m.depth })
      keys.set(key, keySpan)
    }
    this.each(items, (item) => {
      if (item.kind === 'elided') this.placeholder(item.span)
      if (item.kind === 'spread') {
        const spread = this.expr(item.expr)
        if (!isObject(spread.value)) this.fail(`only an object can be spread into an object, got ${typeOf(spread.value)}`, item.span, 'BICEP_TYPE')
        for (const [k, v] of Object.entries(spread.value)) set(k, v, spread.loc.children?.get(k) ?? { span: item.span }, item.span)
        return
      }
      const key = typeof item.key === 'string' ? item.key : this.expr(item.key).value
      if (typeof key !== 'string') this.fail(`a property name is a string, got ${typeOf(key)}`, item.keySpan, 'BICEP_TYPE')
      // ARM property names ignore case, so Bicep refuses `a` and `A` in one object (BCP025).
      const twin = written.get(key.toLowerCase())
      if (twin) this.fail(`property "${key}" is already set on line ${this.lines.pos(twin).line}`, item.keySpan, 'BICEP_DUPLICATE')
      written.set(key.toLowerCase(), item.keySpan)
      const v = this.expr(item.value)
      set(key, v.value, v.loc, item.keySpan, v)
    })
    const size = [...values.values()].reduce((n, v) => n + v.size, 1)
    const depth = 1 + Math.max(0, ...[...values.values()].map((v) => v.depth))
    const value = Object.fromEntries([...values].map(([k, v]) => [k, v.value]))
    return { value, loc: { span, collection: true, keys, children: new Map([...values].map(([k, v]) => [k, v.loc])) }, size, depth }
  }

  private array(items: readonly ArrayItem[], span: Span): Evaluated {
    const out: { value: Value; loc: Located }[] = []
    let size = 1
    let depth = 1
    this.each(items, (item) => {
      if (item.kind === 'elided') this.placeholder(item.span)
      if (item.kind === 'spread') {
        const spread = this.expr(item.expr)
        if (!isArray(spread.value)) this.fail(`only an array can be spread into an array, got ${typeOf(spread.value)}`, item.span, 'BICEP_TYPE')
        spread.value.forEach((v, i) => out.push({ value: v, loc: spread.loc.children?.get(i) ?? { span: item.span } }))
        size += spread.size
        depth = Math.max(depth, spread.depth)
        return
      }
      const v = this.expr(item)
      out.push(v)
      size += v.size
      depth = Math.max(depth, 1 + v.depth)
    })
    return { value: out.map((v) => v.value), loc: { span, collection: true, children: new Map(out.map((v, i) => [i, v.loc])) }, size, depth }
  }

  /**
   * Runs `fn` on every item even when some fail, so each broken item is reported; then fails
   * (silently: the items' own diagnostics say why) if any did.
   */
  private each<T>(items: readonly T[], fn: (item: T) => void): void {
    let failed = false
    for (const item of items) {
      try {
        fn(item)
      } catch (e) {
        this.record(e)
        failed = true
      }
    }
    if (failed) throw new EvalFailure()
  }

  protected placeholder(span: Span): never {
    return this.fail('"..." stands for text a documentation example left out; write it here', span, 'BICEP_PLACEHOLDER')
  }

  /** `a.b[c].d`: resolved as a whole when `a` is a resource, step by step otherwise. */
  private access(e: Expr & { kind: 'member' | 'index' }): Evaluated {
    const steps: Step[] = []
    let root: Expr = e
    const pending: (Expr & { kind: 'member' | 'index' })[] = []
    while (root.kind === 'member' || root.kind === 'index') {
      pending.unshift(root)
      root = root.target
    }
    for (const p of pending) {
      const key = p.kind === 'member' ? p.name : this.indexKey(p.index)
      steps.push({ key, safe: p.safe, span: p.span })
    }
    if (root.kind === 'ident') {
      const viaResource = this.resourceAccess(root.name, steps, e.span)
      if (viaResource) return viaResource
    }
    return this.walk(this.expr(root), steps, e.span)
  }

  private indexKey(index: Expr): string | number {
    const v = this.expr(index).value
    if (typeof v === 'string' || typeof v === 'number') return v
    return this.fail(`an index is an int (arrays) or a string (objects), got ${typeOf(v)}`, index.span, 'BICEP_TYPE')
  }

  /** Applies access steps to a value. */
  walk(start: Evaluated, steps: readonly Step[], span: Span): Evaluated {
    let cur = start
    for (const step of steps) cur = this.step(cur, step)
    return usedAt(cur, span)
  }

  private step(cur: Evaluated, step: Step): Evaluated {
    const v = cur.value
    const what = typeof step.key === 'number' ? `[${step.key}]` : `.${step.key}`
    if (v === null) {
      if (step.safe) return leaf(null, step.span)
      return this.fail(`cannot read ${what} of null (use .? or [?] to allow null)`, step.span)
    }
    if (isObject(v) && typeof step.key === 'string') {
      const hit = property(v, step.key)
      if (!hit) {
        if (step.safe) return leaf(null, step.span)
        const guess = didYouMean(step.key, Object.keys(v))
        return this.fail(`the object has no property "${step.key}"${guess ? `; did you mean "${guess}"?` : `; it has: ${Object.keys(v).join(', ') || 'none'}`}`, step.span)
      }
      return { value: hit.value, loc: { ...(cur.loc.children?.get(hit.key) ?? {}), span: step.span }, ...measure(hit.value) }
    }
    if (isArray(v) && typeof step.key === 'number') {
      if (step.key < 0 || step.key >= v.length) {
        if (step.safe) return leaf(null, step.span)
        return this.fail(`index ${step.key} is out of range: the array has ${v.length} item${v.length === 1 ? '' : 's'}`, step.span)
      }
      const item = v[step.key]!
      return { value: item, loc: { ...(cur.loc.children?.get(step.key) ?? {}), span: step.span }, ...measure(item) }
    }
    return this.fail(`cannot read ${what} of ${typeOf(v) === 'int' ? 'an' : 'a'} ${typeOf(v)}`, step.span, 'BICEP_TYPE')
  }

  private call(e: Expr & { kind: 'call' }): Evaluated {
    if (e.namespace !== undefined && !BUILTIN_NAMESPACES.has(e.namespace)) {
      if (this.isSymbol(e.namespace)) this.fail(`calling functions on a value (${e.namespace}.${e.name}()) is not supported yet`, e.span, 'BICEP_NOT_SUPPORTED')
      this.fail(`"${e.namespace}" is not a namespace this reader knows (sys and az are)`, e.span, 'BICEP_UNDEFINED')
    }
    const def = Object.hasOwn(FUNCTIONS, e.name) ? FUNCTIONS[e.name] : undefined
    if (!def) {
      if (UNSUPPORTED_FUNCTIONS.has(e.name)) this.fail(`the function ${e.name}() is not supported yet (docs/bicep.md lists the supported ones)`, e.nameSpan, 'BICEP_NOT_SUPPORTED')
      const guess = didYouMean(e.name, Object.keys(FUNCTIONS))
      this.fail(`unknown function ${e.name}()${guess ? `; did you mean ${guess}()?` : ''}`, e.nameSpan, 'BICEP_UNDEFINED')
    }
    if (e.args.length < def.min || e.args.length > def.max) {
      const range = def.min === def.max ? `${def.min}` : def.max === Infinity ? `at least ${def.min}` : `${def.min} to ${def.max}`
      this.fail(`${e.name}() takes ${range} argument${range === '1' ? '' : 's'}, got ${e.args.length}`, e.span, 'BICEP_TYPE')
    }
    const args: Value[] = []
    this.each(e.args, (a) => args.push(this.expr(a).value))
    return leaf(def.fn(args, this.context(e.span), e.name), e.span)
  }

  private context(span: Span): CallContext {
    return { fail: (message, code = 'BICEP_EVAL') => this.fail(message, span, code), readFile: this.readFile }
  }
}
