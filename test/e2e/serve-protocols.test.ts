import assert from 'node:assert/strict'
import http2 from 'node:http2'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { configDir, echoBackend, GATEWAY_CLASS, get, h2Request, readUntil, serve, service, webSocket } from './serve-helpers.ts'

const gateway = (port: number) => `${GATEWAY_CLASS}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec: { gatewayClassName: switchyard, listeners: [{ name: http, port: ${port}, protocol: HTTP }] }
`
const route = (svc: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec: { parentRefs: [{ name: gw }], rules: [{ backendRefs: [{ name: ${svc}, port: 80 }] }] }
`

test('a kubernetes.io/h2c backend is spoken to over HTTP/2 with prior knowledge', { timeout: 15000 }, async () => {
  const backend = http2.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ version: req.httpVersion, path: req.url, authority: req.headers[':authority'] }))
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const cfg = configDir({ 'gw.yaml': `${gateway(8095)}---\n${service('grpc', [(backend.address() as AddressInfo).port], 'kubernetes.io/h2c')}${route('grpc')}` })
  const s = await serve([cfg.dir])
  try {
    const r = await get(s.portOf(8095), '/h2c?x=1', { host: 'example.com' })
    assert.equal(r.status, 200)
    assert.deepEqual(JSON.parse(r.body), { version: '2.0', path: '/h2c?x=1', authority: 'example.com' })
  } finally {
    await s.close()
    await new Promise<void>((r) => backend.close(() => r()))
    cfg.remove()
  }
})

test('shutdown stops accepting but lets a request in flight finish', { timeout: 15000 }, async () => {
  const echo = await echoBackend('echo')
  const cfg = configDir({ 'gw.yaml': `${gateway(8096)}---\n${service('echo', [echo.port])}${route('echo')}` })
  const s = await serve([cfg.dir], { drainMs: 5000 })
  const port = s.portOf(8096)
  try {
    const slow = get(port, '/slow?delay=300', { host: 'x' })
    // The request is in flight once the backend has seen it.
    const deadline = Date.now() + 5000
    while (echo.hits() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    const closing = s.close()
    await assert.rejects(get(port, '/', { host: 'x' }))
    assert.equal((await slow).status, 200)
    await closing
  } finally {
    await echo.close()
    cfg.remove()
  }
})

test('an HTTP/2 client with prior knowledge (h2c) is served on a cleartext listener, beside HTTP/1.1', { timeout: 15000 }, async () => {
  const echo = await echoBackend('echo')
  const cfg = configDir({ 'gw.yaml': `${gateway(8097)}---\n${service('echo', [echo.port])}${route('echo')}` })
  const s = await serve([cfg.dir])
  const port = s.portOf(8097)
  const session = http2.connect(`http://127.0.0.1:${port}`)
  try {
    const got = await h2Request(session, { ':path': '/h2c?q=1', ':authority': 'example.com', ':method': 'POST' }, 'sent over h2c')
    assert.equal(got.status, 200)
    const e = JSON.parse(got.body) as { url: string; body: string; headers: Record<string, string> }
    assert.equal(e.url, '/h2c?q=1')
    assert.equal(e.body, 'sent over h2c')
    assert.equal(e.headers.host, 'example.com')
    assert.equal(e.headers['x-forwarded-for'], '127.0.0.1')
    // The same port still speaks HTTP/1.1.
    assert.equal((await get(port, '/h1', { host: 'example.com' })).status, 200)
  } finally {
    session.close()
    await s.close()
    await echo.close()
    cfg.remove()
  }
})

test('a kubernetes.io/ws backend takes WebSocket upgrades', { timeout: 15000 }, async () => {
  const echo = await echoBackend('ws')
  const cfg = configDir({ 'gw.yaml': `${gateway(8098)}---\n${service('ws', [echo.port], 'kubernetes.io/ws')}${route('ws')}` })
  const s = await serve([cfg.dir])
  try {
    const { socket } = await webSocket(s.portOf(8098), '/chat', 'x')
    socket.write('frame')
    assert.equal(await readUntil(socket, (t) => t === 'frame'), 'frame')
    socket.destroy()
  } finally {
    await s.close()
    await echo.close()
    cfg.remove()
  }
})

// Header values are written to HTTP/1.1 without another check (docs/reliability.md, "Header
// values"): over HTTP/2 that rests on nghttp2 dropping any field whose value holds a control
// character, both ways. These pin that behaviour of the runtime.
test('over HTTP/2, a header value with a control character never reaches the backend, nor a client from an h2c backend', { timeout: 15000 }, async () => {
  const echo = await echoBackend('echo')
  const h2c = http2.createServer()
  h2c.on('stream', (stream) => {
    stream.respond({ ':status': 200, 'x-bad': 'a\x01b', 'x-cr': 'a\rb', 'x-good': 'fine' })
    stream.end('ok')
  })
  await new Promise<void>((r) => h2c.listen(0, '127.0.0.1', r))
  const cfg = configDir({ 'gw.yaml': `${gateway(8099)}---\n${service('echo', [echo.port])}${route('echo')}` })
  const cfgH2c = configDir({ 'gw.yaml': `${gateway(8100)}---\n${service('grpc', [(h2c.address() as AddressInfo).port], 'kubernetes.io/h2c')}${route('grpc')}` })
  const s = await serve([cfg.dir])
  const s2 = await serve([cfgH2c.dir])
  const session = http2.connect(`http://127.0.0.1:${s.portOf(8099)}`)
  try {
    const got = await h2Request(session, { ':path': '/', ':authority': 'x', 'x-bad': 'a\x01b', 'x-good': 'fine' })
    assert.equal(got.status, 200)
    const seen = (JSON.parse(got.body) as { headers: Record<string, string> }).headers
    assert.equal(seen['x-good'], 'fine')
    assert.equal(seen['x-bad'], undefined)
    // A NUL makes the request malformed: the stream is reset and nothing reaches the backend.
    const hits = echo.hits()
    await assert.rejects(h2Request(session, { ':path': '/', ':authority': 'x', 'x-nul': 'a\0b' }), /PROTOCOL_ERROR/)
    assert.equal(echo.hits(), hits)
    const r = await get(s2.portOf(8100), '/', { host: 'x' })
    assert.equal(r.status, 200)
    assert.equal(r.headers['x-good'], 'fine')
    assert.equal(r.headers['x-bad'], undefined)
    assert.equal(r.headers['x-cr'], undefined)
  } finally {
    session.close()
    await s.close()
    await s2.close()
    await echo.close()
    await new Promise<void>((r) => h2c.close(() => r()))
    cfg.remove()
    cfgH2c.remove()
  }
})
