import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'

// The command as a child process, on the example users start from (docs/serve.md).
const MAIN = join(import.meta.dirname, 'main.ts')
const EXAMPLE = join(import.meta.dirname, '../../examples/serve')
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, 'explain', '-f', EXAMPLE, ...args], { encoding: 'utf8' })

test('switchyard explain prints the decision steps and the answer as text', { timeout: 30_000 }, () => {
  const r = run('GET', 'http://shop.localhost:8080/old/page?x=1')
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^GET http:\/\/shop\.localhost:8080\/old\/page\?x=1$/m)
  assert.match(r.stdout, /^Listener  default\/local\/http — /m)
  assert.match(r.stdout, /^Answer    302 redirect, Location: http:\/\/shop\.localhost:8080\/new\/page\?x=1$/m)
})

test('switchyard explain -o json prints the explanation as data, headers from -H', { timeout: 30_000 }, () => {
  const r = run('get', 'http://shop.localhost:8080/', '-H', 'X-Trace: 1', '-o', 'json')
  assert.equal(r.status, 0, r.stderr)
  const e = JSON.parse(r.stdout) as { schema: string; request: { method: string; headers: Record<string, string> }; decision: { chosen: string }; answer: { kind: string } }
  assert.equal(e.schema, 'switchyard.dev/explain/v1')
  assert.equal(e.request.method, 'GET')
  assert.equal(e.request.headers['x-trace'], '1')
  assert.equal(e.decision.chosen, 'httproute/default/web/rule/1/match/0')
  assert.equal(e.answer.kind, 'forward')
})

test('switchyard explain exits 2 on a header that is not name:value', { timeout: 30_000 }, () => {
  const r = run('GET', 'http://shop.localhost:8080/', '-H', 'novalue')
  assert.equal(r.status, 2)
  assert.match(r.stderr, /-H wants name:value, got "novalue" \[CLI_USAGE\]/)
})

const L4 = join(import.meta.dirname, '../../examples/serve-tls-tcp-udp')

test('switchyard explain takes a tls://, tcp:// or udp:// URL alone, and wants a method for http://', { timeout: 30_000 }, () => {
  const tls = spawnSync(process.execPath, [MAIN, 'explain', '-f', L4, 'tls://foo.example.com:8443'], { encoding: 'utf8' })
  assert.equal(tls.status, 0, tls.stderr)
  assert.match(tls.stdout, /^TLSRoute  tlsroute\/default\/foo-route\/rule\/0 — /m)
  assert.match(tls.stdout, /^Answer    passed through to default\/foo-svc:443, endpoint 127\.0\.0\.1:9443, still encrypted/m)
  const udp = spawnSync(process.execPath, [MAIN, 'explain', '-f', L4, 'udp://127.0.0.1:9053', '-o', 'json'], { encoding: 'utf8' })
  assert.equal(udp.status, 0, udp.stderr)
  assert.equal((JSON.parse(udp.stdout) as { connection: { route: string } }).connection.route, 'udproute/default/udp/rule/0')
  const r = run('http://shop.localhost:8080/')
  assert.equal(r.status, 2)
  assert.match(r.stderr, /explain wants <METHOD> <URL> \(or a tls:\/\/, tcp:\/\/ or udp:\/\/ URL alone\)/)
})
