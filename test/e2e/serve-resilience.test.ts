import assert from 'node:assert/strict'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { configDir, echoBackend, gatewayWith, get, httpRoute, serve, service, webSocket } from './serve-helpers.ts'

// Timeouts (504), retries, upstream connect errors (503) and WebSocket upgrades.
let echo: Awaited<ReturnType<typeof echoBackend>>
let flaky: http.Server
let flakyCalls = 0
let resetter: net.Server
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
let port = 0

before(async () => {
  echo = await echoBackend('echo')
  // Fails twice with 503, then answers 200: two retries are needed.
  flaky = http.createServer((req, res) => {
    flakyCalls++
    res.writeHead(flakyCalls % 3 === 0 ? 200 : 503).end(String(flakyCalls))
  })
  await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r))
  // Accepts, reads the request, then resets the connection (RST) without answering.
  resetter = net.createServer((sock) => sock.once('data', () => sock.resetAndDestroy()))
  await new Promise<void>((r) => resetter.listen(0, '127.0.0.1', r))
  const closed = http.createServer()
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  const deadPort = (closed.address() as AddressInfo).port
  await new Promise<void>((r) => closed.close(() => r()))
  cfg = configDir({
    'gw.yaml': `${gatewayWith('{ name: http, port: 8081, protocol: HTTP }')}---
${service('echo', [echo.port])}---
${service('flaky', [(flaky.address() as AddressInfo).port])}---
${service('dead', [deadPort])}---
${service('resetter', [(resetter.address() as AddressInfo).port])}---
${httpRoute(`    - matches: [{ path: { type: PathPrefix, value: /slow } }]
      timeouts: { request: 150ms }
      backendRefs: [{ name: echo, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /slow-backend } }]
      timeouts: { request: 5s, backendRequest: 100ms }
      backendRefs: [{ name: echo, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /flaky } }]
      retry: { attempts: 2, codes: [503] }
      backendRefs: [{ name: flaky, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /flaky-once } }]
      retry: { attempts: 1, codes: [503] }
      backendRefs: [{ name: flaky, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /dead } }]
      backendRefs: [{ name: dead, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /reset } }]
      backendRefs: [{ name: resetter, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: / } }]
      backendRefs: [{ name: echo, port: 80 }]
`)}`,
  })
  s = await serve([cfg.dir])
  port = s.portOf(8081)
})

after(async () => {
  await s.close()
  await echo.close()
  await new Promise<void>((r) => (flaky.close(() => r()), flaky.closeAllConnections()))
  await new Promise<void>((r) => resetter.close(() => r()))
  cfg.remove()
})

test('timeouts.request answers 504 when the whole exchange takes too long', async () => {
  assert.equal((await get(port, '/slow?delay=3000')).status, 504)
  assert.equal((await get(port, '/slow?delay=0')).status, 200)
})

test('timeouts.backendRequest answers 504 when one attempt takes too long', async () => {
  assert.equal((await get(port, '/slow-backend?delay=3000')).status, 504)
})

test('retries resend a retryable status up to `attempts` times; out of retries, the last answer stands', async () => {
  flakyCalls = 0
  const ok = await get(port, '/flaky', {}, { method: 'POST', body: 'x' })
  assert.equal(ok.status, 200)
  assert.equal(flakyCalls, 3)
  flakyCalls = 0
  const failed = await get(port, '/flaky-once')
  assert.equal(failed.status, 503)
  assert.equal(flakyCalls, 2)
})

test('a backend that refuses connections answers 503', async () => {
  assert.equal((await get(port, '/dead')).status, 503)
})

test('a backend that resets the connection after reading the request answers 502', async () => {
  const r = await get(port, '/reset')
  assert.equal(r.status, 502)
  assert.match(r.body, /ECONNRESET|socket hang up/)
})

test('a WebSocket upgrade is spliced to the backend and echoes both ways', async () => {
  const { headers, socket } = await webSocket(port, '/ws', 'x')
  assert.equal(headers['x-backend'], 'echo')
  const got = new Promise<string>((r) => socket.once('data', (d: Buffer) => r(d.toString())))
  socket.write('hello over the tunnel')
  assert.equal(await got, 'hello over the tunnel')
  socket.destroy()
})

test('the admin API answers health, readiness, status, config, metrics and explain', async () => {
  const j = async (p: string) => {
    const r = await fetch(s.adminUrl + p)
    return { status: r.status, body: await r.text() }
  }
  assert.equal((await j('/healthz')).status, 200)
  assert.equal((await j('/readyz')).status, 200)
  const status = JSON.parse((await j('/status')).body)
  assert.equal(status.generation, 1)
  assert.deepEqual(status.errors, [])
  assert.ok(status.objects.some((o: { kind: string; metadata: { name: string; generation: number } }) => o.kind === 'HTTPRoute' && o.metadata.name === 'r' && o.metadata.generation === 1))
  assert.ok(JSON.parse((await j('/config')).body).ports.length === 1)
  const metrics = (await j('/metrics')).body
  assert.match(metrics, /switchyard_http_requests_total\{listener="default\/gw\/http",route="httproute\/default\/r\/rule\/\d",code="\d+"\} \d+/)
  assert.match(metrics, /switchyard_backend_request_duration_seconds_bucket\{backend="httproute\/default\/r\/rule\/\d\/backend\/0",le="\+Inf"\} \d+/)
  const explain = JSON.parse((await j('/explain?url=' + encodeURIComponent('http://x:8081/flaky'))).body)
  assert.equal(explain.listener.chosen, 'default/gw/http')
  assert.equal(explain.decision.chosen, 'httproute/default/r/rule/2/match/0')
})
