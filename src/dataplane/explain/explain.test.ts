import assert from 'node:assert/strict'
import { test } from 'node:test'
import type * as ir from '../../ir/index.ts'
import { compile } from '../compile/index.ts'
import { hostMatch } from './hosts.ts'
import { explain } from './index.ts'
import { separate, type Ranked } from './precedence.ts'

test('hostname patterns match exactly, by wildcard over one or more labels, or anything', () => {
  const table: [string | null, string, string][] = [
    ['Example.com', 'example.com', 'exact'],
    ['*.example.com', 'a.example.com', 'wildcard'],
    ['*.example.com', 'a.b.example.com', 'wildcard'],
    ['*.example.com', 'example.com', 'none'],
    ['*.example.com', 'badexample.com', 'none'],
    [null, 'anything.org', 'any'],
    ['*', 'anything.org', 'any'],
  ]
  for (const [pattern, host, want] of table) assert.equal(hostMatch(pattern, host), want, `${pattern} vs ${host}`)
})

const m = (kind: 'exact' | 'prefix', value: string, more: Partial<ir.HTTPMatch> = {}): ir.HTTPMatch => ({ path: { kind, value }, method: null, headers: [], queryParams: [], ...more })
const r = (match: ir.HTTPMatch, more: Partial<Ranked> = {}): Ranked => ({ match, route: 'ns/a', created: null, rule: 0, index: 0, virtualHost: '*', depth: 0, ...more })

test('precedence is separated at the first step where two matches differ, and says who it favours', () => {
  const h = [{ name: 'x', value: '1' }]
  const cases: [Ranked, Ranked, string, boolean][] = [
    [r(m('exact', '/a')), r(m('prefix', '/a')), 'exact-path', true],
    [r(m('prefix', '/a')), r(m('prefix', '/a/b')), 'longest-prefix', false],
    [r(m('prefix', '/', { method: 'GET' })), r(m('prefix', '/', { headers: h })), 'method', true],
    [r(m('prefix', '/', { headers: h })), r(m('prefix', '/', { queryParams: h })), 'most-headers', true],
    [r(m('prefix', '/')), r(m('prefix', '/', { queryParams: h })), 'most-query-params', false],
    [r(m('prefix', '/'), { route: 'ns/z', created: '2025-01-01T00:00:00Z' }), r(m('prefix', '/'), { route: 'ns/a', created: '2025-02-01T00:00:00Z' }), 'oldest-route', true],
    [r(m('prefix', '/'), { route: 'ns/b', created: 't' }), r(m('prefix', '/'), { route: 'ns/a', created: 't' }), 'route-name', false],
    [r(m('prefix', '/'), { rule: 0 }), r(m('prefix', '/'), { rule: 2 }), 'rule-order', true],
    [r(m('prefix', '/'), { index: 1 }), r(m('prefix', '/'), { index: 0 }), 'rule-order', false],
    [r(m('prefix', '/')), r(m('exact', '/'), { virtualHost: '*.example.com', depth: 1 }), 'hostname', true],
    [r(m('exact', '/'), { depth: 2 }), r(m('prefix', '/'), { depth: 1 }), 'hostname', false],
  ]
  for (const [a, b, step, favoursA] of cases) {
    const s = separate(a, b)
    assert.deepEqual([s.step, s.favoursA], [step, favoursA], s.why)
  }
})

const forward: ir.HTTPAction = { kind: 'forward', backends: [], timeouts: { requestMs: null, backendRequestMs: null }, retry: null }
const snapshot = (routes: ir.HTTPRouteEntry[]): ir.Snapshot => ({
  ports: [{ kind: 'http', name: '*:80', address: null, port: 80, listeners: [{ kind: 'http', name: 'ns/gw/http', hostname: null, virtualHosts: [{ hostname: '*', routes }] }] }],
})

test('an IR whose order contradicts the spec is reported, while the answer stays what the data plane does', () => {
  const plan = compile(snapshot([
    { name: 'httproute/ns/a/rule/0/match/0', match: m('prefix', '/'), filters: [], action: forward },
    { name: 'httproute/ns/a/rule/1/match/0', match: m('prefix', '/', { method: 'GET' }), filters: [], action: forward },
  ]))
  const e = explain(plan, { method: 'GET', url: 'http://x/' })
  assert.equal(e.decision?.chosen, 'httproute/ns/a/rule/0/match/0')
  assert.match(e.inconsistency ?? '', /contradicts Gateway API precedence: .*a match with a method \(GET\) beats one without/)
})

test('without the routes\' creation times, two routes tie on name with a note, and no contradiction is claimed', () => {
  const plan = compile(snapshot([
    { name: 'httproute/ns/b/rule/0/match/0', match: m('prefix', '/'), filters: [], action: forward },
    { name: 'httproute/ns/a/rule/0/match/0', match: m('prefix', '/'), filters: [], action: forward },
  ]))
  const e = explain(plan, { method: 'GET', url: 'http://x/' })
  assert.equal(e.decision?.step, 'route-name')
  assert.match(e.decision?.why ?? '', /creation times not known here/)
  assert.equal(e.inconsistency, undefined)
  assert.deepEqual([e.answer.kind, e.answer.kind === 'status' && e.answer.status], ['status', 500])
})

test('a URL that is not absolute is refused with the reason', () => {
  const e = explain(compile({ ports: [] }), { method: 'get', url: '/relative' })
  assert.deepEqual(e.answer, { kind: 'refused', why: 'not an absolute http://, https://, tls://, tcp:// or udp:// URL: /relative' })
})
