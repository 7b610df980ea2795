import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { stringify } from 'yaml'
import { SwitchyardError } from '../diag/index.ts'
import type { PlatformDocument } from '../recipes/index.ts'

export type DocumentFormat = 'json' | 'yaml'

/** `-o out/stack.json` names one file and its format; anything else but `-` is a directory. */
export function outputFile(output: string): DocumentFormat | undefined {
  const ext = extname(output).toLowerCase()
  return ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined
}

/**
 * YAML 1.1 output, as CloudFormation and gcloud read YAML 1.1: strings such as `2010-09-09`, `on`
 * or `yes` are then quoted instead of turning into dates and booleans.
 */
export function serialize(bodies: readonly unknown[], format: DocumentFormat): string {
  if (format === 'json') return JSON.stringify(bodies.length === 1 ? bodies[0] : bodies, null, 2) + '\n'
  return bodies.map((b) => stringify(b, { lineWidth: 0, version: '1.1' })).join('---\n')
}

/**
 * Writes documents to standard output (`-`), into one file (`-o x.json`: a JSON array or a YAML
 * stream when there are several), or one file per document into a directory. Each file is written
 * beside its final name and renamed into place, so a reader never sees half a file.
 */
export function writeDocuments(output: string, documents: readonly PlatformDocument[], format: DocumentFormat): void {
  if (output === '-') {
    process.stdout.write(serialize(documents.map((d) => d.body), format))
    return
  }
  const files = outputFile(output) ? [{ file: output, text: serialize(documents.map((d) => d.body), format) }] : documents.map((d) => ({ file: join(output, `${d.name}.${format}`), text: serialize([d.body], format) }))
  try {
    for (const { file, text } of files) {
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(`${file}.tmp`, text)
      renameSync(`${file}.tmp`, file)
      process.stderr.write(`wrote ${file}\n`)
    }
  } catch (cause) {
    throw new SwitchyardError('RENDER_OUTPUT_FAILED', `cannot write to ${output}: ${(cause as Error).message}`, { cause })
  }
}
