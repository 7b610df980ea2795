import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { test } from 'node:test'

// Which top-level folders under src/ each folder may import (DESIGN.md §2: arrows point downstream).
const ALLOWED: Record<string, readonly string[]> = {
  diag: [],
  util: ['diag'],
  k8s: [],
  ir: [],
  model: ['diag', 'util'],
  bicep: ['diag', 'util', 'model'],
  recipes: ['diag', 'util', 'model', 'k8s'],
  translator: ['diag', 'util', 'k8s', 'ir'],
  dataplane: ['diag', 'util', 'ir'],
  // local: the app's containers on this machine (processes, stand-ins, the local CA); it reads the
  // model only, and the pipeline feeds what it reports (EndpointSlices, Secrets) to the translator.
  local: ['diag', 'util', 'model'],
  pipeline: ['diag', 'util', 'model', 'bicep', 'k8s', 'recipes', 'translator', 'ir', 'local'],
  // graph reads both the app model and the IR (and Radius's default parent from recipes), so it
  // cannot live in either; only the CLI composes it.
  graph: ['diag', 'util', 'model', 'recipes', 'k8s', 'ir'],
  admin: ['diag', 'util', 'k8s', 'ir'],
  // The one folder with cluster side effects (switchyard deploy): it applies whatever objects it is
  // given, so it needs neither the model nor the recipes; the CLI hands it the rendered objects.
  deploy: ['diag', 'util'],
  cli: ['diag', 'util', 'model', 'bicep', 'k8s', 'recipes', 'translator', 'ir', 'dataplane', 'pipeline', 'admin', 'deploy', 'graph', 'local'],
}

const SRC = resolve(import.meta.dirname, '../src')

function* sourceFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory() && e.name !== 'testdata') yield* sourceFiles(p)
    else if (e.isFile() && e.name.endsWith('.ts')) yield p
  }
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => (m[1] ?? m[2])!)
}

test('every src folder is one the architecture knows', () => {
  for (const e of readdirSync(SRC, { withFileTypes: true })) if (e.isDirectory()) assert.ok(e.name in ALLOWED, `src/${e.name} is not in the allow-list`)
})

test('imports point downstream only, and cross-folder imports go through index.ts', () => {
  const problems: string[] = []
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file).split(sep)[0]!
    for (const spec of imports(file)) {
      if (!spec.startsWith('.')) continue
      const target = resolve(dirname(file), spec)
      const rel = relative(SRC, target)
      if (rel.startsWith('..')) continue
      const to = rel.split(sep)[0]!
      if (to === from) continue
      const where = `${relative(SRC, file)} imports ${spec}`
      if (!ALLOWED[from]?.includes(to)) problems.push(`${where}: ${from} may not import ${to}`)
      else if (rel !== join(to, 'index.ts')) problems.push(`${where}: import src/${to}/index.ts instead`)
    }
  }
  assert.deepEqual(problems, [])
})
