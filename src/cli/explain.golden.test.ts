import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'
import { expectGolden, listCases, orphanedGoldens } from '../../test/golden.ts'
import { formatExplanation, type ExplainRequest } from '../dataplane/index.ts'
import { readInputs } from '../pipeline/index.ts'
import { explainTexts } from './explain.ts'

// Golden cases: testdata/explain/<case>.in.yaml holds the requests to explain (its first YAML
// document) and the Gateway API objects (the rest, loaded after base/); <case>.out.yaml holds each
// explanation as text and as JSON. `UPDATE_GOLDEN=1` rewrites them.
const DIR = join(import.meta.dirname, 'testdata/explain')
const BASE = readInputs([join(DIR, 'base')])
const NOW = '2026-01-01T00:00:00Z'

for (const name of listCases(DIR)) {
  test(`explain golden: ${name}`, async () => {
    const file = join(DIR, `${name}.in.yaml`)
    const text = readFileSync(file, 'utf8')
    const cut = /^---[ \t]*$/m.exec(text)
    assert.ok(cut, `${name}: the first document lists the requests, then --- and the objects`)
    const head = text.slice(0, cut.index)
    const { requests } = parse(head) as { requests: ExplainRequest[] }
    // Blank out the request document so diagnostics keep their line numbers.
    const objects = head.replace(/[^\n]/g, '') + text.slice(cut.index)
    const out = requests.map((request) => {
      const { explanation, diagnostics } = explainTexts([...BASE, { file, text: objects }], request, { now: NOW })
      assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), [], `${name}: the configuration has errors`)
      assert.ok(explanation)
      assert.equal(explanation.inconsistency, undefined, `${name}: explain disagrees with the data plane`)
      return { request, text: formatExplanation(explanation), json: explanation }
    })
    await expectGolden(join(DIR, `${name}.out.yaml`), out)
  })
}

test('explain goldens have no orphaned outputs', () => {
  assert.deepEqual(orphanedGoldens(DIR), [])
})
