import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { ReloadOutcome } from '../../src/pipeline/index.ts'
import { configDir, echoBackend, gatewayWith, get, serve, service, steadyLoad } from './serve-helpers.ts'

// Issue 10: "a reload at 10,000 routes drops no request". Requests keep flowing on a route that
// stays while the file grows to 10,000 HTTPRoutes (every document new: the slowest reload there
// is) and then changes one of them; the event loop that serves them must not stall meanwhile,
// because load, translate and validate run on the pipeline's worker thread.
const ROUTES = 10_000
let echo: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
const outcomes: ReloadOutcome[] = []

const route = (name: string, path: string, host = 'x') => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name} }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [${host}]
  rules: [{ matches: [{ path: { type: PathPrefix, value: ${path} } }], backendRefs: [{ name: echo, port: 80 }] }]
`
const many = (n: number, tag: string) => Array.from({ length: n }, (_, i) => route(`r${i}`, `/p${i}/${i === 0 ? tag : ''}`, `h${i % 100}.example`)).join('')

before(async () => {
  echo = await echoBackend('echo')
  cfg = configDir({ 'gw.yaml': gatewayWith('{ name: http, port: 8090, protocol: HTTP }'), 'routes.yaml': `${service('echo', [echo.port])}${route('stay', '/stay')}` })
  s = await serve([cfg.dir], { onReload: (o) => outcomes.push(o) })
})

after(async () => {
  await s.close()
  await echo.close()
  cfg.remove()
})

/** Polls (no sleeps that time the test) until a reload after the `n`th has happened. */
async function reloaded(n: number, ms: number): Promise<ReloadOutcome> {
  const deadline = Date.now() + ms
  while (outcomes.length === n) {
    if (Date.now() > deadline) throw new Error(`no reload within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
  return outcomes[outcomes.length - 1]!
}

test(`requests keep being answered, and the event loop keeps turning, while ${ROUTES.toLocaleString('en-US')} routes reload`, { timeout: 180_000 }, async () => {
  const port = s.portOf(8090)
  const load = steadyLoad(port, '/stay', { host: 'x' })
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  try {
    const base = `${service('echo', [echo.port])}${route('stay', '/stay')}`
    const grow = outcomes.length
    const okBefore = load.ok()
    cfg.write('routes.yaml', base + many(ROUTES, 'a'))
    // The admin API answers meanwhile too (the same event loop), with the configuration still live.
    let statusAnswers = 0
    const polling = (async () => {
      while (outcomes.length === grow) {
        const r = await fetch(`${s.adminUrl}/status`)
        if (r.status === 200 && ((await r.json()) as { generation: number }).generation === 1) statusAnswers++
      }
    })()
    const grown = await reloaded(grow, 150_000)
    await polling
    assert.equal(grown.kind, 'published', JSON.stringify(grown))
    const duringGrow = load.ok() - okBefore
    assert.ok(statusAnswers > 0, '/status did not answer while the configuration grew')
    // /status now lists every route, with its status (parsed from the build thread's text when first read).
    const status = (await (await fetch(`${s.adminUrl}/status`)).json()) as { generation: number; objects: { kind: string; status: { parents: unknown[] } }[] }
    assert.equal(status.generation, 2)
    const routes = status.objects.filter((o) => o.kind === 'HTTPRoute')
    assert.equal(routes.length, ROUTES + 1)
    assert.ok(routes.every((r) => r.status.parents.length === 1))
    // The new routes serve.
    assert.equal((await get(port, '/p9999/', { host: 'h99.example' })).status, 200)
    // One route edited: only its document is parsed again.
    const edit = outcomes.length
    const t0 = performance.now()
    cfg.write('routes.yaml', base + many(ROUTES, 'b'))
    assert.equal((await reloaded(edit, 60_000)).kind, 'published')
    const editMs = performance.now() - t0
    assert.equal((await get(port, '/p0/b', { host: 'h0.example' })).status, 200)
    await load.stop()
    delay.disable()
    const maxMs = delay.max / 1e6
    console.log(`# ${load.ok()} requests on the stable route (${duringGrow} while the file grew to ${ROUTES} routes, and ${statusAnswers} /status answers), 0 failed; slowest ${load.slowestMs().toFixed(0)} ms; event loop delay max ${maxMs.toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms; one edited route live after ${editMs.toFixed(0)} ms`)
    assert.deepEqual(load.failures, [])
    assert.ok(duringGrow > 20, `only ${duringGrow} requests were answered while the configuration grew`)
    // Generous: the apply itself (compile, swapping the tables) runs on this loop and takes tens of
    // milliseconds at this size; an inline load and translate would hold it for seconds.
    assert.ok(maxMs < 1500, `the event loop stalled for ${maxMs.toFixed(0)} ms`)
  } finally {
    await load.stop()
    delay.disable()
  }
})
