import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'

// End to end: the CLI as a child process on translator testdata.
const MAIN = join(import.meta.dirname, 'main.ts')
const DATA = join(import.meta.dirname, '../translator/testdata')
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' })

test('switchyard status prints a table of conditions and exits 0 for valid input', () => {
  const r = run('status', '-f', join(DATA, 'base'), '-f', join(DATA, 'httproute-not-allowed-kind.in.yaml'))
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^KIND +NAME +CONDITIONS$/m)
  assert.match(r.stdout, /^Gateway +default\/gw +Accepted=True Programmed=True ResolvedRefs=True$/m)
  assert.match(r.stdout, /^ +parent +gw#tls +Accepted=False ResolvedRefs=True$/m)
  assert.match(r.stdout, /✗ Accepted: NotAllowedByListeners — listener tls does not allow HTTPRoute/)
})

test('switchyard status -o yaml prints each object with its status', () => {
  const r = run('status', '-o', 'yaml', '-f', join(DATA, 'base'), '-f', join(DATA, 'httproute-simple-attaches.in.yaml'))
  assert.equal(r.status, 0, r.stderr)
  const out = parse(r.stdout) as { objects: { kind: string; metadata: { name: string }; status: { parents?: { conditions: { type: string; status: string }[] }[] } }[] }
  const route = out.objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'web')
  assert.deepEqual(route?.status.parents?.[0]?.conditions.map((c) => `${c.type}=${c.status}`), ['Accepted=True', 'ResolvedRefs=True'])
})

test('switchyard status exits 1 and prints diagnostics with positions when objects are invalid', () => {
  const r = run('status', '-f', join(DATA, 'load-schema-violations.in.yaml'))
  assert.equal(r.status, 1)
  assert.match(r.stderr, /load-schema-violations\.in\.yaml:8:35 error K8S_SCHEMA_VIOLATION spec\.listeners\[0\]\.port: must be >= 1/)
})

test('switchyard translate --to ir prints the IR with private keys redacted', () => {
  const r = run('translate', '--to', 'ir', '-o', 'json', '-f', join(DATA, 'base'), '-f', join(DATA, 'listener-https-terminate.in.yaml'))
  assert.equal(r.status, 0, r.stderr)
  const snapshot = JSON.parse(r.stdout) as { ports: { kind: string; port: number; listeners: { tls: { certificates: { keyPem: string }[] } }[] }[] }
  assert.equal(snapshot.ports[0]?.kind, 'tls')
  assert.equal(snapshot.ports[0]?.listeners[0]?.tls.certificates[0]?.keyPem, '[redacted]')
  assert.doesNotMatch(r.stdout, /PRIVATE KEY/)
})

test('switchyard status without -f exits 2', () => {
  const r = run('status')
  assert.equal(r.status, 2)
})
