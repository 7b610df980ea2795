import assert from 'node:assert/strict'
import http2 from 'node:http2'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { configDir, echoBackend, GATEWAY_CLASS, get, serve, service } from './serve-helpers.ts'

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
