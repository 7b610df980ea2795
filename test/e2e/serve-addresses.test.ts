import assert from 'node:assert/strict'
import net from 'node:net'
import { test } from 'node:test'
import type { ReloadOutcome } from '../../src/pipeline/index.ts'
import { configDir, echoBackend, freePort, gatewayWith, get, serve, service, until } from './serve-helpers.ts'

// Where listeners bind (DESIGN.md §5): --port-offset, --bind-address, Gateway spec.addresses, and a
// bind failure during a reload, which keeps the last good configuration and says why in /status.
const route = (parents: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec:
  parentRefs: [${parents}]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /old } }]
      filters: [{ type: RequestRedirect, requestRedirect: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /new } } }]
    - backendRefs: [{ name: echo, port: 80 }]
`

const getAt = async (host: string, port: number) => (await get(port, '/', { host: 'x' }, { host })).status

test('--port-offset binds listener port P at P+N, while redirects keep P', { timeout: 15000 }, async () => {
  const echo = await echoBackend('echo')
  const real = await freePort()
  const cfg = configDir({ 'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---\n${service('echo', [echo.port])}${route('{ name: gw }')}` })
  const s = await serve([cfg.dir], { ephemeralPorts: false, portOffset: real - 8080 })
  try {
    assert.deepEqual(s.bound(), [{ key: '*:8080', kind: 'http', address: '127.0.0.1', port: real }])
    assert.equal((await get(real, '/', { host: 'x' })).status, 200)
    const r = await get(real, '/old/page', { host: 'x' })
    assert.equal(r.status, 302)
    assert.equal(r.headers.location, 'http://x:8080/new/page')
  } finally {
    await s.close()
    await echo.close()
    cfg.remove()
  }
})

test('--bind-address places Gateways without spec.addresses; an IPAddress in spec.addresses wins', { timeout: 15000 }, async () => {
  const echo = await echoBackend('echo')
  const cfg = configDir({
    'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: pinned }
spec:
  gatewayClassName: switchyard
  addresses: [{ type: IPAddress, value: 127.0.0.3 }]
  listeners: [{ name: http, port: 8081, protocol: HTTP }]
---
${service('echo', [echo.port])}${route('{ name: gw }, { name: pinned }')}`,
  })
  const s = await serve([cfg.dir], { bindAddress: '127.0.0.2' })
  try {
    const bound = s.bound()
    assert.deepEqual(bound.map((b) => [b.key, b.address]), [['*:8080', '127.0.0.2'], ['127.0.0.3:8081', '127.0.0.3']])
    const [open, pinned] = [bound[0]!.port, bound[1]!.port]
    assert.equal(await getAt('127.0.0.2', open), 200)
    assert.equal(await getAt('127.0.0.3', pinned), 200)
    await assert.rejects(getAt('127.0.0.1', open), /ECONNREFUSED/)
  } finally {
    await s.close()
    await echo.close()
    cfg.remove()
  }
})

test('a port that cannot be bound during a reload keeps the last good configuration, and /status says why', { timeout: 20000 }, async () => {
  const echo = await echoBackend('echo')
  const kept = await freePort()
  const blocker = net.createServer()
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
  const taken = (blocker.address() as net.AddressInfo).port
  const listeners = (extra: boolean) => [`{ name: kept, port: ${kept}, protocol: HTTP }`, ...(extra ? [`{ name: taken, port: ${taken}, protocol: HTTP }`] : [])]
  const config = (extra: boolean) => `${gatewayWith(...listeners(extra))}---\n${service('echo', [echo.port])}${route('{ name: gw }')}`
  const cfg = configDir({ 'gw.yaml': config(false) })
  const outcomes: ReloadOutcome[] = []
  const s = await serve([cfg.dir], { ephemeralPorts: false, onReload: (o) => outcomes.push(o) })
  const status = async () => (await (await fetch(`${s.adminUrl}/status`)).json()) as { generation: number; errors: { code: string; message: string }[] }
  try {
    const before = (await status()).generation
    const next = async (kind: ReloadOutcome['kind']) => {
      const n = outcomes.length
      cfg.write('gw.yaml', config(true))
      await until(() => outcomes.length > n)
      assert.equal(outcomes[n]?.kind, kind)
    }
    await next('rejected')
    const st = await status()
    assert.equal(st.generation, before)
    assert.equal(st.errors[0]?.code, 'PIPELINE_REJECTED')
    assert.match(st.errors[0]!.message, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken}.*EADDRINUSE`))
    assert.equal((await get(kept, '/', { host: 'x' })).status, 200)
    // Once the port is free, saving the same file again brings the listener up.
    await new Promise<void>((r) => blocker.close(() => r()))
    await next('published')
    assert.equal((await get(taken, '/', { host: 'x' })).status, 200)
    assert.deepEqual((await status()).errors, [])
  } finally {
    blocker.close()
    await s.close()
    await echo.close()
    cfg.remove()
  }
})
