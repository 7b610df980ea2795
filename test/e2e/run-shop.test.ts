import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { answerWith, example, request, run, until, type TestRun } from './run-helpers.ts'

// `switchyard run` on the shop (what `npm start` brings up): two local commands behind the gateway,
// frontend calling accounts through its CONNECTION_* variables, HTTPS with a local-CA certificate.
let shop: TestRun
let http: number
let https: number
const host = 'shop.localtest.me'

before(async () => {
  shop = await run([example('shop', 'app.yaml')], { env: example('shop', 'env.yaml'), backoff: { initialMs: 400, maxMs: 2000, resetAfterMs: 10_000 } })
  http = shop.portOf(8080)
  https = shop.portOf(8443)
  await shop.local.whenReady(10_000)
  await answerWith(200, http, { host, path: '/' })
})
after(() => shop.stop())

test('/ answers from the frontend command, which reached accounts through CONNECTION_ACCOUNTS_*', { timeout: 20_000 }, async () => {
  const a = await request(http, { host, path: '/' })
  assert.equal(a.status, 200)
  const j = a.json()
  assert.equal(j.service, 'frontend')
  const accounts = shop.local.containers().find((c) => c.label === 'accounts')!
  // The variables point at where accounts listens on this machine, not at its cluster Service.
  assert.equal(j.accountsAt, `http://127.0.0.1:${accounts.ports[0]!.port}`)
  assert.equal(j.fromAccounts.service, 'accounts')
  assert.deepEqual(j.fromAccounts.accounts, ['alice', 'amir'])
})

test('GET /accounts for tenant a with v=2 answers from accounts; without the header the / rule (frontend) takes it', { timeout: 20_000 }, async () => {
  const a = await request(http, { host, path: '/accounts?v=2', headers: { 'x-tenant': 'a' } })
  assert.equal(a.status, 200)
  assert.equal(a.json().service, 'accounts')
  assert.equal(a.json().version, '2')
  const b = await request(http, { host, path: '/accounts?v=2' })
  assert.equal(b.json().service, 'frontend')
  const other = await request(http, { host: 'other.localtest.me', path: '/' })
  assert.equal(other.status, 404, 'the route serves its hostname only')
})

test('HTTPS terminates with a certificate the local CA issued for the route hostname; its key is 0600', { timeout: 20_000 }, async () => {
  const caPath = join(shop.configDir, 'ca', 'cert.pem')
  assert.equal(shop.ca()?.certPath, caPath)
  assert.equal(statSync(join(shop.configDir, 'ca', 'key.pem')).mode & 0o777, 0o600)
  const ca = readFileSync(caPath, 'utf8')
  const a = await request(https, { host, path: '/accounts?v=2', headers: { 'x-tenant': 'a' }, ca })
  assert.equal(a.status, 200)
  assert.equal(a.json().service, 'accounts')
  // Without the CA the certificate is not trusted: nothing was added to any system trust store.
  await assert.rejects(request(https, { host, path: '/', tls: true }), /self[- ]signed|unable to (verify|get)/i)
})

test('a killed container: its routes answer 503, then it is restarted with back-off and serves again', { timeout: 30_000 }, async () => {
  const before = shop.local.containers().find((c) => c.label === 'accounts')!
  assert.ok(before.pid)
  const frontendPid = shop.local.containers().find((c) => c.label === 'frontend')!.pid
  process.kill(before.pid, 'SIGKILL')
  const down = await answerWith(503, http, { host, path: '/accounts?v=2', headers: { 'x-tenant': 'a' } })
  assert.equal(down.status, 503)
  assert.equal((await request(http, { host, path: '/' })).json().service, 'frontend', 'the other container keeps serving')
  const back = await answerWith(200, http, { host, path: '/accounts?v=2', headers: { 'x-tenant': 'a' } })
  assert.equal(back.json().service, 'accounts')
  assert.notEqual(back.json().pid, before.pid, 'a new process')
  assert.equal(shop.local.containers().find((c) => c.label === 'frontend')!.pid, frontendPid)
  await until(() => shop.lines.some((l) => /^accounts +\| exited \(SIGKILL\); restarting in 400 ms \[LOCAL_COMMAND_EXITED\]$/.test(l)), 5000, 'the exit is reported')
})

test('the summary lists the containers, listeners and ready-to-paste commands with --resolve and --cacert', { timeout: 10_000 }, () => {
  const r = shop.report()
  assert.match(r, /^app shop, environment local$/m)
  assert.match(r, /^ {2}frontend +command \(pid \d+\) +web → 127\.0\.0\.1:\d+$/m)
  assert.match(r, new RegExp(`curl --resolve shop.localtest.me:${http}:127.0.0.1 -H 'x-tenant: a' 'http://shop.localtest.me:${http}/accounts\\?v=2'`))
  assert.match(r, new RegExp(`curl --cacert ${join(shop.configDir, 'ca', 'cert.pem').replace(/[.]/g, '\\.')} --resolve shop.localtest.me:${https}:127.0.0.1 https://shop.localtest.me:${https}/`))
  assert.doesNotMatch(r, /warnings/)
  // The dashboard is where a newcomer looks next: its address is printed.
  assert.match(r, /^dashboard: http:\/\/127\.0\.0\.1:\d+\/ /m)
})
