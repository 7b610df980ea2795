import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'

// The dashboard is browser code with its own tsconfig (DOM types, Preact JSX), outside the root
// project's `tsc --noEmit`; this keeps it type-checked in `npm test` all the same.
const ROOT = join(import.meta.dirname, '..')

test('the dashboard sources type-check', { timeout: 120_000 }, () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', join(ROOT, 'web/dashboard')], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stdout + r.stderr)
})
