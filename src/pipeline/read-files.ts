import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'

const READABLE = new Set(['.yaml', '.yml', '.json'])

/**
 * Reads the files and directories to serve (a directory: its `.yaml`, `.yml`, `.json` files, not
 * recursively, sorted by name). Errors come back as text, not thrown: a file that vanished for a
 * moment during an editor's atomic save is a rejected reload, not a crash.
 */
export function readFiles(paths: readonly string[]): { inputs: { file: string; text: string }[]; error: string | null } {
  const inputs: { file: string; text: string }[] = []
  try {
    for (const path of paths) {
      const files = statSync(path).isDirectory()
        ? readdirSync(path)
            .filter((f) => READABLE.has(extname(f)))
            .sort()
            .map((f) => join(path, f))
        : [path]
      for (const file of files) inputs.push({ file, text: readFileSync(file, 'utf8') })
    }
  } catch (e) {
    return { inputs, error: (e as Error).message }
  }
  return { inputs, error: null }
}
