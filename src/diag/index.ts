/**
 * diag — the vocabulary of errors shared by every stage.
 *
 * Input: nothing (a leaf). Output: the Diagnostic type and its printer, the error-code catalog, and
 * SwitchyardError for operational failures. Invariant: every code used anywhere is in CODES, and
 * docs/errors.md documents exactly the codes in CODES.
 */
export type { Diagnostic, Severity, SourcePos } from './diagnostic.ts'
export { formatPath, hasErrors, sortDiagnostics } from './diagnostic.ts'
export type { CodeInfo, CodeKind } from './code-info.ts'
export { CODES, type DiagCode } from './codes.ts'
export { formatDiagnostic, summarize, type FormatOptions } from './format.ts'
export { SwitchyardError } from './operational-error.ts'
export { KEY_MATERIAL_REDACTED, redactKeyMaterial } from './redact-key-material.ts'
