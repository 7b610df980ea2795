import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { expectGolden, listCases, orphanedGoldens } from '../../test/golden.ts'
import { formatDiagnostic } from '../diag/index.ts'
import { validateApp } from '../model/index.ts'
import { evaluateBicep } from './index.ts'

const DIR = join(import.meta.dirname, 'testdata')

/** Files next to the test data, for loadTextContent(). */
const readFile = (path: string) => {
  try {
    return readFileSync(join(DIR, path))
  } catch {
    return undefined
  }
}

// Each case: testdata/<case>.bicep → <case>.out.yaml holding the resources the file evaluates to
// (none when it has errors) and every diagnostic, the Bicep reader's and then the model's, each
// also printed with its line and caret so a reader of the golden file sees where it points.
for (const name of listCases(DIR, '.bicep')) {
  test(`bicep golden: ${name}`, async () => {
    const file = `${name}.bicep`
    const text = readFileSync(join(DIR, file), 'utf8')
    const parsed = evaluateBicep(text, file, { readFile })
    const result = validateApp([{ file, text, parsed }])
    const sources = new Map([[file, text]])
    await expectGolden(join(DIR, `${name}.out.yaml`), {
      resources: parsed.docs[0]?.value ?? null,
      valid: result.app !== undefined,
      diagnostics: result.diagnostics,
      printed: result.diagnostics.map((d) => formatDiagnostic(d, { sources })),
    })
  })
}

test('every bicep golden file has a .bicep beside it', () => {
  assert.deepEqual(orphanedGoldens(DIR, '.bicep'), [])
})

test('the seed examples parse: what is left to report is only the bodies the design note leaves out', () => {
  for (const name of ['seed-story-1', 'seed-story-2']) {
    const text = readFileSync(join(DIR, `${name}.bicep`), 'utf8')
    const { diagnostics } = evaluateBicep(text, `${name}.bicep`)
    assert.ok(diagnostics.length > 0)
    assert.deepEqual(new Set(diagnostics.map((d) => d.code)), new Set(['BICEP_PLACEHOLDER']), name)
    // One per `{ ... }`, at the dots.
    const dots = text.split('\n').flatMap((line, i) => (line.endsWith('= { ... }') ? [i + 1] : []))
    assert.deepEqual(diagnostics.map((d) => d.source?.line), dots, name)
  }
})

test('the seed examples with their bodies written in validate; the object-for-a-list is read with a warning', () => {
  for (const name of ['seed-story-1-completed', 'seed-story-2-completed']) {
    const file = `${name}.bicep`
    const text = readFileSync(join(DIR, file), 'utf8')
    const result = validateApp([{ file, text, parsed: evaluateBicep(text, file) }])
    assert.ok(result.app, `${name}: ${JSON.stringify(result.diagnostics)}`)
    const warnings = result.diagnostics.filter((d) => d.code === 'MODEL_LENIENT_LIST')
    assert.equal(warnings.length, name === 'seed-story-2-completed' ? 2 : 0)
    for (const w of warnings) assert.match(text.split('\n')[w.source!.line - 1]!, /matches: \{/)
  }
})

test('the typo in the seed is reported where it is, and the missing brace at the end of the file', () => {
  const verbatim = readFileSync(join(DIR, 'seed-story-2-verbatim.bicep'), 'utf8')
  const [typo] = evaluateBicep(verbatim, 'v.bicep').diagnostics
  assert.equal(typo?.code, 'BICEP_SYNTAX')
  assert.equal(verbatim.split('\n')[typo!.source!.line - 1]!.slice(typo!.source!.col - 1), ']')
  const fixed = readFileSync(join(DIR, 'seed-story-2-typo-fixed.bicep'), 'utf8')
  const [brace] = evaluateBicep(fixed, 'f.bicep').diagnostics
  assert.match(brace!.message, /expected "}" to close the object, found the end of the file/)
})
