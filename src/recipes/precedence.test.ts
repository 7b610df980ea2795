import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Route, RouteMatch } from '../model/index.ts'
import { hostnamesOverlap } from './listeners.ts'
import { parsePath } from './locate-fields.ts'
import { compareHostnames, compareMatches, groupCovers, type FlatMatch } from './precedence.ts'

const route = (name: string) => ({ name }) as Route
const m = (match: Partial<RouteMatch>, routeName = 'r', ruleIndex = 0, matchIndex = 0): FlatMatch =>
  ({ route: route(routeName), ruleIndex, matchIndex, match: { headers: [], queryParams: [], ...match }, destination: {} }) as FlatMatch
const h = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `h${i}`, value: 'v' }))

const table: [string, FlatMatch, FlatMatch][] = [
  ['the longer prefix wins', m({ path: '/abc' }), m({ path: '/ab' })],
  ['a prefix beats the implicit "/" of a header match', m({ path: '/p' }), m({ headers: h(3) })],
  ['a method beats headers', m({ method: 'GET' }), m({ headers: h(2) })],
  ['more headers win', m({ headers: h(2) }), m({ headers: h(1) })],
  ['headers beat query parameters', m({ headers: h(1) }), m({ queryParams: h(3) })],
  ['more query parameters win', m({ queryParams: h(2) }), m({ queryParams: h(1) })],
  ['then the route first by name', m({}, 'alpha', 3), m({}, 'beta', 0)],
  ['then rule order', m({}, 'r', 0, 5), m({}, 'r', 1, 0)],
  ['then match order', m({}, 'r', 1, 0), m({}, 'r', 1, 1)],
]
for (const [name, first, second] of table) {
  test(`match precedence: ${name}`, () => {
    assert.ok(compareMatches(first, second) < 0)
    assert.ok(compareMatches(second, first) > 0)
  })
}

test('hostname groups: exact first, then the longer wildcard, then the catch-all', () => {
  const sorted = [null, '*.example.com', 'a.example.com', '*.b.example.com'].sort(compareHostnames)
  assert.deepEqual(sorted, ['a.example.com', '*.b.example.com', '*.example.com', null])
})

test('a wildcard covers names below it but not its own suffix; the catch-all covers all', () => {
  assert.equal(groupCovers('*.example.com', 'a.example.com'), true)
  assert.equal(groupCovers('*.example.com', '*.b.example.com'), true)
  assert.equal(groupCovers('*.example.com', 'example.com'), false)
  assert.equal(groupCovers('a.example.com', 'a.example.com'), false)
  assert.equal(groupCovers(null, 'x.org'), true)
})

test('listener and route hostnames overlap when equal or when a wildcard covers the other', () => {
  assert.equal(hostnamesOverlap('foo.example.com', 'foo.example.com'), true)
  assert.equal(hostnamesOverlap('*.example.com', 'foo.example.com'), true)
  assert.equal(hostnamesOverlap('bar.example.com', 'foo.example.com'), false)
})

test('diagnostic paths parse back into segments', () => {
  assert.deepEqual(parsePath('properties.rules[1].matches[0].httpMethod'), ['properties', 'rules', 1, 'matches', 0, 'httpMethod'])
  assert.deepEqual(parsePath('properties.container.env["A.B"]'), ['properties', 'container', 'env', 'A.B'])
})
