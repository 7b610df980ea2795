import { formatPath, type DiagCode, type Diagnostic, type Severity } from '../diag/index.ts'
import type { YamlDoc } from '../util/index.ts'

export type PathSeg = string | number

/** Where a resource came from: its document and the path to it inside that document. */
export interface Origin {
  readonly doc: YamlDoc
  readonly base: readonly PathSeg[]
  /** `Type/name`, for the diagnostic's `resource` field. */
  readonly resource: string
}

/** Collects diagnostics with positions; checks call it instead of throwing. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = []

  report(severity: Severity, code: DiagCode, message: string, origin: Origin, path: readonly PathSeg[], part: 'key' | 'value' = 'value'): void {
    this.diagnostics.push({
      code,
      severity,
      message,
      path: formatPath(path),
      resource: origin.resource || undefined,
      source: origin.doc.locate([...origin.base, ...path], part),
    })
  }

  error(code: DiagCode, message: string, origin: Origin, path: readonly PathSeg[], part: 'key' | 'value' = 'value'): void {
    this.report('error', code, message, origin, path, part)
  }

  warn(code: DiagCode, message: string, origin: Origin, path: readonly PathSeg[], part: 'key' | 'value' = 'value'): void {
    this.report('warning', code, message, origin, path, part)
  }
}

// Narrowing accessors for values the schema layer has already checked. Semantic checks still run
// on resources with schema errors, so that one run reports every problem; these skip what is
// malformed (already reported) instead of failing on it.
export const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
export const obj = (v: unknown): Record<string, unknown> => (isObj(v) ? v : {})
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined)

/** `{ [key]: value }` when value is defined, else `{}`: spreads optional fields without `undefined`s. */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}
