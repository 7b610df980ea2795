import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import type * as ir from '../../ir/index.ts'
import { INDEX_FROM } from './header-index.ts'
import { buildRouteTable, lookupRoute, type MatchInput } from './route-table.ts'

const entry = (i: number, match: Omit<ir.HTTPMatch, 'path'>): ir.HTTPRouteEntry => ({
  name: `httproute/ns/r${i}/rule/0/match/0`,
  match: { path: { kind: 'prefix', value: '/' }, ...match },
  filters: [],
  action: { kind: 'forward', backends: [], timeouts: { requestMs: null, backendRequestMs: null }, retry: null },
})

/** What a scan of the entries in order finds: the reference the index must agree with. */
function scan(entries: readonly ir.HTTPRouteEntry[], input: MatchInput): string | null {
  for (const e of entries) {
    const m = e.match
    if (m.method !== null && m.method !== input.method) continue
    const headersOk = m.headers.every((h) => {
      const v = input.headers[h.name]
      const s = Array.isArray(v) ? v[0] : v
      return s !== undefined && (s === h.value || s.split(',')[0]!.trim() === h.value)
    })
    const query = new URLSearchParams(input.query)
    if (headersOk && m.queryParams.every((q) => query.get(q.name) === q.value)) return e.name
  }
  return null
}

test('a long bucket answers through its header index exactly as a scan in precedence order would', () => {
  const name = fc.constantFrom('x-tenant', 'x-env', 'x-b')
  const value = fc.constantFrom('a', 'b', 'c', 'd')
  const match = fc.record({
    method: fc.constantFrom(null, 'GET', 'POST'),
    headers: fc.uniqueArray(fc.record({ name, value }), { maxLength: 2, selector: (h) => h.name }),
    queryParams: fc.array(fc.record({ name: fc.constantFrom('q'), value }), { maxLength: 1 }),
  })
  const input = fc.record({
    method: fc.constantFrom('GET', 'POST'),
    headers: fc.dictionary(name, fc.oneof(value, value.map((v) => `${v}, b`), fc.array(value, { minLength: 1, maxLength: 2 }))),
    query: fc.constantFrom('', 'q=a', 'q=b&q=c'),
  })
  fc.assert(
    fc.property(fc.array(match, { minLength: INDEX_FROM, maxLength: 60 }), fc.array(input, { minLength: 1, maxLength: 10 }), (matches, inputs) => {
      const entries = matches.map((m, i) => entry(i, m))
      const table = buildRouteTable(entries)
      assert.equal(table.indexes.size, 1)
      for (const i of inputs) assert.equal(lookupRoute(table, '/x', i)?.entry.name ?? null, scan(entries, i))
    }),
  )
})

test('thousands of routes on one path told apart by a header are found without a scan', () => {
  const entries = Array.from({ length: 5000 }, (_, i) => entry(i, { method: null, headers: [{ name: 'x-tenant', value: `t${i}` }], queryParams: [] }))
  const table = buildRouteTable(entries)
  const index = table.indexes.get(table.prefix.get('/')!)!
  // The index holds every entry under its header value; a request reaches its own in one step.
  for (const [i] of [[4999], [0], [2500]] as const) {
    const hit = lookupRoute(table, '/', { method: 'GET', headers: { 'x-tenant': `t${i}` }, query: '' })
    assert.equal(hit?.entry.name, `httproute/ns/r${i}/rule/0/match/0`)
    assert.deepEqual(index.byHeader.get('x-tenant')!.get(`t${i}`), [i])
  }
  assert.equal(lookupRoute(table, '/', { method: 'GET', headers: { 'x-tenant': 'nobody' }, query: '' }), null)
})
