import type { DiagCode } from './codes.ts'

/**
 * An operational failure (a file that cannot be read, a port that cannot be bound): thrown, with a
 * stable code from the catalog and the underlying error as `cause`.
 */
export class SwitchyardError extends Error {
  readonly code: DiagCode
  constructor(code: DiagCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'SwitchyardError'
    this.code = code
  }
}
