import { readdirSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { ParsedYaml } from '../util/index.ts'
import { withBicep } from './read-bicep.ts'
import { readText, unreadable } from './read-text.ts'

export interface InputFile {
  /** The path as the user wrote it (or joined under a directory they named), for diagnostics. */
  readonly file: string
  readonly text: string
  /** A .bicep file (or a `-p` parameters file), already read into documents; YAML has none. */
  readonly parsed?: ParsedYaml
}

export interface ReadOptions {
  /** `-p` arguments for .bicep files: `name=value`, `name=@file.json`, `@file.json`. */
  readonly parameters?: readonly string[]
}

const READABLE = new Set(['.yaml', '.yml', '.json'])

/**
 * Reads the files and directories given. A directory contributes its `.yaml`, `.yml` and `.json`
 * files (not recursively), sorted by name so the order never depends on the file system; a
 * `.bicep` file is read when named (so a Bicep twin beside app.yaml is not read twice) and
 * evaluated here, with the `-p` parameters. Throws SwitchyardError for a missing or unreadable
 * path. Every command and the reload loop read through here, so they agree on what a directory
 * holds.
 */
export function readInputs(paths: readonly string[], options: ReadOptions = {}): InputFile[] {
  const out: InputFile[] = []
  for (const path of paths) {
    let isDir: boolean
    try {
      isDir = statSync(path).isDirectory()
    } catch (cause) {
      throw unreadable(path, cause)
    }
    const files = isDir
      ? readdirSync(path)
          .filter((f) => READABLE.has(extname(f)))
          .sort()
          .map((f) => join(path, f))
      : [path]
    for (const file of files) out.push({ file, text: readText(file) })
  }
  return withBicep(out, options.parameters ?? [])
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
