import assert from 'node:assert/strict'
import { test } from 'node:test'
import type * as ir from '../ir/index.ts'
import { comparePrecedence, normalizePrefix, pathPrefixMatches, type PrecedenceKey } from './precedence.ts'

// gateway-api.md §2.3: element-wise PathPrefix matching.
const prefixes: [string, string, string, boolean][] = [
  ['a prefix matches the same path', '/abc', '/abc', true],
  ['a prefix matches the path with a trailing slash', '/abc', '/abc/', true],
  ['a prefix matches a deeper path', '/abc', '/abc/def', true],
  ['a prefix does not match a longer segment', '/abc', '/abcd', false],
  ['/v2 does not match /v2example', '/v2', '/v2example', false],
  ['a prefix with a trailing slash matches deeper paths', '/match/', '/match/any', true],
  ['a prefix with a trailing slash matches the path without it', '/match/', '/match', true],
  ['prefix / matches everything', '/', '/anything/at/all', true],
  ['prefix matching is case-sensitive', '/abc', '/ABC', false],
]
for (const [name, prefix, path, want] of prefixes)
  test(`path prefix: ${name}`, () => assert.equal(pathPrefixMatches(normalizePrefix(prefix), path), want))

const match = (over: Partial<ir.HTTPMatch>): ir.HTTPMatch => ({ path: { kind: 'prefix', value: '/' }, method: null, headers: [], queryParams: [], ...over })
const key = (m: Partial<ir.HTTPMatch>, over: Partial<PrecedenceKey> = {}): PrecedenceKey => ({ match: match(m), routeCreated: '2025-01-01T00:00:00Z', routeKey: 'default/r', ruleIndex: 0, matchIndex: 0, ...over })
const h = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `h${i}`, value: 'v' }))

// gateway-api.md §3.3: each pair lists the winner first.
const precedence: [string, PrecedenceKey, PrecedenceKey][] = [
  ['an exact path beats a longer prefix', key({ path: { kind: 'exact', value: '/a' } }), key({ path: { kind: 'prefix', value: '/a/b/c' } })],
  ['the longer prefix beats the shorter', key({ path: { kind: 'prefix', value: '/path5' } }), key({ path: { kind: 'prefix', value: '/' }, headers: h(3) })],
  ['a method beats more headers', key({ method: 'PATCH' }), key({ headers: h(1) })],
  ['more headers beat fewer headers', key({ headers: h(2) }), key({ headers: h(1) })],
  ['a header match beats a query match', key({ headers: h(1) }), key({ queryParams: [{ name: 'animal', value: 'hydra' }] })],
  ['more query params beat fewer', key({ queryParams: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] }), key({ queryParams: [{ name: 'a', value: '1' }] })],
  ['the oldest route wins a tie', key({}, { routeCreated: '2024-01-01T00:00:00Z', routeKey: 'z/z' }), key({}, { routeCreated: '2025-01-01T00:00:00Z', routeKey: 'a/a' })],
  ['at equal age, namespace/name order wins', key({}, { routeKey: 'foo/bar' }), key({}, { routeKey: 'foo/baz' })],
  ['within one route, the earlier rule wins', key({}, { ruleIndex: 0 }), key({}, { ruleIndex: 1 })],
  ['within one rule, the earlier match wins', key({}, { matchIndex: 0 }), key({}, { matchIndex: 1 })],
]
for (const [name, winner, loser] of precedence)
  test(`match precedence: ${name}`, () => {
    assert.ok(comparePrecedence(winner, loser) < 0)
    assert.ok(comparePrecedence(loser, winner) > 0)
  })
