import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { SwitchyardError } from '../diag/index.ts'

export interface InputFile {
  /** The path as the user wrote it (or joined under a directory they named), for diagnostics. */
  readonly file: string
  readonly text: string
}

const READABLE = new Set(['.yaml', '.yml', '.json'])

/**
 * Reads the files and directories given. A directory contributes its `.yaml`, `.yml` and `.json`
 * files (not recursively), sorted by name so the order never depends on the file system. Throws
 * SwitchyardError for a missing or unreadable path. Every command and the reload loop read
 * through here, so they agree on what a directory holds.
 */
export function readInputs(paths: readonly string[]): InputFile[] {
  const out: InputFile[] = []
  for (const path of paths) {
    let isDir: boolean
    try {
      isDir = statSync(path).isDirectory()
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'INPUT_FILE_NOT_FOUND' : 'INPUT_FILE_UNREADABLE'
      throw new SwitchyardError(code, `${path}: ${code === 'INPUT_FILE_NOT_FOUND' ? 'no such file or directory' : (cause as Error).message}`, { cause })
    }
    const files = isDir
      ? readdirSync(path)
          .filter((f) => READABLE.has(extname(f)))
          .sort()
          .map((f) => join(path, f))
      : [path]
    for (const file of files) {
      try {
        out.push({ file, text: readFileSync(file, 'utf8') })
      } catch (cause) {
        throw new SwitchyardError('INPUT_FILE_UNREADABLE', `${file}: ${(cause as Error).message}`, { cause })
      }
    }
  }
  return out
}

/**
 * readInputs for the reload loop: errors come back as text, not thrown, so a file that vanished
 * for a moment during an editor's atomic save is a rejected reload, not a crash.
 */
export function readFiles(paths: readonly string[]): { inputs: InputFile[]; error: null } | { inputs: null; error: string } {
  try {
    return { inputs: readInputs(paths), error: null }
  } catch (e) {
    return { inputs: null, error: (e as Error).message }
  }
}
