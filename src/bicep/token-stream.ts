import type { DiagCode, Diagnostic } from '../diag/index.ts'
import type { Span } from './ast.ts'
import type { Token } from './lexer.ts'
import type { LineMap } from './positions.ts'

/** Thrown to abandon the declaration being parsed; its diagnostic is already recorded. */
export class ParseFailure extends Error {}

/** How deep expressions may nest before the parser refuses (instead of overflowing the stack). */
const MAX_DEPTH = 100

/**
 * A cursor over the tokens with the helpers every parsing routine uses. Whether newlines count
 * depends on where we are: inside parentheses they are whitespace, inside object and array
 * literals (and at the top level) they separate things.
 */
export class TokenStream {
  readonly lines: LineMap
  readonly diagnostics: Diagnostic[] = []
  protected readonly tokens: readonly Token[]
  protected pos = 0
  readonly #newlinesAreSpace: boolean[] = [false]
  #depth = 0

  constructor(tokens: readonly Token[], lines: LineMap) {
    this.tokens = tokens
    this.lines = lines
  }

  peek(): Token {
    if (this.#newlinesAreSpace.at(-1)) while (this.tokens[this.pos]!.kind === 'newline') this.pos++
    return this.tokens[this.pos]!
  }

  next(): Token {
    const t = this.peek()
    if (t.kind !== 'eof') this.pos++
    return t
  }

  at(punct: string): boolean {
    const t = this.peek()
    return t.kind === 'punct' && t.text === punct
  }

  atWord(word: string): boolean {
    const t = this.peek()
    return t.kind === 'ident' && t.text === word
  }

  atNewline(): boolean {
    const t = this.peek()
    return t.kind === 'newline' || t.kind === 'eof'
  }

  skipNewlines(): void {
    while (this.tokens[this.pos]!.kind === 'newline') this.pos++
  }

  /** The token before the cursor (the end of what was just parsed). */
  previous(): Token {
    return this.tokens[Math.max(0, this.pos - 1)]!
  }

  spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.previous().end) }
  }

  /**
   * Reports at `at` (the current token by default) and abandons the declaration. A `bad` token was
   * already reported by the lexer, so it adds nothing.
   */
  fail(message: string, at?: Span, code: DiagCode = 'BICEP_SYNTAX'): never {
    const t = this.peek()
    if (at || t.kind !== 'bad') this.diagnostics.push(this.lines.diag(code, message, at ?? t))
    throw new ParseFailure(message)
  }

  /** Valid Bicep outside the subset: `message` says what, ending in "not supported yet". */
  unsupported(message: string, at: Span): never {
    return this.fail(message, at, 'BICEP_NOT_SUPPORTED')
  }

  expect(punct: string, what: string): Token {
    if (!this.at(punct)) this.fail(`expected ${what}, found ${describe(this.peek())}`)
    return this.next()
  }

  expectIdent(what: string): Token {
    const t = this.peek()
    if (t.kind !== 'ident') this.fail(`expected ${what}, found ${describe(t)}`)
    return this.next()
  }

  /** Runs `fn` with newlines as whitespace (true) or as separators (false). */
  protected newlines<T>(areSpace: boolean, fn: () => T): T {
    this.#newlinesAreSpace.push(areSpace)
    try {
      return fn()
    } finally {
      this.#newlinesAreSpace.pop()
    }
  }

  protected nested<T>(fn: () => T): T {
    if (++this.#depth > MAX_DEPTH) {
      this.#depth = 0
      this.fail(`expressions nest more than ${MAX_DEPTH} levels deep`)
    }
    try {
      return fn()
    } finally {
      this.#depth = Math.max(0, this.#depth - 1)
    }
  }
}

/** A token as messages name it: `"}"`, `a new line`, `the end of the file`. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'newline':
      return 'a new line'
    case 'eof':
      return 'the end of the file'
    case 'string':
    case 'strLeft':
      return 'a string'
    case 'int':
      return `the number ${t.text}`
    default:
      return JSON.stringify(t.text)
  }
}

/** Just the offsets of a token (tokens carry more than a span needs). */
export function spanOf(t: { readonly start: number; readonly end: number }): Span {
  return { start: t.start, end: t.end }
}
