import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { configDir, echoBackend, gatewayWith, get, serve, service } from './serve-helpers.ts'

// Matching, precedence, 404, 500, 503, filters and weights over real sockets.
let a: Awaited<ReturnType<typeof echoBackend>>, b: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
let port = 0

before(async () => {
  a = await echoBackend('a')
  b = await echoBackend('b')
  cfg = configDir({
    'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---
${service('svc-a', [a.port])}---
${service('svc-b', [b.port])}---
${service('empty', [])}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [example.com]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /a } }]
      backendRefs: [{ name: svc-a, port: 80 }]
    - matches: [{ path: { type: Exact, value: /a/exact } }]
      backendRefs: [{ name: svc-b, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /a }, headers: [{ name: version, value: two }] }]
      backendRefs: [{ name: svc-b, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /missing } }]
      backendRefs: [{ name: nope, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /empty } }]
      backendRefs: [{ name: empty, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /headers } }]
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier: { set: [{ name: x-set, value: s }], add: [{ name: x-add, value: two }], remove: [x-gone] }
        - type: ResponseHeaderModifier
          responseHeaderModifier: { add: [{ name: x-resp, value: r }], remove: [x-remove-me] }
      backendRefs: [{ name: svc-a, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /redirect } }]
      filters: [{ type: RequestRedirect, requestRedirect: { hostname: other.example, statusCode: 301, path: { type: ReplacePrefixMatch, replacePrefixMatch: /moved } } }]
    - matches: [{ path: { type: PathPrefix, value: /rewrite } }]
      filters: [{ type: URLRewrite, urlRewrite: { hostname: rewritten.example, path: { type: ReplacePrefixMatch, replacePrefixMatch: /new } } }]
      backendRefs: [{ name: svc-a, port: 80 }]
    - matches: [{ path: { type: PathPrefix, value: /weighted } }]
      backendRefs: [{ name: svc-a, port: 80, weight: 1 }, { name: svc-b, port: 80, weight: 3 }]
    - matches: [{ path: { type: PathPrefix, value: /mirror } }]
      filters: [{ type: RequestMirror, requestMirror: { backendRef: { name: svc-b, port: 80 } } }]
      backendRefs: [{ name: svc-a, port: 80 }]
`,
  })
  s = await serve([cfg.dir])
  port = s.portOf(8080)
})

after(async () => {
  await s.close()
  await a.close()
  await b.close()
  cfg.remove()
})

const H = { host: 'example.com' }

test('a prefix rule forwards to its backend, keeping Host and adding X-Forwarded-*', async () => {
  const r = await get(port, '/a/x?q=1', { ...H, connection: 'keep-alive, x-hop', 'x-hop': 'drop me' })
  assert.equal(r.status, 200)
  const e = r.json()
  assert.equal(e.backend, 'a')
  assert.equal(e.url, '/a/x?q=1')
  assert.equal(e.headers.host, 'example.com')
  assert.equal(e.headers['x-forwarded-for'], '127.0.0.1')
  assert.equal(e.headers['x-forwarded-proto'], 'http')
  assert.equal(e.headers['x-forwarded-host'], 'example.com')
  assert.equal(e.headers.forwarded, 'for=127.0.0.1;host=example.com;proto=http')
  assert.equal(e.headers['x-hop'], undefined)
})

test('an exact path beats a prefix, and a header match beats a bare prefix', async () => {
  assert.equal((await get(port, '/a/exact', H)).json().backend, 'b')
  assert.equal((await get(port, '/a/y', { ...H, version: 'two' })).json().backend, 'b')
})

test('nothing matching answers 404: unknown host, unknown path', async () => {
  assert.equal((await get(port, '/a', { host: 'other.com' })).status, 404)
  assert.equal((await get(port, '/nothing', H)).status, 404)
})

test('an invalid backend answers 500 and a Service without endpoints 503', async () => {
  assert.equal((await get(port, '/missing', H)).status, 500)
  assert.equal((await get(port, '/empty', H)).status, 503)
})

test('header modifiers set, add and remove on requests and responses', async () => {
  const r = await get(port, '/headers', { ...H, 'x-add': 'one', 'x-gone': 'g', 'x-set': 'old' })
  const e = r.json()
  assert.equal(e.headers['x-set'], 's')
  assert.equal(e.headers['x-add'], 'one,two')
  assert.equal(e.headers['x-gone'], undefined)
  assert.equal(r.headers['x-resp'], 'r')
  assert.equal(r.headers['x-remove-me'], undefined)
})

test('a redirect answers Location with the listener port and the rewritten prefix', async () => {
  const r = await get(port, '/redirect/x?k=v', H)
  assert.equal(r.status, 301)
  assert.equal(r.headers.location, 'http://other.example:8080/moved/x?k=v')
})

test('a URL rewrite replaces Host and the matched prefix', async () => {
  const e = (await get(port, '/rewrite/x', H)).json()
  assert.equal(e.url, '/new/x')
  assert.equal(e.headers.host, 'rewritten.example')
})

test('weights split traffic in proportion (1:3 over 400 requests)', async () => {
  const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 8 })
  const results = await Promise.all(Array.from({ length: 400 }, () => get(port, '/weighted', H, { agent })))
  agent.destroy()
  const toB = results.filter((r) => r.json().backend === 'b').length
  // Binomial(400, 0.75): mean 300, sd ≈ 8.7; ±45 is beyond 5 sd.
  assert.ok(toB > 255 && toB < 345, `b got ${toB} of 400`)
})

test('a mirror gets a copy of the request while the response comes from the backend', async () => {
  const before = b.hits()
  const r = await get(port, '/mirror', H, { method: 'POST', body: 'payload', })
  assert.equal(r.json().backend, 'a')
  assert.equal(r.json().body, 'payload')
  const deadline = Date.now() + 3000
  while (b.hits() === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5))
  assert.equal(b.hits(), before + 1)
})
