import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { test } from 'node:test'
import { sortDiagnostics, type Diagnostic } from '../../src/diag/index.ts'
import { validateApp, type App } from '../../src/model/index.ts'
import { locateFields, type DocumentRenderResult } from '../../src/recipes/index.ts'
import { appExamples, readInputs, ROOT } from '../examples.ts'
import { expectGolden, listCases } from '../golden.ts'

/** Inputs shared by the platform recipes' golden tests: precedence, rule splitting, ports. */
export const CASES = join(ROOT, 'src/recipes/testdata')

/** An app from files given relative to the repository, so positions in goldens carry no machine paths. */
export function loadApp(path: string): { app: App; files: { file: string; text: string }[] } {
  const files = readInputs([join(ROOT, path)]).map((f) => ({ file: relative(ROOT, f.file), text: f.text }))
  const { app, diagnostics } = validateApp(files)
  assert.ok(app, JSON.stringify(diagnostics))
  return { app, files }
}

export function renderWithPositions(render: (app: App) => DocumentRenderResult, path: string): DocumentRenderResult {
  const { app, files } = loadApp(path)
  const r = render(app)
  return { documents: r.documents, diagnostics: sortDiagnostics(locateFields(r.diagnostics, files)) }
}

/**
 * Golden tests for one platform: every example app and every shared case renders to
 * `<recipe>/testdata/<name>.out.yaml` (documents and diagnostics), each document passes `check`,
 * and no golden is left without an input.
 */
export function platformGoldens(platform: string, render: (app: App) => DocumentRenderResult, check: (doc: unknown) => string[]): void {
  const out = join(ROOT, 'src/recipes', platform, 'testdata')
  const inputs = [...appExamples().map((e) => ({ name: e, path: `examples/${e}` })), ...listCases(CASES).map((c) => ({ name: `case-${c}`, path: `src/recipes/testdata/${c}.in.yaml` }))]
  for (const { name, path } of inputs) {
    test(`${platform} golden: ${path}`, async () => {
      const r = renderWithPositions(render, path)
      for (const d of r.documents) assert.deepEqual(check(d.body), [], `${name}: ${d.name} breaks the platform's schema`)
      await expectGolden(join(out, `${name}.out.yaml`), { diagnostics: r.diagnostics.map(summary), documents: r.documents })
    })
  }
  test(`${platform} goldens all have an input`, () => {
    const wanted = new Set(inputs.map((i) => `${i.name}.out.yaml`))
    assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.out.yaml') && !wanted.has(f)), [])
  })
}

/** A diagnostic as one line, so goldens read like the CLI's output. */
function summary(d: Diagnostic): string {
  const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.col}` : '<input>'
  return `${where} ${d.severity} ${d.code} ${d.path}: ${d.message}`
}
