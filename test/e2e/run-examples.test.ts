import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEFAULT_PORTS } from '../../src/local/index.ts'
import { DEFAULT_PARENT } from '../../src/recipes/kubernetes/routes.ts'
import { answerWith, example, request, run, until } from './run-helpers.ts'

// Every example through `switchyard run` with real traffic (the HTTP and HTTPS parts; TLS
// passthrough/terminate, TCP and UDP are in run-l4.test.ts).

test('the default environment is the Gateway Radius installs, on unprivileged ports', () => {
  assert.deepEqual(DEFAULT_PARENT, { name: 'radius', namespace: 'radius-system' })
  assert.deepEqual(DEFAULT_PORTS, { http: 8080, tls: 8443 })
})

test('without an environment the shop’s routes attach to the default Gateway and answer from stand-ins', { timeout: 30_000 }, async () => {
  const r = await run([example('shop', 'app.yaml')])
  try {
    const port = r.portOf(DEFAULT_PORTS.http)
    const a = await answerWith(200, port, { path: '/cart?x=1', headers: { 'x-probe': '1' } })
    assert.equal(a.headers['x-stand-in'], 'frontend')
    const j = a.json()
    assert.equal(j.container, 'frontend')
    assert.equal(j.port, 'web')
    assert.equal(j.path, '/cart')
    assert.equal(j.headers['x-probe'], '1')
    const b = await request(port, { path: '/accounts?v=2', headers: { 'x-tenant': 'a' } })
    assert.equal(b.json().container, 'accounts')
    assert.match(r.report(), /^app shop on the default environment/m)
    assert.match(r.report(), /radius-system\/radius\/tls\s+TLS-PASSTHROUGH\s+127\.0\.0\.1:\d+/, 'the TLS passthrough listener is there too, and served')
  } finally {
    await r.stop()
  }
})

test('services: each stand-in answers as its container on its local port (user story 1, no routes)', { timeout: 30_000 }, async () => {
  const r = await run([example('services', 'app.yaml')])
  try {
    const containers = r.local.containers()
    assert.deepEqual(containers.map((c) => c.label).sort(), ['svcA', 'svcB'])
    for (const c of containers) {
      const a = await request(c.ports[0]!.port, { path: '/' })
      assert.equal(a.json().container, c.label)
    }
    assert.match(r.report(), /no route is attached/)
  } finally {
    await r.stop()
  }
})

test('legacy gateway: HTTPS with a certificate the local CA issues for the secret store’s Secret, routes by path with replacePrefix', { timeout: 60_000 }, async () => {
  const r = await run([example('legacy-gateway', 'app.yaml')])
  try {
    const port = r.portOf(443)
    const ca = readFileSync(r.ca()!.certPath, 'utf8')
    const host = 'public.localtest.me'
    const home = await answerWith(200, port, { host, path: '/', ca })
    assert.equal(home.json().container, 'frontend')
    const api = await request(port, { host, path: '/api/orders', ca })
    assert.equal(api.json().container, 'backend')
    assert.equal(api.json().path, '/orders', 'replacePrefix / rewrote /api')
    assert.match(r.report(), /secret store "public-tls" names the Kubernetes Secret default\/public-tls.*\[LOCAL_CERTIFICATE_ISSUED\]/)
  } finally {
    await r.stop()
  }
})

test('editing the app reloads: a new route answers, a container switched to a command runs it', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-run-reload-'))
  copyFileSync(example('shop', 'app.yaml'), join(dir, 'app.yaml'))
  copyFileSync(example('shop', 'accounts.mjs'), join(dir, 'accounts.mjs'))
  const env = readFileSync(example('shop', 'env.yaml'), 'utf8').replace(/frontend: \{ command: .*\}/, 'frontend: { standIn: true }').replace(/accounts: \{ command: .*\}/, 'accounts: { standIn: true }')
  writeFileSync(join(dir, 'env.yaml'), env)
  const write = (name: string, text: string) => (writeFileSync(join(dir, `.${name}`), text), renameSync(join(dir, `.${name}`), join(dir, name)))
  const r = await run([join(dir, 'app.yaml')], { env: join(dir, 'env.yaml') })
  try {
    const port = r.portOf(8080)
    const host = 'shop.localtest.me'
    assert.equal((await answerWith(200, port, { host, path: '/accounts?v=2', headers: { 'x-tenant': 'a' } })).json().container, 'accounts')
    // A rule for /orders → accounts, without the header and query conditions.
    const app = readFileSync(join(dir, 'app.yaml'), 'utf8') + '\n- type: Radius.Compute/routes@2025-08-01-preview\n  name: orders\n  properties:\n    application: shop\n    rules:\n      - matches: [{ path: /orders }]\n        destinationContainerId: accounts\n'
    write('app.yaml', app)
    const orders = async () => {
      const a = await request(port, { host, path: '/orders' }).catch(() => null)
      return a?.status === 200 ? a.json() : null
    }
    await until(async () => (await orders())?.container === 'accounts', 20_000, 'the new route')
    write('env.yaml', env.replace('accounts: { standIn: true }', 'accounts: { command: [node, accounts.mjs] }'))
    await until(async () => (await orders())?.service === 'accounts', 20_000, 'accounts as a command')
    // A broken file keeps the last good configuration.
    write('app.yaml', app.replace('kind: HTTP', 'kind: HTTPS'))
    await until(() => r.serving.pipeline.errors.length > 0, 20_000, 'the rejected reload')
    assert.equal((await orders())?.service, 'accounts')
  } finally {
    await r.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
