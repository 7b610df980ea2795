import type { DiagCode, Diagnostic, Severity, SourcePos } from '../diag/index.ts'
import type { Span } from './ast.ts'

/**
 * Turns offsets into 1-based line:col positions of one file. Lines end at `\n` (a `\r` before it
 * belongs to the line break), as the caret excerpts in src/diag count them.
 */
export class LineMap {
  readonly file: string
  readonly text: string
  readonly #starts: number[] = [0]

  constructor(file: string, text: string) {
    this.file = file
    this.text = text
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#starts.push(i + 1)
  }

  /** The position of `span`, underlining at most the rest of its first line. */
  pos(span: Span): SourcePos {
    const start = Math.max(0, Math.min(span.start, this.text.length))
    let lo = 0
    let hi = this.#starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.#starts[mid]! <= start) lo = mid
      else hi = mid - 1
    }
    const next = this.#starts[lo + 1]
    const lineEnd = next === undefined ? this.text.length : this.text[next - 2] === '\r' ? next - 2 : next - 1
    const end = Math.min(Math.max(span.end, start + 1), Math.max(lineEnd, start + 1))
    return { file: this.file, line: lo + 1, col: start - this.#starts[lo]! + 1, length: end - start }
  }

  diag(code: DiagCode, message: string, span: Span, severity: Severity = 'error'): Diagnostic {
    return { code, severity, message, path: '', source: this.pos(span) }
  }
}
