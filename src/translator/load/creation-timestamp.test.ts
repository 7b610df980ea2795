import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadObjects } from '../index.ts'

// creationTimestamp drives "oldest first" tie-breaks (gateway-api.md §3.3, §10). Kubernetes keeps
// it in whole seconds; one fixed format is what lets the translator compare it as text.
const route = (name: string, t: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: ${name}, creationTimestamp: "${t}" }\nspec: { parentRefs: [{ name: gw }] }\n`
const stamp = (t: string) => {
  const { objects, diagnostics } = loadObjects([{ file: 'r.yaml', text: route('r', t) }], { now: '2026-01-01T00:00:00Z' })
  return { t: objects[0]?.metadata.creationTimestamp, codes: diagnostics.map((d) => d.code) }
}

test('creationTimestamp is kept in whole UTC seconds, whatever the offset or fraction written', () => {
  assert.deepEqual(stamp('2025-01-01T00:00:00.500Z'), { t: '2025-01-01T00:00:00Z', codes: [] })
  assert.deepEqual(stamp('2024-12-31T23:00:00-01:00'), { t: '2025-01-01T00:00:00Z', codes: [] })
  assert.deepEqual(stamp('1969-12-31T23:59:59.900Z'), { t: '1969-12-31T23:59:59Z', codes: [] })
})

test('a creationTimestamp that is not a time, or beyond year 9999, is refused', () => {
  assert.deepEqual(stamp('yesterday').codes, ['K8S_INVALID_METADATA'])
  assert.deepEqual(stamp('+010000-01-01T00:00:00Z').codes, ['K8S_INVALID_METADATA'])
})
