import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { metricsJSON, parseMetrics, ReloadHistory, startAdmin, type AdminServer, type AdminView } from './index.ts'

// The admin server over a real socket, with a view made of plain data: what it serves and how.
const METRICS = `# HELP switchyard_http_requests_total x
# TYPE switchyard_http_requests_total counter
switchyard_http_requests_total{listener="default/gw/http",route="httproute/default/r/rule/0",code="200"} 3
switchyard_http_requests_total{listener="default/gw/http",route="httproute/default/r/rule/0",code="503"} 1
switchyard_http_requests_total{listener="default/gw/http",route="",code="404"} 2
switchyard_http_request_duration_seconds_bucket{listener="default/gw/http",route="httproute/default/r/rule/0",le="0.005"} 3
switchyard_http_request_duration_seconds_bucket{listener="default/gw/http",route="httproute/default/r/rule/0",le="+Inf"} 4
switchyard_http_request_duration_seconds_sum{listener="default/gw/http",route="httproute/default/r/rule/0"} 0.25
switchyard_backend_requests_total{backend="httproute/default/r/rule/0/backend/0",code="200"} 3
switchyard_open_connections 2
switchyard_config_reloads_total 1
`

let dir: string
let admin: AdminServer
let generation = 1
const history = new ReloadHistory(2)

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-admin-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Switchyard</title>')
  writeFileSync(join(dir, 'app.js'), 'export {}')
  const view: AdminView = {
    ready: () => true,
    status: () => ({ generation, objects: [], errors: [] }),
    config: () => ({ ports: [] }),
    metrics: () => METRICS,
    explain: (q) => ({ echo: q }),
    reloads: () => ({ seq: history.seq, entries: history.list() }),
    graph: () => ({ title: 't', nodes: [], edges: [] }),
  }
  admin = await startAdmin('127.0.0.1', 0, view, { assetsDir: dir, eventIntervalMs: 20 })
})

after(async () => {
  await admin.close()
  rmSync(dir, { recursive: true, force: true })
})

const url = (p: string) => `http://${admin.address}${p}`

test('the Prometheus text reads back into samples, label escapes undone', () => {
  const s = parseMetrics('a{x="q\\"uote",y="back\\\\slash"} 1.5\n# comment\nb 2\n')
  assert.deepEqual(s, [{ name: 'a', labels: { x: 'q"uote', y: 'back\\slash' }, value: 1.5 }, { name: 'b', labels: {}, value: 2 }])
})

test('/metrics.json totals requests, 5xx, codes and latency per route rule and per backend', async () => {
  const m = (await (await fetch(url('/metrics.json'))).json()) as ReturnType<typeof metricsJSON>
  const rule = m.routes.find((r) => r.route === 'httproute/default/r/rule/0')
  assert.deepEqual({ requests: rule?.requests, errors: rule?.errors, codes: rule?.codes, latency: rule?.latency }, { requests: 4, errors: 1, codes: { '200': 3, '503': 1 }, latency: { count: 4, sum: 0.25, buckets: [[0.005, 3]] } })
  assert.equal(m.routes.find((r) => r.route === '')?.requests, 2)
  assert.deepEqual(m.backends.map((b) => [b.backend, b.requests]), [['httproute/default/r/rule/0/backend/0', 3]])
  assert.equal(m.connections, 2)
  assert.equal(m.reloads, 1)
})

test('/explain passes method, URL, headers and SNI through; an empty sni= means no SNI', async () => {
  const q = '/explain?method=post&url=' + encodeURIComponent('https://a.example/x') + '&header=X-Tenant:%20a&header=bad&sni='
  assert.deepEqual(await (await fetch(url(q))).json(), { echo: { method: 'POST', url: 'https://a.example/x', headers: { 'x-tenant': 'a' }, sni: null } })
  assert.equal((await fetch(url('/explain'))).status, 400)
})

test('the reload history keeps the last entries and counts them all', async () => {
  for (const kind of ['published', 'rejected', 'unchanged'] as const) history.record({ time: 't', kind, generation: 1, errors: [] })
  const r = (await (await fetch(url('/reloads'))).json()) as { seq: number; entries: { kind: string }[] }
  assert.equal(r.seq, 3)
  assert.deepEqual(r.entries.map((e) => e.kind), ['rejected', 'unchanged'])
})

test('the dashboard is served from its folder, and nothing outside it', async () => {
  const index = await fetch(url('/'))
  assert.equal(index.status, 200)
  assert.match(index.headers.get('content-type') ?? '', /text\/html/)
  assert.equal((await fetch(url('/app.js'))).headers.get('content-type'), 'text/javascript; charset=utf-8')
  for (const p of ['/../package.json', '/%2e%2e/package.json', '/nope.js', '/index.html/x']) assert.equal((await fetch(url(p))).status, 404, p)
})

test('/events streams a state event first, then metrics, and a new state after a reload', async () => {
  const ac = new AbortController()
  const res = await fetch(url('/events'), { signal: ac.signal })
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  const until = async (re: RegExp) => {
    while (!re.test(text)) {
      const { value, done } = await reader.read()
      if (done) throw new Error('stream ended')
      text += value
    }
  }
  await until(/event: state\ndata: \{"generation":1,/)
  await until(/event: metrics\ndata: \{"time":\d+,"routes":/)
  generation = 2
  await until(/event: state\ndata: \{"generation":2,/)
  ac.abort()
})
