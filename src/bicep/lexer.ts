import type { Diagnostic } from '../diag/index.ts'
import type { LineMap } from './positions.ts'

/**
 * Tokens of Bicep. Strings with `${…}` holes come as pieces, as Bicep's own lexer makes them:
 * `'a${x}b${y}c'` is strLeft `a`, tokens of x, strMid `b`, tokens of y, strRight `c`.
 * Newlines are tokens: Bicep ends declarations and separates object properties and array items
 * with them.
 */
export type TokenKind = 'ident' | 'int' | 'string' | 'strLeft' | 'strMid' | 'strRight' | 'punct' | 'newline' | 'eof' | 'bad'

export interface Token {
  readonly kind: TokenKind
  /** The punctuation or identifier text; for strings, the decoded value of the piece. */
  readonly text: string
  readonly start: number
  readonly end: number
}

// Longest first, so `...` wins over `.` and `==` over `=`.
const PUNCTUATION = ['...', '??', '==', '!=', '=~', '!~', '<=', '>=', '&&', '||', '.?', '::', '=>', '{', '}', '(', ')', '[', ']', ',', '.', ':', '?', '=', '!', '<', '>', '+', '-', '*', '/', '%', '@', '|']

// Bicep's escapes (Bicep.Core Lexer): \n \r \t \\ \' \$ and \u{hex}.
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' }

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c)
const isIdentPart = (c: string) => /[A-Za-z0-9_]/.test(c)
const isDigit = (c: string) => c >= '0' && c <= '9'

/** Splits a file into tokens. Problems become diagnostics and `bad` tokens; it never throws. */
export function lex(lines: LineMap): { tokens: Token[]; diagnostics: Diagnostic[] } {
  const text = lines.text
  const tokens: Token[] = []
  const diagnostics: Diagnostic[] = []
  // What each open `{` is: an object's brace or a string's `${` hole (Bicep's template stack).
  const stack: ('brace' | 'hole')[] = []
  let i = 0
  const error = (message: string, start: number, end: number) => diagnostics.push(lines.diag('BICEP_SYNTAX', message, { start, end }))
  const push = (kind: TokenKind, tokenText: string, start: number) => tokens.push({ kind, text: tokenText, start, end: i })

  /** Scans string text up to `'` (the piece ends the string) or `${` (a hole opens). */
  const stringPiece = (start: number, atStart: boolean): void => {
    let value = ''
    for (;;) {
      if (i >= text.length || text[i] === '\n' || text[i] === '\r') {
        const why = i >= text.length ? 'it needs a closing quote' : "a single-quoted string ends on its line (use '''…''' for several lines)"
        error(`unterminated string: ${stack.includes('hole') ? 'is a "}" missing to close a ${…}?' : why}`, start, i)
        stack.length = 0
        push('bad', value, start)
        return
      }
      const c = text[i]!
      if (c === "'") {
        i++
        push(atStart ? 'string' : 'strRight', value, start)
        if (!atStart) stack.pop()
        return
      }
      if (c === '$' && text[i + 1] === '{') {
        i += 2
        push(atStart ? 'strLeft' : 'strMid', value, start)
        if (atStart) stack.push('hole')
        return
      }
      if (c === '\\') {
        const escStart = i
        const e = text[i + 1]
        if (e === 'u' && text[i + 2] === '{') {
          const m = /^[0-9A-Fa-f]{1,6}\}/.exec(text.slice(i + 3, i + 10))
          const cp = m ? parseInt(m[0].slice(0, -1), 16) : NaN
          if (m && cp <= 0x10ffff) {
            value += String.fromCodePoint(cp)
            i += 3 + m[0].length
            continue
          }
          error('invalid \\u{…} escape: give 1 to 6 hex digits of a code point up to 10FFFF', escStart, i + 2)
          i += 2
          continue
        }
        if (e !== undefined && e in ESCAPES) {
          value += ESCAPES[e]
          i += 2
          continue
        }
        if (e === undefined || e === '\n' || e === '\r') {
          i++
          continue
        }
        error(`unknown escape sequence \\${e}: Bicep knows \\n \\r \\t \\\\ \\' \\$ and \\u{…}`, escStart, i + 2)
        i += 2
        continue
      }
      value += c
      i++
    }
  }

  while (i < text.length) {
    const c = text[i]!
    const start = i
    if (c === ' ' || c === '\t') {
      i++
    } else if (c === '\n' || c === '\r') {
      while (i < text.length && (text[i] === '\n' || text[i] === '\r')) i++
      // A string hole cannot span lines; the parser reports the unclosed `${`.
      if (stack.includes('hole')) stack.length = 0
      push('newline', '\n', start)
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2)
      if (close === -1) {
        error('unterminated comment: /* needs a closing */', start, start + 2)
        i = text.length
      } else i = close + 2
    } else if (c === '#' && /^#disable-(next-line|diagnostics)\b/.test(text.slice(i, i + 30)) && /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', i - 1) + 1, i))) {
      // Linter pragmas (#disable-next-line BCP081): Bicep treats them as trivia, so do we.
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++
    } else if (c === "'" && text.startsWith("'''", i)) {
      const close = text.indexOf("'''", i + 3)
      if (close === -1) {
        error("unterminated multi-line string: ''' needs a closing '''", start, start + 3)
        i = text.length
        push('bad', '', start)
        continue
      }
      // The closing quotes may be followed by more quotes; the last three close (Bicep's rule).
      let end = close + 3
      while (text[end] === "'") end++
      // A line break right after the opening ''' is not part of the value.
      const value = text.slice(i + 3, end - 3).replace(/^\r?\n/, '')
      i = end
      push('string', value, start)
    } else if (c === "'") {
      i++
      stringPiece(start, true)
    } else if (c === '}' && stack.at(-1) === 'hole') {
      i++
      stringPiece(start, false)
    } else if (c === '"') {
      const close = text.slice(i + 1).search(/["\r\n]/)
      i = close !== -1 && text[i + 1 + close] === '"' ? i + close + 2 : i + 1
      error('Bicep strings use single quotes (\'…\'), not double quotes', start, i)
      push('bad', '"', start)
    } else if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(text[i]!)) i++
      push('ident', text.slice(start, i), start)
    } else if (isDigit(c)) {
      while (i < text.length && isDigit(text[i]!)) i++
      push('int', text.slice(start, i), start)
    } else {
      const p = PUNCTUATION.find((op) => text.startsWith(op, i))
      if (p) {
        i += p.length
        if (p === '{' && stack.length > 0) stack.push('brace')
        if (p === '}' && stack.at(-1) === 'brace') stack.pop()
        push('punct', p, start)
      } else {
        const cp = String.fromCodePoint(text.codePointAt(i)!)
        i += cp.length
        error(`unexpected character ${JSON.stringify(cp)}`, start, i)
        push('bad', cp, start)
      }
    }
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length })
  return { tokens, diagnostics }
}
