import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'
import { expectGolden, listCases, orphanedGoldens } from '../../../test/golden.ts'
import type * as ir from '../../ir/index.ts'
import { compile, describePlan } from './index.ts'

// Golden cases: testdata/<case>.in.yaml (an IR snapshot) → <case>.out.yaml (the Plan described).
const DIR = join(import.meta.dirname, 'testdata')

for (const name of listCases(DIR)) {
  test(`compile golden: ${name}`, async () => {
    const snapshot = parse(readFileSync(join(DIR, `${name}.in.yaml`), 'utf8')) as ir.Snapshot
    await expectGolden(join(DIR, `${name}.out.yaml`), describePlan(compile(snapshot)))
  })
}

test('compile goldens have no orphaned outputs', () => {
  assert.deepEqual(orphanedGoldens(DIR), [])
})
