import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { canonicalYaml } from '../src/util/index.ts'

/** `UPDATE_GOLDEN=1 npm test` (or `npm run test:update`) rewrites golden files instead of comparing. */
export const UPDATE = process.env.UPDATE_GOLDEN === '1'

/**
 * Compares `actual`, as canonical YAML, with the golden file at `path`. A missing golden fails with
 * the command that writes it; a mismatch fails with a line diff.
 */
export async function expectGolden(path: string, actual: unknown): Promise<void> {
  const got = typeof actual === 'string' ? actual : canonicalYaml(actual)
  if (UPDATE) {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, got)
    return
  }
  if (!existsSync(path)) assert.fail(`missing golden file ${relative(process.cwd(), path)}: run UPDATE_GOLDEN=1 npm test and review it`)
  const want = await readFile(path, 'utf8')
  if (got !== want) assert.fail(`golden mismatch in ${relative(process.cwd(), path)} (UPDATE_GOLDEN=1 npm test rewrites it):\n${lineDiff(want, got)}`)
}

/** The `<case>` names of every `<case><inSuffix>` in `dir`, sorted. */
export function listCases(dir: string, inSuffix = '.in.yaml'): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(inSuffix))
    .map((f) => f.slice(0, -inSuffix.length))
    .sort()
}

/**
 * Golden files with no input beside them: stale leftovers that would otherwise go unnoticed.
 * Returns their paths.
 */
export function orphanedGoldens(dir: string, inSuffix = '.in.yaml', outSuffix = '.out.yaml'): string[] {
  const files = new Set(readdirSync(dir))
  return [...files]
    .filter((f) => f.endsWith(outSuffix) && !files.has(f.slice(0, -outSuffix.length) + inSuffix))
    .map((f) => join(dir, f))
}

/** A minimal line diff: the first differing lines with a little context, enough to see what moved. */
function lineDiff(want: string, got: string): string {
  const a = want.split('\n')
  const b = got.split('\n')
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const out: string[] = [`@@ first difference at line ${i + 1} @@`]
  for (let k = Math.max(0, i - 3); k < i; k++) out.push(`  ${a[k]}`)
  for (let k = i; k < Math.min(a.length, i + 8); k++) out.push(`- ${a[k]}`)
  for (let k = i; k < Math.min(b.length, i + 8); k++) out.push(`+ ${b[k]}`)
  return out.join('\n')
}
