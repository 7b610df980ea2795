import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import fc from 'fast-check'
import { parse, parseAllDocuments } from 'yaml'
import { assertDiagnosticsPointIntoFiles } from '../../test/diagnostic-checks.ts'
import { appExamples, ROOT } from '../../test/examples.ts'
import { applyTextEdits, mutatedDocument, textEdit } from '../../test/mutate.ts'
import { propertyOptions } from '../../test/property.ts'
import type { Diagnostic } from '../diag/index.ts'
import { validateApp } from './index.ts'

// The model parser and validator take any text: they never throw, and every problem is a
// diagnostic with a known code, a message, and a position inside the file it names.

/** Codes about the input as a whole, with no one place to point at. */
const positionless = (d: Diagnostic) => d.code === 'INPUT_EMPTY'
const checkDiagnostics = (files: readonly { file: string; text: string }[], diagnostics: readonly Diagnostic[]) => assertDiagnosticsPointIntoFiles(files, diagnostics, positionless)

function validValues(): unknown[] {
  const texts = appExamples().flatMap((name) => readdirSync(join(ROOT, 'examples', name)).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(ROOT, 'examples', name, f), 'utf8')))
  const testdata = join(import.meta.dirname, 'testdata')
  for (const f of readdirSync(testdata).filter((x) => x.endsWith('.in.yaml'))) texts.push(readFileSync(join(testdata, f), 'utf8'))
  // Only well-formed, single-document bases; the mutations supply the damage.
  return texts.filter((t) => parseAllDocuments(t).length === 1 && parseAllDocuments(t).every((d) => d.errors.length === 0)).map((t) => parse(t) as unknown)
}

const bases = validValues()

test('the fuzz corpus starts from valid apps', () => {
  assert.ok(bases.length >= 10, `only ${bases.length} base documents`)
  const clean = bases.filter((b) => {
    const text = JSON.stringify(b)
    return validateApp([{ file: 'app.json', text }]).app !== undefined
  })
  assert.ok(clean.length >= 5, `only ${clean.length} bases validate cleanly`)
})

test('validateApp never throws on mutated apps, and every diagnostic has a code and a position in its file', () => {
  const stats = { runs: 0, apps: 0, diagnostics: 0 }
  fc.assert(
    fc.property(mutatedDocument(bases), fc.option(mutatedDocument(bases), { nil: undefined }), (text, second) => {
      const files = [{ file: 'app.yaml', text }, ...(second === undefined ? [] : [{ file: 'env.yaml', text: second }])]
      const result = validateApp(files)
      checkDiagnostics(files, result.diagnostics)
      // An app comes back exactly when there are no errors.
      assert.equal(result.app !== undefined, !result.diagnostics.some((d) => d.severity === 'error'))
      stats.runs++
      if (result.app) stats.apps++
      stats.diagnostics += result.diagnostics.length
    }),
    propertyOptions(200),
  )
  // Guard: the mutations must leave some apps valid and break others, or the test explores little.
  assert.ok(stats.apps > 0 && stats.apps < stats.runs, `mutations should both keep and break apps: ${JSON.stringify(stats)}`)
  process.stdout.write(`# model fuzz: ${stats.runs} inputs, ${stats.apps} still valid, ${stats.diagnostics} diagnostics checked\n`)
})

test('validateApp never throws on arbitrary text and YAML-shaped noise', () => {
  const noise = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.array(fc.constantFrom('- ', 'type: ', 'name: ', 'properties:', '\n', '  ', '{', '}', '[', ']', ': ', '&a ', '*a', '<<: *a', '---', '"', 'Radius.Compute/routes@2025-08-01-preview', 'Applications.Core/applications@2023-10-01-preview', '@', '\t'), { maxLength: 60 }).map((xs) => xs.join('')),
    fc.jsonValue().map((v) => JSON.stringify(v)),
  )
  fc.assert(
    fc.property(noise, fc.array(textEdit, { maxLength: 2 }), (text, edits) => {
      const files = [{ file: 'noise.yaml', text: applyTextEdits(text, edits) }]
      checkDiagnostics(files, validateApp(files).diagnostics)
    }),
    propertyOptions(300),
  )
})

test('a billion-laughs alias bomb is refused with a diagnostic, not expanded', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n')
  const started = Date.now()
  const { diagnostics } = validateApp([{ file: 'bomb.yaml', text: bomb }])
  assert.ok(Date.now() - started < 2000, 'refused quickly')
  assert.ok(diagnostics.some((d) => d.code === 'INPUT_YAML_SYNTAX'), JSON.stringify(diagnostics.map((d) => d.code)))
})
