import type { Diagnostic } from './diagnostic.ts'
import { redactKeyMaterial, redactLineKeepingColumns } from './redact-key-material.ts'

export interface FormatOptions {
  /** File name → text, for the excerpt under each diagnostic. */
  readonly sources?: ReadonlyMap<string, string>
  /** ANSI colour (the CLI turns it on for terminals). */
  readonly color?: boolean
}

const ansi = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s)

/**
 * Prints one diagnostic as a compiler would:
 *
 *     app.yaml:14:11 error MODEL_INVALID_ENUM properties.kind: "HTTPS" is not one of HTTP, TLS, TCP, UDP
 *       in Radius.Compute/routes/ingress
 *        14 |     kind: HTTPS
 *           |           ^^^^^
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const color = options.color ?? false
  const bold = ansi(color, '1')
  const dim = ansi(color, '2')
  const sev = ansi(color, d.severity === 'error' ? '31;1' : '33;1')(d.severity)
  const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.col}` : '<input>'
  const field = d.path ? `${bold(d.path)}: ` : ''
  const lines = [`${where} ${sev} ${dim(d.code)} ${field}${redactKeyMaterial(d.message)}`]
  if (d.resource) lines.push(dim(`  in ${d.resource}`))
  const text = d.source ? options.sources?.get(d.source.file) : undefined
  if (d.source && text !== undefined) lines.push(...excerpt(text, d.source.line, d.source.col, d.source.length ?? 1, color))
  return lines.join('\n')
}

function excerpt(text: string, line: number, col: number, length: number, color: boolean): string[] {
  const raw = text.split(/\r\n|\r|\n/)[line - 1]
  if (raw === undefined) return []
  // The line may hold a private key (an error about a secret points right at it): shown redacted,
  // with the caret moved to match.
  const { text: src, column } = redactLineKeepingColumns(raw)
  const start = column(col - 1)
  const end = Math.max(start + 1, column(Math.min(raw.length, col - 1 + length)))
  const num = String(line)
  const gutter = ' '.repeat(num.length)
  // Tabs keep their width in the caret line so the caret sits under the right character.
  const pad = src.slice(0, start).replace(/[^\t]/g, ' ')
  const span = Math.max(1, Math.min(end - start, src.length - start))
  return [`  ${num} | ${src}`, `  ${gutter} | ${pad}${ansi(color, '31;1')('^'.repeat(span))}`]
}

/** A one-line summary such as `2 errors, 1 warning`. */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  const warnings = diagnostics.length - errors
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`
}
