import assert from 'node:assert/strict'
import { test } from 'node:test'
import { printable, validate, type Snapshot } from './index.ts'

const cert = { name: 'default/c', certPem: '-----BEGIN CERTIFICATE-----', keyPem: '-----BEGIN PRIVATE KEY-----secret', dnsNames: ['example.com'] }
const good: Snapshot = {
  ports: [
    { kind: 'http', name: '*:80', address: null, port: 80, listeners: [{ kind: 'http', name: 'default/gw/http', hostname: null, virtualHosts: [] }] },
    { kind: 'tls', name: '*:443', address: null, port: 443, detectMisdirectedRequests: true, listeners: [{ kind: 'https', name: 'default/gw/https', hostname: null, tls: { certificates: [cert], minVersion: 'TLSv1.2', alpn: ['h2', 'http/1.1'] }, virtualHosts: [] }] },
    { kind: 'udp', name: '*:80', address: null, port: 80, listener: 'default/gw/udp', route: null, backends: [] },
  ],
}

test('a well-formed snapshot has no invariant errors, and TCP and UDP may share a port number', () => {
  assert.deepEqual(validate(good), [])
})

test('two ports binding the same address, port and transport are IR_PORT_CONFLICT', () => {
  const bad: Snapshot = { ports: [...good.ports, { kind: 'tcp', name: '*:80', address: null, port: 80, listener: 'default/gw/tcp', route: null, backends: [] }] }
  assert.deepEqual(validate(bad).map((e) => e.code), ['IR_PORT_CONFLICT'])
})

test('a terminating listener without certificates is IR_MISSING_CERTIFICATE', () => {
  const bad: Snapshot = { ports: [{ kind: 'tls', name: '*:443', address: null, port: 443, detectMisdirectedRequests: false, listeners: [{ kind: 'tls-terminate', name: 'default/gw/tls', hostname: null, tls: { certificates: [], minVersion: 'TLSv1.2', alpn: [] }, routes: [] }] }] }
  assert.deepEqual(validate(bad).map((e) => e.code), ['IR_MISSING_CERTIFICATE'])
})

test('negative weights and bad endpoints are reported with their backend names', () => {
  const bad: Snapshot = { ports: [{ kind: 'tcp', name: '*:5432', address: null, port: 5432, listener: 'default/gw/tcp', route: 'r', backends: [{ kind: 'service', name: 'r/backend/0', weight: -1, service: 'default/db:5432', endpoints: [{ address: '', port: 0 }] }] }] }
  assert.deepEqual(validate(bad).map((e) => `${e.code} ${e.name}`), ['IR_INVALID_WEIGHT r/backend/0', 'IR_INVALID_ENDPOINT r/backend/0'])
})

test('printable redacts private keys and keeps certificates', () => {
  const out = JSON.stringify(printable(good))
  assert.doesNotMatch(out, /secret/)
  assert.match(out, /\[redacted\]/)
  assert.match(out, /BEGIN CERTIFICATE/)
})
