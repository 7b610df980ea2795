import type { Diagnostic } from '../diag/index.ts'
import type { BicepFile, Decl, Decorator, Expr, ObjectExpr, TypeExpr } from './ast.ts'
import { lex } from './lexer.ts'
import { ExpressionParser } from './parse-expression.ts'
import type { LineMap } from './positions.ts'
import { describe, ParseFailure, spanOf } from './token-stream.ts'

/** Words that start a declaration; after a syntax error, parsing resumes at the next line starting with one. */
const DECLARATION_WORDS = new Set(['param', 'var', 'resource', 'output', 'module', 'type', 'func', 'import', 'extension', 'targetScope', 'metadata', 'using', 'assert'])

/** `Namespace/type@apiVersion` (child types have more segments: `Namespace/type/child@…`). */
const RESOURCE_TYPE = /^[A-Za-z0-9.]+(\/[A-Za-z0-9]+)+@[A-Za-z0-9._-]+$/

/**
 * Parses a Bicep file. Each declaration that fails to parse gets one diagnostic and is skipped;
 * parsing goes on with the next declaration, so one run reports every broken declaration.
 * Never throws.
 */
export function parseBicep(lines: LineMap): { file: BicepFile; diagnostics: Diagnostic[] } {
  const lexed = lex(lines)
  const parser = new FileParser(lexed.tokens, lines)
  parser.diagnostics.push(...lexed.diagnostics)
  const decls = parser.file()
  return { file: { decls }, diagnostics: parser.diagnostics }
}

class FileParser extends ExpressionParser {
  file(): Decl[] {
    const decls: Decl[] = []
    for (;;) {
      this.skipNewlines()
      if (this.peek().kind === 'eof') return decls
      const from = this.pos
      try {
        decls.push(this.declaration())
        if (!this.atNewline()) this.fail(`expected a new line after the declaration, found ${describe(this.peek())}`)
      } catch (e) {
        if (!(e instanceof ParseFailure)) throw e
        this.recover(from)
      }
    }
  }

  /**
   * Skips the rest of a declaration that failed, to the next line that starts (at column 1) with
   * a declaration word or a decorator. Brackets are not counted: the error may be a stray or
   * missing one, and counting them would swallow or split the declarations that follow.
   */
  private recover(from: number): void {
    const failedAt = Math.max(this.pos, from + 1)
    for (let i = Math.max(from, failedAt - 1); i < this.tokens.length; i++) {
      const t = this.tokens[i]!
      if (t.kind === 'eof') {
        this.pos = i
        return
      }
      const after = this.tokens[i + 1]!
      const atColumnOne = after.start === 0 || this.lines.text[after.start - 1] === '\n'
      if (t.kind === 'newline' && atColumnOne && ((after.kind === 'ident' && DECLARATION_WORDS.has(after.text)) || (after.kind === 'punct' && after.text === '@'))) {
        this.pos = i + 1
        return
      }
    }
  }

  private declaration(): Decl {
    const decorators: Decorator[] = []
    while (this.at('@')) {
      decorators.push(this.decorator())
      this.skipNewlines()
    }
    const t = this.peek()
    if (t.kind !== 'ident') return this.fail(`expected a declaration (param, var, resource, …), found ${describe(t)}`)
    switch (t.text) {
      case 'param':
        return this.param(decorators)
      case 'var':
        return this.variable(decorators)
      case 'resource':
        return this.resource(decorators)
      case 'output':
        return this.output(decorators)
      case 'extension':
      case 'import':
        return this.extension(decorators)
      case 'targetScope':
      case 'metadata': {
        this.next()
        const name = t.text === 'metadata' ? this.expectIdent('a name') : undefined
        this.expect('=', '"="')
        this.expression()
        return { kind: 'ignored', keyword: t.text, ...(name ? { name: name.text, nameSpan: spanOf(name) } : {}), decorators, span: this.spanFrom(t.start) }
      }
      case 'module':
        return this.unsupported('modules are not supported yet; put the resources in the file, or give several .bicep files', t)
      case 'type':
      case 'func':
        return this.unsupported(`user-defined ${t.text === 'type' ? 'types' : 'functions'} are not supported yet`, t)
      case 'using':
      case 'assert':
        return this.unsupported(`"${t.text}" is not supported yet`, t)
      default:
        return this.fail(`expected a declaration (param, var, resource, …), found ${describe(t)}`)
    }
  }

  private decorator(): Decorator {
    const at = this.next()
    let name = this.expectIdent('a decorator name after "@"')
    let namespace: string | undefined
    if (this.at('.')) {
      this.next()
      namespace = name.text
      name = this.expectIdent('a decorator name')
    }
    if (!this.at('(')) this.fail(`a decorator takes parentheses: @${name.text}()`)
    const args = this.newlines(true, () => {
      this.next()
      const out: Expr[] = []
      while (!this.at(')')) {
        out.push(this.expression())
        if (!this.at(',')) break
        this.next()
      }
      this.expect(')', '")"')
      return out
    })
    return { ...(namespace === undefined ? {} : { namespace }), name: name.text, args, span: this.spanFrom(at.start) }
  }

  private param(decorators: Decorator[]): Decl {
    const start = this.next().start
    const name = this.expectIdent('the parameter name')
    if (this.atWord('resource')) this.unsupported('resource-typed parameters are not supported yet', this.peek())
    const type = this.type()
    let value: Expr | undefined
    if (this.at('=')) {
      this.next()
      value = this.expression()
    }
    return { kind: 'param', name: name.text, nameSpan: spanOf(name), type, ...(value ? { default: value } : {}), decorators, span: this.spanFrom(start) }
  }

  private variable(decorators: Decorator[]): Decl {
    const start = this.next().start
    const name = this.expectIdent('the variable name')
    // Newer Bicep allows a type between the name and "=": `var port int = 80`.
    if (!this.at('=')) this.type()
    this.expect('=', '"=" after the variable name')
    const value = this.expression()
    return { kind: 'var', name: name.text, nameSpan: spanOf(name), value, decorators, span: this.spanFrom(start) }
  }

  private resource(decorators: Decorator[]): Decl {
    const start = this.next().start
    const name = this.expectIdent('the resource\'s symbolic name')
    const type = this.peek()
    if (type.kind === 'strLeft') this.fail('the resource type cannot use string interpolation', type)
    if (type.kind !== 'string') this.fail(`expected the resource type in quotes ('Namespace/type@apiVersion'), found ${describe(type)}`)
    this.next()
    if (!RESOURCE_TYPE.test(type.text)) this.fail(`"${type.text}" is not a resource type: write 'Namespace/type@apiVersion', e.g. 'Radius.Compute/routes@2025-08-01-preview'`, type)
    const existing = this.atWord('existing')
    if (existing) this.next()
    this.expect('=', '"="')
    const t = this.peek()
    if (t.kind === 'ident' && t.text === 'if') this.unsupported('conditional resources (= if (…) {…}) are not supported yet', t)
    if (t.kind === 'punct' && t.text === '[') this.unsupported('resource loops (= [for …]) are not supported yet', t)
    if (!this.at('{')) this.fail(`expected "{" to start the resource body, found ${describe(t)}`)
    const body: ObjectExpr = this.object()
    return { kind: 'resource', name: name.text, nameSpan: spanOf(name), type: type.text, typeSpan: spanOf(type), existing, body, decorators, span: this.spanFrom(start) }
  }

  private output(decorators: Decorator[]): Decl {
    const start = this.next().start
    const name = this.expectIdent('the output name')
    if (this.atWord('resource')) {
      this.next()
      if (this.peek().kind !== 'string') this.fail('expected the resource type in quotes')
      this.next()
    } else this.type()
    this.expect('=', '"="')
    const t = this.peek()
    if (t.kind === 'ident' && t.text === 'if') this.unsupported('conditional outputs are not supported yet', t)
    this.expression()
    return { kind: 'ignored', keyword: 'output', name: name.text, nameSpan: spanOf(name), decorators, span: this.spanFrom(start) }
  }

  /** `extension radius`, and the older `import radius as radius` / `import 'radius@latest'`. */
  private extension(decorators: Decorator[]): Decl {
    const keyword = this.next()
    const what = this.peek()
    if (keyword.text === 'import' && what.kind === 'punct' && (what.text === '{' || what.text === '*')) this.unsupported('compile-time imports (import {…} from / import * as …) are not supported yet', keyword)
    if (what.kind !== 'ident' && what.kind !== 'string') this.fail(`expected the ${keyword.text} name (e.g. radius), found ${describe(what)}`)
    this.next()
    if (this.atWord('with')) {
      this.next()
      this.object()
    }
    let alias: { text: string; start: number; end: number } | undefined
    if (this.atWord('as')) {
      this.next()
      alias = this.expectIdent('a name after "as"')
    }
    const name = alias ?? (what.kind === 'ident' ? what : undefined)
    return { kind: 'ignored', keyword: keyword.text, ...(name ? { name: name.text, nameSpan: { start: name.start, end: name.end } } : {}), decorators, span: this.spanFrom(keyword.start) }
  }

  /** `string`, `int[]`, `string?`, `'a' | 'b'`. */
  private type(): TypeExpr {
    const first = this.typeMember()
    if (!this.at('|')) return first
    const members = [first]
    while (this.at('|')) {
      this.next()
      members.push(this.typeMember())
    }
    return { kind: 'union', members, span: { start: first.span.start, end: members.at(-1)!.span.end } }
  }

  private typeMember(): TypeExpr {
    const t = this.peek()
    let type: TypeExpr
    if (t.kind === 'ident' && (t.text === 'true' || t.text === 'false')) type = { kind: 'literal', value: this.next().text === 'true', span: spanOf(t) }
    else if (t.kind === 'ident') type = { kind: 'named', name: this.next().text, span: spanOf(t) }
    else if (t.kind === 'string') type = { kind: 'literal', value: this.next().text, span: spanOf(t) }
    else if (t.kind === 'int') type = { kind: 'literal', value: Number(this.next().text), span: spanOf(t) }
    else if (t.kind === 'punct' && t.text === '{') return this.unsupported('object types ({ name: string, … }) are not supported yet; declare the parameter as object', t)
    else if (t.kind === 'punct' && t.text === '(') {
      this.next()
      type = this.newlines(true, () => this.type())
      this.expect(')', '")"')
    } else return this.fail(`expected a type (string, int, bool, object, array), found ${describe(t)}`)
    for (;;) {
      if (this.at('[') && this.tokens[this.pos + 1]?.text === ']') {
        this.next()
        this.next()
        type = { kind: 'arrayOf', of: type, span: this.spanFrom(type.span.start) }
      } else if (this.at('?')) {
        this.next()
        type = { kind: 'nullable', of: type, span: this.spanFrom(type.span.start) }
      } else return type
    }
  }
}

