import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { CODES } from '../src/diag/index.ts'

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')
const documented = new Set([...doc.matchAll(/^### `([A-Z0-9_]+)`/gm)].map((m) => m[1]!))

test('every code in the catalog is documented in docs/errors.md', () => {
  assert.deepEqual(Object.keys(CODES).filter((c) => !documented.has(c)), [])
})

test('docs/errors.md documents no code that the catalog lacks', () => {
  assert.deepEqual([...documented].filter((c) => !(c in CODES)), [])
})

test('every code name starts with its stage prefix', () => {
  for (const code of Object.keys(CODES)) assert.match(code, /^(INPUT|MODEL|CONTAINER|GATEWAY|SECRETSTORE|ENV|CLI|K8S|TRANSLATE|IR|DP|RENDER|PIPELINE|ADMIN|BICEP|DEPLOY|LOCAL)_[A-Z0-9_]+$/)
})
