import assert from 'node:assert/strict'
import { CODES, type Diagnostic } from '../src/diag/index.ts'

/**
 * Asserts what every diagnostic owes its reader: a catalogued code, a severity, a message, and
 * (unless its code is in `positionless`: problems of the input as a whole or of an object graph
 * with no single place) a position inside one of `files` — a real line, and a column on it or just
 * past its end (an error at the end of a line).
 */
export function assertDiagnosticsPointIntoFiles(files: readonly { file: string; text: string }[], diagnostics: readonly Diagnostic[], positionless: (d: Diagnostic) => boolean): void {
  for (const d of diagnostics) {
    assert.ok(d.code in CODES, `unknown code ${d.code}`)
    assert.ok(d.severity === 'error' || d.severity === 'warning')
    assert.ok(typeof d.message === 'string' && d.message.length > 0, `${d.code} has a message`)
    if (!d.source) {
      assert.ok(positionless(d), `${d.code} (${d.message}) has no source position`)
      continue
    }
    const f = files.find((x) => x.file === d.source!.file)
    assert.ok(f, `${d.code} points at ${d.source.file}, which is not an input`)
    const lines = f.text.split(/\r\n|\r|\n/)
    assert.ok(Number.isInteger(d.source.line) && d.source.line >= 1 && d.source.line <= lines.length, `${d.code} line ${d.source.line} is outside ${lines.length} lines`)
    const width = lines[d.source.line - 1]!.length + 1
    assert.ok(Number.isInteger(d.source.col) && d.source.col >= 1 && d.source.col <= width, `${d.code} col ${d.source.col} is outside line ${d.source.line} (${width - 1} chars)`)
  }
}
