import assert from 'node:assert/strict'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { tcpHandles } from './runtime-harness.ts'
import { configDir, freePort, gatewayWith, get, httpRoute, metric, serve, service, until } from './serve-helpers.ts'

// Backends that fail: refuse, reset, stall, die mid-response, close a kept-alive connection.
// The gateway answers 502/503/504 quickly (or cuts a response it had already started, as it
// cannot change a status it has sent), recovers when the backend does, and leaks no socket.

/** A raw backend: `onRequest` gets each connection after its first request bytes arrive. */
async function rawBackend(onRequest: (s: net.Socket, text: string) => void): Promise<{ port: number; hits: () => number; close: () => Promise<void> }> {
  let hits = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer((s) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
    s.on('error', () => {})
    s.on('data', (d: Buffer) => {
      hits++
      onRequest(s, d.toString('latin1'))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { port: (server.address() as AddressInfo).port, hits: () => hits, close: () => new Promise<void>((r) => (server.close(() => r()), sockets.forEach((s) => s.destroy()))) }
}

/** A response whose head and first 10 of 100 declared bytes are sent; `then` ends the connection. */
const partial = (s: net.Socket) => s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789')

/** One request with a fresh connection; resolves with the status and whether the body arrived whole. */
function fetchWhole(port: number, path: string, method = 'GET'): Promise<{ status: number; complete: boolean; ms: number }> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      res.on('data', () => {})
      res.on('end', () => resolve({ status: res.statusCode ?? 0, complete: res.complete, ms: performance.now() - start }))
      res.on('error', () => resolve({ status: res.statusCode ?? 0, complete: false, ms: performance.now() - start }))
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, complete: false, ms: performance.now() - start }))
    })
    req.on('error', reject)
    req.end()
  })
}

let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
let port = 0
let revivePort = 0
const backends: { close: () => Promise<void> }[] = []
let resetMid: Awaited<ReturnType<typeof rawBackend>>
let diesMid: Awaited<ReturnType<typeof rawBackend>>
let resetHead: Awaited<ReturnType<typeof rawBackend>>
let stall: Awaited<ReturnType<typeof rawBackend>>
/** Answers the first request on a connection with keep-alive; closes the connection, unanswered, on the next. */
let closer: Awaited<ReturnType<typeof rawBackend>>
const served = new WeakMap<net.Socket, number>()

before(async () => {
  resetMid = await rawBackend((sock) => (partial(sock), setImmediate(() => sock.resetAndDestroy())))
  diesMid = await rawBackend((sock) => (partial(sock), sock.end()))
  resetHead = await rawBackend((sock) => (sock.write('HTTP/1.1 200 OK\r\ncontent-le'), setImmediate(() => sock.resetAndDestroy())))
  stall = await rawBackend(() => {})
  closer = await rawBackend((sock) => {
    const n = served.get(sock) ?? 0
    served.set(sock, n + 1)
    if (n === 0) sock.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok')
    else sock.destroy()
  })
  backends.push(resetMid, diesMid, resetHead, stall, closer)
  revivePort = await freePort()
  const rule = (path: string, svc: string, extra = '') => `    - matches: [{ path: { type: PathPrefix, value: ${path} } }]\n${extra}      backendRefs: [{ name: ${svc}, port: 80 }]\n`
  cfg = configDir({
    'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---
${service('reset-mid', [resetMid.port])}---
${service('dies-mid', [diesMid.port])}---
${service('reset-head', [resetHead.port])}---
${service('stall', [stall.port])}---
${service('closer', [closer.port])}---
${service('revive', [revivePort])}---
${httpRoute(`${rule('/reset-mid', 'reset-mid')}${rule('/dies-mid', 'dies-mid')}${rule('/reset-head', 'reset-head')}${rule('/stall', 'stall', '      timeouts: { request: 5s, backendRequest: 200ms }\n')}${rule('/closer', 'closer')}${rule('/revive', 'revive')}`)}`,
  })
  s = await serve([join(cfg.dir, 'gw.yaml')])
  port = s.portOf(8080)
})

after(async () => {
  await s.close()
  for (const b of backends) await b.close()
  cfg.remove()
})

describe('backend faults', { timeout: 30_000 }, () => {
  test('a backend that refuses, then comes back: 503 quickly, then 200', async () => {
    const r = await fetchWhole(port, '/revive')
    assert.equal(r.status, 503)
    assert.ok(r.ms < 1000, `${r.ms} ms`)
    const back = http.createServer((_q, res) => res.end('back'))
    await new Promise<void>((ok) => back.listen(revivePort, '127.0.0.1', ok))
    try {
      assert.deepEqual(await fetchWhole(port, '/revive').then((x) => [x.status, x.complete]), [200, true])
    } finally {
      back.closeAllConnections()
      await new Promise<void>((ok) => back.close(() => ok()))
    }
  })

  test('a backend that resets inside its response head answers 502', async () => {
    const r = await fetchWhole(port, '/reset-head')
    assert.equal(r.status, 502)
  })

  test('a backend that resets mid-body: the started response is cut, never passed off as complete', async () => {
    const r = await fetchWhole(port, '/reset-mid')
    assert.equal(r.status, 200)
    assert.equal(r.complete, false)
  })

  test('a backend that dies mid-body (closes before its Content-Length): the response is cut', async () => {
    const r = await fetchWhole(port, '/dies-mid')
    assert.equal(r.status, 200)
    assert.equal(r.complete, false)
  })

  test('a backend that accepts and never answers: 504 at the backend-request timeout', async () => {
    const r = await fetchWhole(port, '/stall')
    assert.equal(r.status, 504)
    assert.ok(r.ms >= 190 && r.ms < 1500, `${r.ms} ms`)
  })

  test('twenty rounds of every fault leak no socket: the gateway is back to its open connections and handles', async () => {
    const baseline = tcpHandles()
    for (let i = 0; i < 20; i++) await Promise.all(['/revive', '/reset-head', '/reset-mid', '/dies-mid', '/stall'].map((p) => fetchWhole(port, p)))
    await until(async () => (await metric(s.adminUrl, 'switchyard_open_connections')) === 0)
    // The broken backends close their side; whatever the gateway pooled must go with it.
    await until(() => tcpHandles() <= baseline, 5000)
    assert.equal((await get(port, '/revive')).status, 503)
  })
})

describe('a kept-alive upstream connection closed by the backend', { timeout: 30_000 }, () => {
  test('a POST is not retried: 502, and the backend saw it once', async () => {
    // Warm: the first request on a fresh upstream connection is answered and the connection pooled.
    assert.equal((await fetchWhole(port, '/closer/warm')).status, 200)
    const hits = closer.hits()
    const r = await fetchWhole(port, '/closer/post', 'POST')
    assert.equal(r.status, 502)
    assert.equal(closer.hits(), hits + 1)
  })

  test('a GET is retried once on a fresh connection: 200, and the backend saw it twice', async () => {
    assert.equal((await fetchWhole(port, '/closer/warm')).status, 200)
    const hits = closer.hits()
    const r = await fetchWhole(port, '/closer/get')
    assert.equal(r.status, 200)
    assert.equal(closer.hits(), hits + 2)
  })
})
