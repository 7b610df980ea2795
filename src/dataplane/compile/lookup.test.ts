import assert from 'node:assert/strict'
import { test } from 'node:test'
import type * as ir from '../../ir/index.ts'
import { buildHostTable, buildRouteTable, compile, coversHostname, hostWithoutPort, lookupHost, lookupRoute, parseQuery, pickBackend, weighBackends, type SNIListenerPlan, type TLSPortPlan } from './index.ts'

const table = buildHostTable([
  { hostname: 'fourth.wildcard.org', value: 'fourth' },
  { hostname: '*.foo.example.com', value: 'foo-wild' },
  { hostname: '*.example.com', value: 'wild' },
  { hostname: null, value: 'any' },
])

test('an exact hostname beats every wildcard', () => assert.equal(lookupHost(table, 'fourth.wildcard.org'), 'fourth'))
test('a wildcard with more labels beats a shorter one', () => assert.equal(lookupHost(table, 'a.foo.example.com'), 'foo-wild'))
test('a wildcard matches several labels', () => assert.equal(lookupHost(table, 'a.b.example.com'), 'wild'))
test('a wildcard does not match its own suffix', () => assert.equal(lookupHost(table, 'example.com'), 'any'))
test('no match falls to the hostname-less entry, else null', () => {
  assert.equal(lookupHost(table, 'other.org'), 'any')
  assert.equal(lookupHost(buildHostTable([{ hostname: 'a.b', value: 1 }]), 'c.d'), null)
})
test('the Host header is matched without port, case-insensitively', () => {
  assert.equal(hostWithoutPort('Very.Specific.com:1234'), 'very.specific.com')
  assert.equal(hostWithoutPort('[::1]:80'), '[::1]')
  assert.equal(hostWithoutPort('example.com.'), 'example.com')
})

const entry = (name: string, kind: 'exact' | 'prefix', value: string, more: Partial<ir.HTTPMatch> = {}): ir.HTTPRouteEntry => ({
  name: `httproute/ns/${name}/rule/0/match/0`,
  match: { path: { kind, value }, method: null, headers: [], queryParams: [], ...more },
  filters: [],
  action: { kind: 'forward', backends: [], timeouts: { requestMs: null, backendRequestMs: null }, retry: null },
})
const routes = buildRouteTable([
  entry('exact', 'exact', '/abc'),
  entry('method', 'prefix', '/abc', { method: 'POST' }),
  entry('abc', 'prefix', '/abc'),
  entry('header', 'prefix', '/', { headers: [{ name: 'version', value: 'two' }] }),
  entry('query', 'prefix', '/', { queryParams: [{ name: 'animal', value: 'whale' }] }),
  entry('root', 'prefix', '/'),
])
const find = (path: string, method = 'GET', headers: Record<string, string> = {}, query = '') => lookupRoute(routes, path, { method, headers, query })?.entry.name.split('/')[2]

test('an exact path beats a prefix on the same path', () => assert.equal(find('/abc'), 'exact'))
test('a prefix matches element-wise, never inside a segment', () => {
  assert.equal(find('/abc/'), 'abc')
  assert.equal(find('/abc/def'), 'abc')
  assert.equal(find('/abcd'), 'root')
})
test('a method match beats one without, on the same prefix', () => assert.equal(find('/abc/x', 'POST'), 'method'))
test('headers are matched by lower-cased name and exact value', () => {
  assert.equal(find('/', 'GET', { version: 'two' }), 'header')
  assert.equal(find('/', 'GET', { version: 'Two' }), 'root')
})
test('query params are matched by exact, case-sensitive name', () => {
  assert.equal(find('/', 'GET', {}, 'animal=whale'), 'query')
  assert.equal(find('/', 'GET', {}, 'ANIMAL=whale'), 'root')
})
test('nothing matches in a table without a root prefix → null (404)', () => {
  assert.equal(lookupRoute(buildRouteTable([entry('a', 'prefix', '/a')]), '/b', { method: 'GET', headers: {}, query: '' }), null)
})
test('a request no route of its own virtual host matches falls to the less specific hosts that cover it', () => {
  const input = { method: 'GET', headers: {}, query: '' }
  const catchAll = buildRouteTable([entry('root', 'prefix', '/')])
  const wildcard = buildRouteTable([entry('wild', 'prefix', '/w')], catchAll)
  const exact = buildRouteTable([entry('only', 'exact', '/only')], wildcard)
  const at = (path: string) => lookupRoute(exact, path, input)?.entry.name.split('/')[2]
  assert.equal(at('/only'), 'only')
  assert.equal(at('/w/x'), 'wild')
  assert.equal(at('/other'), 'root')
  assert.equal(lookupRoute(buildRouteTable([entry('only', 'exact', '/only')]), '/other', input), null)
})
test('a hostname covers the names its matches include, never itself or a broader one', () => {
  assert.ok(coversHostname('*', 'a.example.com') && coversHostname('*', '*.example.com'))
  assert.ok(coversHostname('*.example.com', 'a.example.com') && coversHostname('*.example.com', 'b.a.example.com') && coversHostname('*.example.com', '*.a.example.com'))
  assert.ok(!coversHostname('*.example.com', 'example.com') && !coversHostname('*.example.com', '*.example.com') && !coversHostname('*.a.example.com', '*.example.com'))
  assert.ok(!coversHostname('a.example.com', 'a.example.com') && !coversHostname('*.example.com', '*') && !coversHostname('*.example.com', 'xexample.com'))
})
test('query parsing keeps the first value of a repeated name', () => assert.equal(parseQuery('a=1&a=2&b=x+y').get('a'), '1'))
test('query parsing decodes as URLSearchParams does, malformed escapes included', () => {
  for (const raw of ['b=x+y', 'b=a%20b', 'b=%zz', 'b=a+%zz', 'b=%FF', 'b=%E2%82', 'b=%e2%82%ac', 'b=%', 'b=100%', 'b%3D=1', 'b'])
    assert.equal(parseQuery(raw).get(raw.startsWith('b%3D') ? 'b=' : 'b'), new URLSearchParams(raw).get(raw.startsWith('b%3D') ? 'b=' : 'b'), raw)
})

test('backends are chosen in proportion to weight, weight 0 never', () => {
  const b = (name: string, weight: number): ir.HTTPBackend => ({ kind: 'invalid', name, weight, reason: 'x' })
  const w = weighBackends([b('a', 1), b('zero', 0), b('c', 3)])
  assert.equal(pickBackend(w, 0)?.name, 'a')
  assert.equal(pickBackend(w, 0.24)?.name, 'a')
  assert.equal(pickBackend(w, 0.25)?.name, 'c')
  assert.equal(pickBackend(w, 0.999)?.name, 'c')
  assert.equal(pickBackend(weighBackends([b('z', 0)]), 0.5), null)
})

const tlsPort = (listeners: ir.TLSListener[]) => {
  const p = compile({ ports: [{ kind: 'tls', name: '*:443', address: null, port: 443, detectMisdirectedRequests: false, listeners }] }).ports[0]
  assert.equal(p?.kind, 'tls')
  return p as TLSPortPlan
}
const cert: ir.Certificate = { name: 'default/c', certPem: '', keyPem: '', dnsNames: ['*.example.com'] }
const sni = (name: string, hostname: string): ir.SNIRoute => ({ name: `tlsroute/default/${name}/rule/0`, hostname, backends: [] })

test('on a TLS port the listener is chosen by SNI, exact before wildcard, whatever its mode', () => {
  const p = tlsPort([
    { kind: 'tls-passthrough', name: 'pass', hostname: 'foo.example.com', routes: [sni('foo', 'foo.example.com')] },
    { kind: 'tls-terminate', name: 'term', hostname: '*.example.com', tls: { certificates: [cert], minVersion: 'TLSv1.2', alpn: [] }, routes: [sni('bar', 'bar.example.com')] },
  ])
  assert.equal(lookupHost(p.listeners, 'foo.example.com')?.name, 'pass')
  assert.equal(lookupHost(p.listeners, 'bar.example.com')?.name, 'term')
  assert.equal(lookupHost(p.listeners, 'example.org'), null)
})

test('a TLSRoute with an exact hostname beats a wildcard one on the same listener, and a wildcard matches several labels', () => {
  const l = tlsPort([{ kind: 'tls-passthrough', name: 'pass', hostname: null, routes: [sni('exact', 'one.wild.test'), sni('star', '*.wild.test')] }]).listenerList[0]
  assert.equal(l?.kind, 'tls')
  const routes = (l as SNIListenerPlan).routes
  assert.equal(lookupHost(routes, 'one.wild.test')?.name, 'tlsroute/default/exact/rule/0')
  assert.equal(lookupHost(routes, 'two.wild.test')?.name, 'tlsroute/default/star/rule/0')
  assert.equal(lookupHost(routes, 'a.b.wild.test')?.name, 'tlsroute/default/star/rule/0')
  assert.equal(lookupHost(routes, 'wild.test'), null)
})

test('a ClientHello without SNI goes to the hostname-less listener, else to the first HTTPS one, else nowhere', () => {
  const https: ir.HTTPSListener = { kind: 'https', name: 'web', hostname: 'web.example.com', tls: { certificates: [cert], minVersion: 'TLSv1.2', alpn: ['h2'] }, virtualHosts: [] }
  const pass: ir.TLSPassthroughListener = { kind: 'tls-passthrough', name: 'pass', hostname: 'foo.example.com', routes: [] }
  assert.equal(tlsPort([pass, https]).withoutSNI?.name, 'web')
  assert.equal(tlsPort([pass, { ...pass, name: 'any', hostname: null }]).withoutSNI?.name, 'any')
  assert.equal(tlsPort([pass]).withoutSNI, null)
})
