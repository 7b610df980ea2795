import type { DiagCode } from './codes.ts'

export type Severity = 'error' | 'warning'

/** Where in a user's file a problem is: 1-based line and column. */
export interface SourcePos {
  readonly file: string
  readonly line: number
  readonly col: number
  /** Length of the offending token, for the caret underline (1 when unknown). */
  readonly length?: number
}

/**
 * A problem with user input. Diagnostics are data: stages collect and return them so that a run
 * reports every problem at once, and the CLI prints them. They are never thrown.
 */
export interface Diagnostic {
  readonly code: DiagCode
  readonly severity: Severity
  readonly message: string
  /** The field path inside the resource or object, e.g. `properties.rules[0].matches[0].httpMethod`. */
  readonly path: string
  /** The resource or object the path is relative to, e.g. `Radius.Compute/routes/ingress`. */
  readonly resource?: string
  readonly source?: SourcePos
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}

/** Sorts by file, line, column, then code, so output is stable whatever order checks ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.source?.file ?? '').localeCompare(b.source?.file ?? '') ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
      (a.source?.col ?? 0) - (b.source?.col ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  )
}

/** Formats a field path from segments: `['rules', 0, 'matches']` → `rules[0].matches`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = ''
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out === '' ? s : `.${s}`
    else out += `[${JSON.stringify(s)}]`
  }
  return out
}
