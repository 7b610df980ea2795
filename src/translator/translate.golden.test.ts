import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { parseAllDocuments } from 'yaml'
import { expectGolden, listCases, orphanedGoldens } from '../../test/golden.ts'
import * as ir from '../ir/index.ts'
import { translateTexts } from './index.ts'

// Golden cases: testdata/<case>.in.yaml, merged after the shared testdata/base/*.yaml (GatewayClass
// `switchyard`, namespaces, Services with EndpointSlices, certificate Secrets), → <case>.out.yaml
// holding the status of every object the case itself defines, the IR (printable), IR invariant
// errors and all diagnostics. The clock is fixed.
const DIR = join(import.meta.dirname, 'testdata')
const NOW = '2026-01-01T00:00:00Z'
const BASE = readdirSync(join(DIR, 'base'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: `base/${f}`, text: readFileSync(join(DIR, 'base', f), 'utf8') }))

function definedIn(text: string): Set<string> {
  const keys = new Set<string>()
  type Doc = { kind?: string; metadata?: { name?: string; namespace?: string }; items?: Doc[] } | null
  const add = (v: Doc) => {
    if (v?.kind && v.metadata?.name) keys.add(`${v.kind}/${v.metadata.namespace ?? 'default'}/${v.metadata.name}`)
    for (const item of v?.items ?? []) add(item)
  }
  for (const doc of parseAllDocuments(text)) if (doc.errors.length === 0) add(doc.toJS() as Doc)
  return keys
}

for (const name of listCases(DIR)) {
  test(`translator golden: ${name}`, async () => {
    const file = `${name}.in.yaml`
    const text = readFileSync(join(DIR, file), 'utf8')
    const result = translateTexts([...BASE, { file, text }], { now: NOW })
    const mine = definedIn(text)
    const objects = result.statuses.filter((s) => mine.has(`${s.kind}/${s.metadata.namespace ?? 'default'}/${s.metadata.name}`))
    const irErrors = ir.validate(result.ir)
    await expectGolden(join(DIR, `${name}.out.yaml`), { objects, ir: ir.printable(result.ir), irErrors, diagnostics: result.diagnostics })
  })
}

test('every translator golden has an input', () => {
  assert.deepEqual(orphanedGoldens(DIR), [])
})

test('translation does not depend on the order of the input files', () => {
  const file = 'httproute-match-precedence.in.yaml'
  const text = readFileSync(join(DIR, file), 'utf8')
  const a = translateTexts([...BASE, { file, text }], { now: NOW })
  const b = translateTexts([{ file, text }, ...[...BASE].reverse()], { now: NOW })
  assert.deepEqual(a.ir, b.ir)
  assert.deepEqual(a.statuses, b.statuses)
})
