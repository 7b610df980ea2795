import assert from 'node:assert/strict'
import { test } from 'node:test'
import type * as ir from '../../ir/index.ts'
import { compile, type TLSPortPlan } from '../compile/index.ts'
import { directTLS } from './tls-direct.ts'

const tlsPort = (listeners: ir.TLSListener[]): TLSPortPlan => {
  const p = compile({ ports: [{ kind: 'tls', name: '*:443', address: null, port: 443, detectMisdirectedRequests: false, listeners }] }).ports[0]
  assert.equal(p?.kind, 'tls')
  return p as TLSPortPlan
}
const cert = (name: string, ...dnsNames: string[]): ir.Certificate => ({ name: `default/${name}`, certPem: '', keyPem: '', dnsNames })
const wild = cert('wild', '*.example.com')
const other = cert('other', 'other.org')
const https = (name: string, hostname: string | null, more: Partial<ir.TLSTermination> = {}): ir.HTTPSListener => ({
  kind: 'https',
  name,
  hostname,
  tls: { certificates: [wild], minVersion: 'TLSv1.2', alpn: ['h2', 'http/1.1'], ...more },
  virtualHosts: [],
})

test('one HTTPS listener without hostname and one certificate: taken at once, no SNI callback', () => {
  const d = directTLS(tlsPort([https('web', null)]))
  assert.ok(d)
  assert.equal(d.bySNI, false)
  assert.deepEqual(d.tls.alpn, ['h2', 'http/1.1'])
})

test('listeners sharing one certificate under a hostname-less one: no callback, whatever the SNI', () => {
  assert.equal(directTLS(tlsPort([https('api', 'api.example.com'), https('web', null)]))?.bySNI, false)
})

test('a listener with a hostname and no catch-all needs the callback, to refuse other names', () => {
  const d = directTLS(tlsPort([https('web', 'web.example.com')]))
  assert.equal(d?.bySNI, true)
})

test('several certificates need the callback, in one listener or across listeners', () => {
  assert.equal(directTLS(tlsPort([https('web', null, { certificates: [wild, other] })]))?.bySNI, true)
  assert.equal(directTLS(tlsPort([https('web', null), https('o', 'other.org', { certificates: [other] })]))?.bySNI, true)
})

test('the default certificate, version and ALPN are those of the listener without SNI', () => {
  const d = directTLS(tlsPort([https('first', 'a.example.com'), https('any', null, { certificates: [other] })]))
  assert.equal(d?.tls.certificates.any, other)
})

test('listeners that differ in minimum version or ALPN are peeked', () => {
  assert.equal(directTLS(tlsPort([https('web', null), https('modern', 'm.example.com', { minVersion: 'TLSv1.3' })])), null)
  assert.equal(directTLS(tlsPort([https('web', null), https('h1', 'h1.example.com', { alpn: ['http/1.1'] })])), null)
  assert.equal(directTLS(tlsPort([https('web', null), https('none', 'n.example.com', { alpn: [] })])), null)
})

test('a port with a TLS listener, passthrough or terminate, is peeked', () => {
  assert.equal(directTLS(tlsPort([https('web', null), { kind: 'tls-passthrough', name: 'pass', hostname: 'p.example.com', routes: [] }])), null)
  assert.equal(directTLS(tlsPort([https('web', null), { kind: 'tls-terminate', name: 'term', hostname: 't.example.com', tls: https('x', null).tls, routes: [] }])), null)
  assert.equal(directTLS(tlsPort([{ kind: 'tls-passthrough', name: 'pass', hostname: null, routes: [] }])), null)
})

test('a listener without a certificate is left to the peek, which refuses it as before', () => {
  assert.equal(directTLS(tlsPort([https('web', null, { certificates: [] })])), null)
})

test('decided once per plan: a reload brings a new plan and a new decision', () => {
  const a = tlsPort([https('web', null)])
  assert.equal(directTLS(a), directTLS(a))
  const b = tlsPort([https('web', null), https('modern', 'm.example.com', { minVersion: 'TLSv1.3' })])
  assert.equal(directTLS(b), null)
  assert.ok(directTLS(a))
})
