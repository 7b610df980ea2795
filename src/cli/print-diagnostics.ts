import { formatDiagnostic, sortDiagnostics, summarize, type Diagnostic } from '../diag/index.ts'
import type { InputFile } from '../pipeline/index.ts'

export type OutputFormat = 'text' | 'json'

/** Prints diagnostics to stderr as text with source excerpts, or to stdout as a JSON array. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], inputs: readonly InputFile[], format: OutputFormat): void {
  const sorted = sortDiagnostics(diagnostics)
  if (format === 'json') {
    process.stdout.write(JSON.stringify(sorted, null, 2) + '\n')
    return
  }
  if (sorted.length === 0) return
  const sources = new Map(inputs.map((i) => [i.file, i.text]))
  const color = process.stderr.isTTY && !process.env.NO_COLOR
  for (const d of sorted) process.stderr.write(formatDiagnostic(d, { sources, color }) + '\n\n')
  process.stderr.write(summarize(sorted) + '\n')
}
