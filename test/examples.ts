import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..')

/** The example apps: folders of examples/ holding an app.yaml (the others hold Gateway API YAML for `serve`). */
export function appExamples(): string[] {
  return readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'examples', d.name, 'app.yaml')))
    .map((d) => d.name)
    .sort()
}

/** The files of an example (or any paths), read as every command reads them. */
export { readInputs } from '../src/pipeline/index.ts'
