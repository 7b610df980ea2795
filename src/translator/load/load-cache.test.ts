import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { LoadCache, loadObjects } from '../index.ts'

const route = (name: string, path = '/') => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: ${name} }\nspec:\n  parentRefs: [{ name: gw }]\n  rules: [{ matches: [{ path: { type: PathPrefix, value: ${path} } }] }]\n`
const file = (...docs: string[]) => docs.join('---\n')

test('a load through the cache admits the same objects as a load without it, first and again', () => {
  const cache = new LoadCache()
  const text = file(route('a'), route('b', '/b'), route('c', '/c'))
  const now = '2026-01-01T00:00:00Z'
  const plain = loadObjects([{ file: 'r.yaml', text }], { now })
  assert.deepEqual(loadObjects([{ file: 'r.yaml', text }], { now, cache }), plain)
  assert.equal(cache.size, 3)
  assert.deepEqual(loadObjects([{ file: 'r.yaml', text }], { now, cache }), plain)
})

test('a remembered document is stamped with the new load’s time, as a fresh one would be', () => {
  const cache = new LoadCache()
  const text = file(route('a'))
  loadObjects([{ file: 'r.yaml', text }], { now: '2026-01-01T00:00:00Z', cache })
  const again = loadObjects([{ file: 'r.yaml', text }], { now: '2026-01-02T00:00:00Z', cache })
  assert.equal(again.objects[0]?.metadata.creationTimestamp, '2026-01-02T00:00:00Z')
})

test('an edited document is parsed again, and its problem is reported at its line in the whole file', () => {
  const cache = new LoadCache()
  const now = '2026-01-01T00:00:00Z'
  loadObjects([{ file: 'r.yaml', text: file(route('a'), route('b'), route('c')) }], { now, cache })
  const broken = file(route('a'), route('b'), route('c', 'no-slash'))
  const cached = loadObjects([{ file: 'r.yaml', text: broken }], { now, cache })
  const plain = loadObjects([{ file: 'r.yaml', text: broken }], { now })
  assert.ok(cached.diagnostics.length > 0)
  assert.deepEqual(cached.diagnostics, plain.diagnostics)
  assert.equal(cached.diagnostics[0]?.source?.line, 20) // the rules line of the third route: 6 lines each, a --- between
})

test('a duplicate of a remembered object is reported at the duplicate, with its line', () => {
  const cache = new LoadCache()
  const now = '2026-01-01T00:00:00Z'
  loadObjects([{ file: 'r.yaml', text: file(route('a'), route('b', '/b')) }], { now, cache })
  // The second document repeats `a` with other text; the first is taken from the cache.
  const text = file(route('a'), route('a', '/x'))
  const cached = loadObjects([{ file: 'r.yaml', text }], { now, cache })
  const plain = loadObjects([{ file: 'r.yaml', text }], { now })
  assert.deepEqual(cached.diagnostics.map((d) => d.code), ['K8S_DUPLICATE_OBJECT'])
  assert.deepEqual(cached.diagnostics, plain.diagnostics)
  // And the other way round: the remembered document is the duplicate.
  const swapped = file(route('a', '/x'), route('a'))
  assert.deepEqual(loadObjects([{ file: 'r.yaml', text: swapped }], { now, cache }).diagnostics, loadObjects([{ file: 'r.yaml', text: swapped }], { now }).diagnostics)
})

test('documents no longer in the files are forgotten when a load ends', () => {
  const cache = new LoadCache()
  const now = '2026-01-01T00:00:00Z'
  loadObjects([{ file: 'r.yaml', text: file(route('a'), route('b')) }], { now, cache })
  loadObjects([{ file: 'r.yaml', text: file(route('a')) }], { now, cache })
  assert.equal(cache.size, 1)
})

test('on every translator golden input, a load through the cache (cold, then warm) equals a load without it', () => {
  const dir = join(import.meta.dirname, '..', 'testdata')
  const now = '2026-01-01T00:00:00Z'
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.in.yaml'))) {
    const inputs = [{ file: f, text: readFileSync(join(dir, f), 'utf8') }]
    const plain = loadObjects(inputs, { now })
    const cache = new LoadCache()
    assert.deepEqual(loadObjects(inputs, { now, cache }), plain, `${f}, cold`)
    assert.deepEqual(loadObjects(inputs, { now, cache }), plain, `${f}, warm`)
  }
})
