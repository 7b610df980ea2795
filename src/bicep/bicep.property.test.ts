import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import fc from 'fast-check'
import { validateApp } from '../model/index.ts'
import { evaluateBicep } from './index.ts'

const ROOT = join(import.meta.dirname, '../..')

// Real files to mutate: the example twins and the test data, so edits land in realistic Bicep.
const SAMPLES = [
  ...readdirSync(join(ROOT, 'examples'), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? readdirSync(join(ROOT, 'examples', d.name)).filter((f) => f.endsWith('.bicep')).map((f) => join(ROOT, 'examples', d.name, f)) : [])),
  ...readdirSync(join(import.meta.dirname, 'testdata')).filter((f) => f.endsWith('.bicep')).map((f) => join(import.meta.dirname, 'testdata', f)),
].map((f) => readFileSync(f, 'utf8'))

// Pieces of Bicep, to build token soup that gets further into the parser than random text does.
const FRAGMENTS = [
  'param', 'var', 'resource', 'existing', 'output', 'extension', 'radius', 'import', 'module', 'type', 'if', 'for', 'in', 'true', 'false', 'null', 'x', 'app', 'app.id', 'app.properties.a',
  "'Applications.Core/applications@2023-10-01-preview'", "'T.N/t@1'", "'s'", "'a${", "}'", "'", "'''", '{', '}', '[', ']', '(', ')', ':', ',', '.', '.?', '?', '??', '=', '==', '=~', '!',
  '@description(\'d\')', '@allowed([1])', '@secure()', '+', '-', '*', '/', '%', '&&', '||', '<', '>=', '...', '::', '=>', '\n', ' ', '//c\n', '/*', '*/', '"', '\\', '0', '42', '9999999999999999999',
  'name:', 'properties:', 'concat(', 'string(', 'loadTextContent(', 'range(0, 3)', 'int', 'string', 'object', '__proto__', 'constructor', 'toString(',
]

const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 80 }).map((parts) => parts.join(' '))
const mutated = fc
  .tuple(fc.constantFrom(...SAMPLES), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom('', ...FRAGMENTS)), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => edits.reduce((t, [at, drop, insert]) => t.slice(0, at % (t.length + 1)) + insert + t.slice((at % (t.length + 1)) + drop), text))
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), soup, mutated)

/** Reads `text` as every command would, and checks what comes back is well-formed. */
function check(text: string): void {
  const lines = text.split('\n').length
  const parsed = evaluateBicep(text, 'fuzz.bicep', { readFile: () => new TextEncoder().encode('x') })
  for (const d of parsed.diagnostics) {
    assert.match(d.code, /^BICEP_/)
    assert.ok(d.message.length > 0)
    assert.ok(d.source && d.source.file === 'fuzz.bicep', 'every diagnostic has a position')
    assert.ok(d.source.line >= 1 && d.source.line <= lines && d.source.col >= 1, `position ${d.source.line}:${d.source.col} is inside the file`)
  }
  if (parsed.diagnostics.some((d) => d.severity === 'error')) assert.equal(parsed.docs.length, 0, 'a file with errors yields no resources')
  for (const doc of parsed.docs) {
    assert.ok(Array.isArray(doc.value))
    doc.locate([0, 'properties', 'container', 'ports', 0, 'x'], 'key')
  }
  // The model reads whatever the evaluator produced without failing either.
  validateApp([{ file: 'fuzz.bicep', text, parsed }])
}

test('the Bicep reader never throws: any text gives resources or diagnostics with positions', { timeout: 120_000 }, () => {
  fc.assert(fc.property(anyText, check), { numRuns: 1500 })
})

test('the example twins survive every single-character deletion', { timeout: 120_000 }, () => {
  const text = readFileSync(join(ROOT, 'examples/shop/app.bicep'), 'utf8')
  for (let i = 0; i < text.length; i++) check(text.slice(0, i) + text.slice(i + 1))
})
