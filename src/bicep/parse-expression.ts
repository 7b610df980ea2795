import type { ArrayItem, BinaryOp, Expr, ObjectExpr, ObjectItem, Span } from './ast.ts'
import { describe, spanOf, TokenStream } from './token-stream.ts'

// Binary operators from loosest to tightest (Bicep operator precedence, learn.microsoft.com
// "Bicep operators"); all are left-associative. The ternary `?:` sits above them all.
const LEVELS: readonly (readonly BinaryOp[])[] = [['??'], ['||'], ['&&'], ['==', '!=', '=~', '!~'], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']]

/**
 * How many operators may follow one another in one expression (`a + b + …`, `x!!…`): each makes
 * the tree one level deeper for the evaluator to walk.
 */
const MAX_RUN = 1000

/** Expressions, object and array literals. Statements build on this (parser.ts). */
export class ExpressionParser extends TokenStream {
  expression(): Expr {
    return this.nested(() => {
      const cond = this.binary(0)
      if (!this.at('?')) return cond
      this.next()
      const then = this.newlines(true, () => this.expression())
      this.newlines(true, () => this.expect(':', '":" of the conditional expression (cond ? a : b)'))
      const otherwise = this.expression()
      return { kind: 'ternary', cond, then, else: otherwise, span: { start: cond.span.start, end: otherwise.span.end } }
    })
  }

  private binary(level: number): Expr {
    if (level === LEVELS.length) return this.unary()
    let left = this.binary(level + 1)
    for (let run = 0; ; run++) {
      const t = this.peek()
      const op = LEVELS[level]!.find((o) => t.kind === 'punct' && t.text === o)
      if (!op) return left
      if (run === MAX_RUN) this.fail(`more than ${MAX_RUN} operators in a row; split the expression with variables`)
      this.next()
      const right = this.nested(() => this.binary(level + 1))
      left = { kind: 'binary', op, left, right, span: { start: left.span.start, end: right.span.end } }
    }
  }

  private unary(): Expr {
    const t = this.peek()
    if (t.kind === 'punct' && (t.text === '!' || t.text === '-')) {
      this.next()
      const operand = this.nested(() => this.unary())
      return { kind: 'unary', op: t.text, operand, span: { start: t.start, end: operand.span.end } }
    }
    return this.postfix(this.primary())
  }

  private postfix(target: Expr): Expr {
    for (let run = 0; ; run++) {
      const t = this.peek()
      if (t.kind !== 'punct') return target
      if (run === MAX_RUN) this.fail(`more than ${MAX_RUN} accessors in a row`)
      const start = target.span.start
      if (t.text === '.' || t.text === '.?') {
        this.next()
        if (target.kind === 'int' && this.peek().kind === 'int') this.unsupported('numbers with a fraction are not supported: Bicep has only integers', { start, end: this.peek().end })
        const name = this.expectIdent('a property name after "."')
        if (t.text === '.' && this.at('(')) {
          if (target.kind !== 'ident') this.unsupported('calling a function on a value (x.f()) is not supported yet', { start, end: name.end })
          target = this.call(target.name, name, start)
          continue
        }
        target = { kind: 'member', target, name: name.text, nameSpan: spanOf(name), safe: t.text === '.?', span: this.spanFrom(start) }
      } else if (t.text === '[') {
        this.next()
        const safe = this.at('?') && !!this.next()
        const index = this.newlines(true, () => this.expression())
        this.newlines(true, () => this.expect(']', '"]" to close the index'))
        target = { kind: 'index', target, index, safe, span: this.spanFrom(start) }
      } else if (t.text === '(' && target.kind === 'ident') {
        target = this.call(undefined, { text: target.name, start: target.span.start, end: target.span.end }, start)
      } else if (t.text === '!') {
        this.next()
        target = { kind: 'nonNull', expr: target, span: this.spanFrom(start) }
      } else if (t.text === '::') {
        this.unsupported('nested resource access (parent::child) is not supported yet', t)
      } else {
        return target
      }
    }
  }

  private call(namespace: string | undefined, name: { text: string; start: number; end: number }, start: number): Expr {
    this.expect('(', '"("')
    const args = this.newlines(true, () => {
      const out: Expr[] = []
      while (!this.at(')')) {
        out.push(this.expression())
        if (!this.at(',')) break
        this.next()
      }
      this.expect(')', `"," or ")" in the arguments of ${name.text}()`)
      return out
    })
    return { kind: 'call', ...(namespace === undefined ? {} : { namespace }), name: name.text, nameSpan: { start: name.start, end: name.end }, args, span: this.spanFrom(start) }
  }

  private primary(): Expr {
    const t = this.peek()
    switch (t.kind) {
      case 'int': {
        this.next()
        const value = Number(t.text)
        if (!Number.isSafeInteger(value)) this.unsupported(`integers beyond ±${Number.MAX_SAFE_INTEGER} are not supported yet`, t)
        return { kind: 'int', value, span: spanOf(t) }
      }
      case 'string':
        this.next()
        return { kind: 'string', value: t.text, span: spanOf(t) }
      case 'strLeft':
        return this.interpolation()
      case 'ident':
        return this.word()
      case 'punct':
        if (t.text === '{') return this.object()
        if (t.text === '[') return this.array()
        if (t.text === '(') {
          this.next()
          const inner = this.newlines(true, () => {
            const e = this.expression()
            if (this.at(',')) this.unsupported('lambdas ((a, b) => …) are not supported yet', t)
            this.expect(')', '")"')
            return e
          })
          if (this.at('=>')) this.unsupported('lambdas (x => …) are not supported yet', t)
          // Keep the inner node, widened to the parentheses, so positions cover what was written.
          return { ...inner, span: this.spanFrom(t.start) } as Expr
        }
        if (t.text === '...') this.fail('"..." only appears inside an object or array literal', t, 'BICEP_SYNTAX')
        return this.fail(`expected a value, found ${describe(t)}`)
      default:
        return this.fail(`expected a value, found ${describe(t)}`)
    }
  }

  private word(): Expr {
    const t = this.next()
    if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true', span: spanOf(t) }
    if (t.text === 'null') return { kind: 'null', span: spanOf(t) }
    if (this.at('=>')) this.unsupported('lambdas (x => …) are not supported yet', t)
    if (t.text === 'for' || t.text === 'if') this.unsupported(`"${t.text}" expressions are not supported yet`, t)
    return { kind: 'ident', name: t.text, span: spanOf(t) }
  }

  /** `'a${x}b'`: the lexer's pieces around the holes' expressions. */
  protected interpolation(): Expr & { kind: 'interp' } {
    const first = this.next()
    const parts = [first.text]
    const exprs: Expr[] = []
    for (;;) {
      exprs.push(this.newlines(false, () => this.expression()))
      const t = this.peek()
      if (t.kind !== 'strMid' && t.kind !== 'strRight') this.fail(`expected "}" to close the \${…} in this string, found ${describe(t)}`)
      this.next()
      parts.push(t.text)
      if (t.kind === 'strRight') return { kind: 'interp', parts, exprs, span: this.spanFrom(first.start) }
    }
  }

  object(): ObjectExpr {
    const open = this.expect('{', '"{"')
    const items = this.newlines(false, () => this.items<ObjectItem>('}', 'properties', () => this.property()))
    return { kind: 'object', items, span: this.spanFrom(open.start) }
  }

  private array(): Expr {
    const open = this.next()
    const items = this.newlines(false, () => {
      this.skipNewlines()
      if (this.atWord('for')) this.unsupported('loops ([for … in …: …]) are not supported yet', this.peek())
      return this.items<ArrayItem>(']', 'items', () => this.spreadOr(() => this.expression()))
    })
    return { kind: 'array', items, span: this.spanFrom(open.start) }
  }

  /**
   * Items up to `close`, separated as Bicep separates them: by new lines, by commas, or both
   * (`{ a: 1, b: 2 }` and one property per line are both valid).
   */
  private items<T>(close: string, what: string, item: () => T): T[] {
    const out: T[] = []
    this.skipNewlines()
    while (!this.at(close)) {
      if (this.peek().kind === 'eof') this.fail(`expected "${close}" to close the ${close === '}' ? 'object' : 'array'}, found the end of the file`)
      out.push(item())
      let commas = 0
      let separated = false
      while (this.atNewline() || this.at(',')) {
        if (this.peek().kind === 'eof') break
        if (this.at(',') && ++commas > 1) this.fail('expected a value between the commas')
        separated = true
        this.next()
      }
      if (!separated && !this.at(close)) this.fail(`expected a new line or "," between ${what}, or "${close}", found ${describe(this.peek())}`)
    }
    this.next()
    return out
  }

  private property(): ObjectItem {
    return this.spreadOr((): ObjectItem => {
      const t = this.peek()
      let key: string | Expr
      if (t.kind === 'ident' || t.kind === 'string') key = this.next().text
      else if (t.kind === 'strLeft') key = this.interpolation()
      else return this.fail(`expected a property name, found ${describe(t)}`)
      const keySpan: Span = { start: t.start, end: this.previous().end }
      this.expect(':', `":" after the property name`)
      const value = this.expression()
      return { kind: 'property', key, keySpan, value, span: { start: t.start, end: value.span.end } }
    })
  }

  /** `...expr` (spread), `...` alone (documentation shorthand for text left out), or `item`. */
  private spreadOr<T>(item: () => T): T | { kind: 'spread'; expr: Expr; span: Span } | { kind: 'elided'; span: Span } {
    if (!this.at('...')) return item()
    const dots = this.next()
    if (this.atNewline() || this.at('}') || this.at(']') || this.at(',')) return { kind: 'elided', span: spanOf(dots) }
    const expr = this.expression()
    return { kind: 'spread', expr, span: this.spanFrom(dots.start) }
  }
}
