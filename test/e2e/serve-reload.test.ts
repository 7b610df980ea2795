import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { ReloadOutcome } from '../../src/pipeline/index.ts'
import { configDir, echoBackend, gatewayWith, get, serve, service, steadyLoad } from './serve-helpers.ts'

// Hot reload: 100 rewrites under continuous load with zero failures on the route that stays;
// a broken file keeps the last good configuration and shows why in /status.
let echo: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
const outcomes: ReloadOutcome[] = []
let waiters: (() => void)[] = []

const gateway = (extraListener: boolean) =>
  gatewayWith('{ name: http, port: 8090, protocol: HTTP }', ...(extraListener ? ['{ name: extra, port: 8091, protocol: HTTP }'] : []))
const route = (name: string, path: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name} }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ matches: [{ path: { type: PathPrefix, value: ${path} } }], backendRefs: [{ name: echo, port: 80 }] }]
`

before(async () => {
  echo = await echoBackend('echo')
  cfg = configDir({ 'gw.yaml': gateway(false), 'routes.yaml': `${service('echo', [echo.port])}${route('stay', '/stay')}` })
  s = await serve([cfg.dir], {
    onReload: (o) => {
      outcomes.push(o)
      const w = waiters
      waiters = []
      for (const f of w) f()
    },
  })
})

after(async () => {
  await s.close()
  await echo.close()
  cfg.remove()
})

/** Rewrites files and waits until the pipeline has reloaded (published, unchanged or rejected). */
async function rewrite(files: Record<string, string>): Promise<ReloadOutcome> {
  const n = outcomes.length
  const done = new Promise<void>((r) => waiters.push(r))
  for (const [name, text] of Object.entries(files)) cfg.write(name, text)
  const deadline = Date.now() + 5000
  while (outcomes.length === n) {
    await Promise.race([done, new Promise((r) => setTimeout(r, 200))])
    if (Date.now() > deadline) throw new Error('no reload happened')
  }
  return outcomes[outcomes.length - 1]!
}

test('100 reloads that add and remove routes and listeners drop no request on the route that stays', async () => {
  const port = s.portOf(8090)
  const load = steadyLoad(port, '/stay', { host: 'x' })
  const started = Date.now()
  let published = 0
  for (let i = 0; i < 100; i++) {
    const extra = i % 2 === 0
    const o = await rewrite({
      'gw.yaml': gateway(extra),
      'routes.yaml': `${service('echo', [echo.port])}${route('stay', '/stay')}${extra ? route(`extra-${i}`, `/extra-${i}`) : ''}`,
    })
    if (o.kind === 'published') published++
    if (extra && o.kind === 'published') {
      // The added listener and route serve as soon as the reload is live.
      const r = await get(s.portOf(8091), `/extra-${i}`, { host: 'x' })
      assert.equal(r.status, 200)
    }
  }
  await load.stop()
  const ms = Date.now() - started
  assert.deepEqual(load.failures, [])
  assert.ok(published >= 95, `only ${published} of 100 rewrites were published`)
  assert.ok(load.ok() > 100, `only ${load.ok()} requests completed`)
  console.log(`# 100 reloads in ${ms} ms, ${load.ok()} requests on the stable route, 0 failed`)
  const status = await (await fetch(`${s.adminUrl}/status`)).json() as { generation: number }
  assert.ok(status.generation >= 96)
})

test('a broken file keeps the last good configuration, and /status says why', async () => {
  const port = s.portOf(8090)
  const before = (await (await fetch(`${s.adminUrl}/status`)).json()) as { generation: number }
  const o = await rewrite({ 'routes.yaml': `${service('echo', [echo.port])}${route('stay', '/stay')}---\nkind: HTTPRoute\n  bad: [indent` })
  assert.equal(o.kind, 'rejected')
  assert.equal((await get(port, '/stay', { host: 'x' })).status, 200)
  const status = (await (await fetch(`${s.adminUrl}/status`)).json()) as { generation: number; errors: { code: string }[] }
  assert.equal(status.generation, before.generation)
  assert.ok(status.errors.length > 0)
  const fixed = await rewrite({ 'routes.yaml': `${service('echo', [echo.port])}${route('stay', '/stay')}` })
  assert.notEqual(fixed.kind, 'rejected')
  const after = (await (await fetch(`${s.adminUrl}/status`)).json()) as { errors: unknown[] }
  assert.deepEqual(after.errors, [])
})
