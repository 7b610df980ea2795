import type { Diagnostic } from '../diag/index.ts'
import { resourceId } from '../model/index.ts'
import { didYouMean } from '../util/index.ts'
import type { BicepFile, Decl, Expr, ObjectExpr, ObjectItem, ResourceDecl, Span, TypeExpr } from './ast.ts'
import { ExpressionEvaluator, type Step } from './evaluate-expression.ts'
import type { ParameterValue, ParameterValues } from './parameters.ts'
import type { LineMap } from './positions.ts'
import { equal, EvalFailure, isArray, leaf, typeOf, usedAt, type Evaluated, type Located, type Value } from './values.ts'

/** A resource for the model: `{type, name, properties, …}` as a YAML file would hold it. */
export interface EvaluatedResource {
  readonly value: Readonly<Record<string, Value>>
  readonly loc: Located
}

/**
 * The ID `rad` passes for a template's `environment` parameter when the workspace uses the
 * default environment (rad deploy sets `environment` to the environment's ID when the template
 * declares it). Only used when the file gives no default and no -p sets it.
 */
export const DEFAULT_ENVIRONMENT_ID = resourceId('Applications.Core/environments', 'default')

const DECORATORS: Readonly<Record<Decl['kind'], readonly string[]>> = {
  param: ['description', 'secure', 'allowed', 'minValue', 'maxValue', 'minLength', 'maxLength', 'metadata'],
  var: ['description'],
  resource: ['description'],
  ignored: ['description', 'metadata', 'secure'],
}
/** How long a chain of declarations referring to the next may be (each link costs stack). */
const MAX_CHAIN = 500

/** The declarations that make a name: params, vars, resources. */
type Named = Exclude<Decl, { kind: 'ignored' }>

const NAMED_TYPES = new Set(['string', 'int', 'bool', 'object', 'array'])
/** Body fields that order or place an ARM deployment; they mean nothing to the app model. */
const DEPLOYMENT_ONLY = new Set(['location'])

/**
 * Evaluates a parsed file: every param, var and resource, lazily and at most once, so
 * declarations may refer to ones further down (as Bicep allows) and cycles are caught.
 */
export class Evaluator extends ExpressionEvaluator {
  readonly #symbols = new Map<string, Named>()
  readonly #namespaces = new Set<string>()
  readonly #memo = new Map<string, Evaluated | EvalFailure>()
  readonly #active: string[] = []
  readonly #parameters: ParameterValues
  #tooDeep = false

  constructor(lines: LineMap, parameters: ParameterValues, readFile: (path: string) => Uint8Array | undefined) {
    super(lines, readFile)
    this.#parameters = parameters
  }

  run(file: BicepFile): { resources: EvaluatedResource[]; diagnostics: Diagnostic[]; parameters: string[] } {
    for (const d of file.decls) {
      if (d.kind === 'ignored' && d.keyword === 'output') continue
      if (d.kind === 'ignored') {
        if (d.name && (d.keyword === 'extension' || d.keyword === 'import')) this.#namespaces.add(d.name)
        continue
      }
      const twin = this.#symbols.get(d.name)
      if (twin) this.diagnostics.push(this.lines.diag('BICEP_DUPLICATE', `"${d.name}" is already declared on line ${this.lines.pos(twin.nameSpan).line}`, d.nameSpan))
      else this.#symbols.set(d.name, d)
    }
    const resources: EvaluatedResource[] = []
    for (const d of file.decls) {
      try {
        this.checkDecorators(d)
        if (d.kind === 'param') this.param(d)
        else if (d.kind === 'var') this.memoized(`var:${d.name}`, () => this.expr(d.value))
        else if (d.kind === 'resource' && d.existing) this.existing(d)
        else if (d.kind === 'resource') resources.push(this.resource(d))
      } catch (e) {
        this.record(e)
      }
    }
    const parameters = file.decls.flatMap((d) => (d.kind === 'param' ? [d.name] : []))
    return { resources, diagnostics: unique(this.diagnostics), parameters }
  }

  /** Evaluates `key` once; reports a cycle when it is already being evaluated. */
  private memoized(key: string, fn: () => Evaluated, at?: Span): Evaluated {
    const known = this.#memo.get(key)
    if (known instanceof EvalFailure) throw new EvalFailure()
    if (known) return known
    const from = this.#active.indexOf(key)
    if (from !== -1) {
      const chain = [...this.#active.slice(from), key].map((k) => k.split(':')[1]).join(' → ')
      this.fail(`these declarations refer to each other in a cycle: ${chain}`, at ?? this.#symbols.get(key.split(':')[1]!)!.nameSpan, 'BICEP_CYCLE')
    }
    // Each reference evaluates the declaration it names, on the stack; bound the chain.
    if (this.#active.length >= MAX_CHAIN) this.tooDeep(at ?? this.#symbols.get(key.split(':')[1]!)!.nameSpan)
    this.#active.push(key)
    try {
      const result = fn()
      this.#memo.set(key, result)
      return result
    } catch (e) {
      this.record(e)
      this.#memo.set(key, new EvalFailure())
      throw new EvalFailure()
    } finally {
      this.#active.pop()
    }
  }

  /** Refuses a chain past MAX_CHAIN, reporting it once (each later link would hit it again). */
  private tooDeep(span: Span): never {
    if (this.#tooDeep) throw new EvalFailure()
    this.#tooDeep = true
    return this.fail(`declarations refer to one another more than ${MAX_CHAIN} deep`, span)
  }

  protected isSymbol(name: string): boolean {
    return this.#symbols.has(name)
  }

  protected symbol(name: string, span: Span): Evaluated {
    const d = this.#symbols.get(name)
    if (!d) {
      if (this.#namespaces.has(name) || name === 'sys' || name === 'az') this.fail(`"${name}" is a namespace, not a value`, span, 'BICEP_TYPE')
      const guess = didYouMean(name, this.#symbols.keys())
      return this.fail(`"${name}" is not declared${guess ? `; did you mean "${guess}"?` : ''}`, span, 'BICEP_UNDEFINED')
    }
    switch (d.kind) {
      case 'param':
        return usedAt(this.param(d, span), span)
      case 'var':
        return usedAt(
          this.memoized(`var:${d.name}`, () => this.expr(d.value), span),
          span,
        )
      case 'resource':
        return this.fail(`"${name}" is a resource, not a value: write ${name}.id (its resource ID) or ${name}.name`, span, 'BICEP_TYPE')
      default:
        return this.fail(`"${name}" is not a value`, span, 'BICEP_TYPE')
    }
  }

  protected resourceAccess(name: string, steps: readonly Step[], span: Span): Evaluated | undefined {
    const d = this.#symbols.get(name)
    if (d?.kind !== 'resource') return undefined
    const [first, ...rest] = steps
    const key = first!.key
    const [type, apiVersion] = d.type.split('@') as [string, string]
    const fixed: Record<string, () => Value> = {
      id: () => resourceId(type, this.resourceName(d)),
      name: () => this.resourceName(d),
      type: () => type,
      apiVersion: () => apiVersion,
    }
    if (typeof key === 'string' && Object.hasOwn(fixed, key)) return this.walk(leaf(fixed[key]!(), first!.span), rest, span)
    if (d.existing) this.fail(`${name} is an existing resource, so ${this.lines.text.slice(span.start, first!.span.end)} is known only when Radius deploys (of an existing resource, .id, .name, .type and .apiVersion are known)`, first!.span, 'BICEP_DEPLOY_TIME_VALUE')
    return this.bodyPath(d, steps, span)
  }

  /**
   * `frontend.properties.container.ports.web.containerPort`: follows the object literals of the
   * resource's body as written, evaluating only the expression the path ends in. So two
   * resources may refer to each other's properties without a false cycle, and a property the
   * body does not write (one Radius computes when it deploys) is reported, not guessed.
   */
  private bodyPath(d: ResourceDecl, steps: readonly Step[], span: Span): Evaluated {
    const key = `resource:${d.name}`
    if (this.#active.includes(key)) this.fail(`${d.name} refers to its own properties; a resource cannot depend on itself`, span, 'BICEP_CYCLE')
    if (this.#active.length >= MAX_CHAIN) this.tooDeep(span)
    this.#active.push(key)
    try {
      let node: Expr = d.body
      let i = 0
      for (; i < steps.length && node.kind === 'object' && node.items.every((it) => it.kind === 'property' && typeof it.key === 'string'); i++) {
        const step = steps[i]!
        if (typeof step.key !== 'string') break
        const wanted = step.key.toLowerCase()
        const prop: ObjectItem | undefined = (node as ObjectExpr).items.find((it) => it.kind === 'property' && (it.key as string).toLowerCase() === wanted)
        if (!prop || prop.kind !== 'property') {
          if (step.safe) return leaf(null, span)
          const written = this.lines.text.slice(span.start, step.span.end)
          return this.fail(`${written} is not written in the resource, so only a deployment would know it (values Radius computes, such as hosts or url, are not supported)`, step.span, 'BICEP_DEPLOY_TIME_VALUE')
        }
        node = prop.value
      }
      return this.walk(this.expr(node), steps.slice(i), span)
    } finally {
      this.#active.pop()
    }
  }

  private resourceName(d: ResourceDecl): string {
    const ev = this.memoized(`name:${d.name}`, () => {
      const elided = d.body.items.find((it) => it.kind === 'elided')
      if (elided) this.placeholder(elided.span)
      const prop = d.body.items.find((it) => it.kind === 'property' && it.key === 'name')
      const spreads = d.body.items.some((it) => it.kind === 'spread')
      const name = prop?.kind === 'property' ? this.expr(prop.value) : spreads ? this.walk(this.resourceBody(d), [{ key: 'name', safe: false, span: d.body.span }], d.body.span) : undefined
      if (!name) return this.fail(`resource ${d.name} has no name: add name: '…' to its body`, d.nameSpan, 'BICEP_EVAL')
      if (typeof name.value !== 'string') this.fail(`a resource name is a string, got ${typeOf(name.value)}`, name.loc.span, 'BICEP_TYPE')
      return name
    })
    return ev.value as string
  }

  /**
   * The body, without `dependsOn` (not evaluated: it lists resource symbols, which are not values,
   * and only orders a deployment). `parent` and `scope` place a resource elsewhere; not read yet.
   */
  private resourceBody(d: ResourceDecl): Evaluated {
    return this.memoized(`resource:${d.name}`, () => {
      const keyOf = (it: ObjectItem) => (it.kind === 'property' && typeof it.key === 'string' ? it.key.toLowerCase() : undefined)
      const placing = d.body.items.find((it) => keyOf(it) === 'parent' || keyOf(it) === 'scope')
      if (placing?.kind === 'property') this.fail(`"${String(placing.key)}" on a resource is not supported yet`, placing.keySpan, 'BICEP_NOT_SUPPORTED')
      return this.expr({ ...d.body, items: d.body.items.filter((it) => keyOf(it) !== 'dependson') })
    })
  }

  private resource(d: ResourceDecl): EvaluatedResource {
    const body = this.resourceBody(d)
    const value = body.value as Record<string, Value>
    const inBody = Object.keys(value).find((k) => k.toLowerCase() === 'type')
    if (inBody) this.fail('the type is given by the declaration (\'Namespace/type@version\'), not in the body', body.loc.keys?.get(inBody) ?? d.nameSpan, 'BICEP_DUPLICATE')
    const kept = Object.keys(value).filter((k) => !DEPLOYMENT_ONLY.has(k.toLowerCase()))
    const keys = new Map<string, Span>([['type', d.typeSpan], ...kept.map((k): [string, Span] => [k, body.loc.keys?.get(k) ?? d.body.span])])
    const children = new Map<string | number, Located>([['type', { span: d.typeSpan }], ...kept.map((k): [string, Located] => [k, body.loc.children?.get(k) ?? { span: d.body.span }])])
    return {
      value: Object.fromEntries([['type', d.type], ...kept.map((k) => [k, value[k]!])]),
      loc: { span: d.nameSpan, collection: true, keys, children },
    }
  }

  /** An `existing` resource is only referred to: its name is all that is read. */
  private existing(d: ResourceDecl): void {
    for (const it of d.body.items) {
      if (it.kind === 'property' && it.key !== 'name') this.fail(`only "name" is read from an existing resource; "${typeof it.key === 'string' ? it.key : '…'}" is not supported yet`, it.keySpan, 'BICEP_NOT_SUPPORTED')
      if (it.kind === 'spread') this.fail('spreading into an existing resource is not supported yet', it.span, 'BICEP_NOT_SUPPORTED')
    }
    this.resourceName(d)
  }

  private checkDecorators(d: Decl): void {
    for (const dec of d.decorators) {
      if (dec.namespace !== undefined && dec.namespace !== 'sys') this.fail(`the decorator @${dec.namespace}.${dec.name}() is not supported yet`, dec.span, 'BICEP_NOT_SUPPORTED')
      if (!DECORATORS[d.kind].includes(dec.name)) this.fail(`the decorator @${dec.name}() is not supported yet${d.kind === 'ignored' ? '' : ` on a ${d.kind}`}`, dec.span, 'BICEP_NOT_SUPPORTED')
    }
  }

  private param(d: Decl & { kind: 'param' }, at?: Span): Evaluated {
    return this.memoized(
      `param:${d.name}`,
      () => {
        this.checkType(d.type)
        const given = this.#parameters.get(d.name)
        let ev: Evaluated
        if (given) ev = leaf(this.fromCommandLine(given, d.type), d.nameSpan)
        else if (d.default) ev = this.expr(d.default)
        else if (d.type.kind === 'nullable') ev = leaf(null, d.nameSpan)
        else if (d.name === 'environment' && this.conforms(DEFAULT_ENVIRONMENT_ID, d.type)) ev = leaf(DEFAULT_ENVIRONMENT_ID, d.nameSpan)
        else return this.fail(`parameter "${d.name}" has no value: give it with -p ${d.name}=<value>, or a default in the file`, d.nameSpan, 'BICEP_PARAMETER')
        const where = given ? given.origin : 'the default'
        if (!this.conforms(ev.value, d.type)) {
          this.fail(`parameter "${d.name}" is declared ${this.typeText(d.type)}, but ${where} is ${typeOf(ev.value) === 'int' ? 'an' : 'a'} ${typeOf(ev.value)}`, given ? d.nameSpan : ev.loc.span, given ? 'BICEP_PARAMETER' : 'BICEP_TYPE')
        }
        this.checkLimits(d, ev.value, where)
        return ev
      },
      at,
    )
  }

  /** `-p port=8080` arrives as text; read it as the declared type wants (ARM's parameter values are typed JSON). */
  private fromCommandLine(given: ParameterValue, type: TypeExpr): Value {
    if (!given.text || typeof given.value !== 'string' || this.conforms(given.value, type)) return given.value as Value
    const text = given.value
    if (/^-?\d+$/.test(text) && this.conforms(Number(text), type)) return Number(text)
    if ((text === 'true' || text === 'false') && this.conforms(text === 'true', type)) return text === 'true'
    if (text === 'null' && this.conforms(null, type)) return null
    if (/^\s*[[{]/.test(text)) {
      try {
        return JSON.parse(text) as Value
      } catch {
        return text
      }
    }
    return text
  }

  private checkType(t: TypeExpr): void {
    if (t.kind === 'named' && !NAMED_TYPES.has(t.name)) this.fail(`the type "${t.name}" is not supported yet (string, int, bool, object and array are)`, t.span, 'BICEP_NOT_SUPPORTED')
    if (t.kind === 'arrayOf' || t.kind === 'nullable') this.checkType(t.of)
    if (t.kind === 'union') t.members.forEach((m) => this.checkType(m))
  }

  private conforms(v: Value, t: TypeExpr): boolean {
    switch (t.kind) {
      case 'named':
        return typeOf(v) === t.name
      case 'literal':
        return v === t.value
      case 'arrayOf':
        return isArray(v) && v.every((x) => this.conforms(x, t.of))
      case 'nullable':
        return v === null || this.conforms(v, t.of)
      case 'union':
        return t.members.some((m) => this.conforms(v, m))
    }
  }

  private typeText(t: TypeExpr): string {
    return this.lines.text.slice(t.span.start, t.span.end)
  }

  /** @allowed, @minValue/@maxValue, @minLength/@maxLength (Bicep parameter decorators). */
  private checkLimits(d: Decl & { kind: 'param' }, v: Value, where: string): void {
    for (const dec of d.decorators) {
      const arg = (i = 0): Value => (dec.args[i] ? this.expr(dec.args[i]!).value : this.fail(`@${dec.name}() needs an argument`, dec.span, 'BICEP_TYPE'))
      const bad = (why: string) => this.fail(`parameter "${d.name}": ${where} ${why}`, dec.span, 'BICEP_PARAMETER')
      if (dec.name === 'allowed') {
        const allowed = arg()
        if (!isArray(allowed)) this.fail('@allowed() takes an array of the values allowed', dec.span, 'BICEP_TYPE')
        // For an array parameter, @allowed lists what each item may be.
        const items = isArray(v) && !allowed.some(isArray) ? v : [v]
        const outside = items.find((x) => !allowed.some((a) => equal(a, x)))
        if (outside !== undefined) bad(`is ${JSON.stringify(outside)}, which @allowed does not list (${allowed.map((a) => JSON.stringify(a)).join(', ')})`)
      } else if (dec.name === 'minValue' || dec.name === 'maxValue') {
        const limit = arg()
        if (typeof v === 'number' && typeof limit === 'number' && (dec.name === 'minValue' ? v < limit : v > limit)) bad(`is ${v}, ${dec.name === 'minValue' ? 'below the minimum' : 'above the maximum'} ${limit}`)
      } else if (dec.name === 'minLength' || dec.name === 'maxLength') {
        const limit = arg()
        const length = typeof v === 'string' || isArray(v) ? v.length : undefined
        if (length !== undefined && typeof limit === 'number' && (dec.name === 'minLength' ? length < limit : length > limit)) bad(`has length ${length}, ${dec.name === 'minLength' ? 'below the minimum' : 'above the maximum'} ${limit}`)
      }
    }
  }
}

/** The same diagnostic may be found twice (a property read through a reference, then in its resource). */
function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.source?.line}|${d.source?.col}|${d.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

