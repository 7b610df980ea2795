import { readFileSync } from 'node:fs'
import { SwitchyardError } from '../diag/index.ts'

/** A file's text, or the operational error that names it. */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (cause) {
    throw unreadable(file, cause)
  }
}

/** The operational error for a path that cannot be opened: missing, or unreadable and why. */
export function unreadable(path: string, cause: unknown): SwitchyardError {
  const code = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'INPUT_FILE_NOT_FOUND' : 'INPUT_FILE_UNREADABLE'
  return new SwitchyardError(code, `${path}: ${code === 'INPUT_FILE_NOT_FOUND' ? 'no such file or directory' : (cause as Error).message}`, { cause })
}
