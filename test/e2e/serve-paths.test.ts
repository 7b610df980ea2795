import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { configDir, echoBackend, gatewayWith, get, serve, service } from './serve-helpers.ts'

// The path is normalised once before matching and forwarded as matched (docs/reliability.md,
// "Path normalisation"): a client cannot reach past a route's prefix by how it spells the path.
let pub: Awaited<ReturnType<typeof echoBackend>>
let admin: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>

const route = (name: string, prefix: string, backend: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name} }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ matches: [{ path: { type: PathPrefix, value: ${prefix} } }], backendRefs: [{ name: ${backend}, port: 80 }] }]
`

before(async () => {
  pub = await echoBackend('public')
  admin = await echoBackend('admin')
  cfg = configDir({
    'gw.yaml': gatewayWith('{ name: http, port: 8097, protocol: HTTP }'),
    // `/%61pi` is written with an escaped unreserved character (the CRD admits `%XX` in values).
    'routes.yaml': `${service('public', [pub.port])}---\n${service('admin', [admin.port])}${route('public', '/public', 'public')}${route('admin', '/admin', 'admin')}${route('api', '/%61pi', 'admin')}`,
  })
  s = await serve([cfg.dir])
})

after(async () => {
  await s.close()
  await pub.close()
  await admin.close()
  cfg.remove()
})

const backendOf = async (path: string) => {
  const r = await get(s.portOf(8097), path, { host: 'example.com' })
  return { status: r.status, ...(r.status === 200 ? { backend: JSON.parse(r.body).backend as string, url: JSON.parse(r.body).url as string } : {}) }
}

test('dot segments are resolved and repeated slashes merged before matching, and the backend sees that path', async () => {
  assert.deepEqual(await backendOf('/public/../admin/x'), { status: 200, backend: 'admin', url: '/admin/x' })
  assert.deepEqual(await backendOf('/public/%2e%2e/admin'), { status: 200, backend: 'admin', url: '/admin' })
  assert.deepEqual(await backendOf('/public/./a//b?q=1'), { status: 200, backend: 'public', url: '/public/a/b?q=1' })
})

test('escaped unreserved characters match as their plain form', async () => {
  assert.deepEqual(await backendOf('/%70ublic/x'), { status: 200, backend: 'public', url: '/public/x' })
})

test('a route value with an escaped unreserved character is normalised like the request path (RFC 3986 §6.2.2.2)', async () => {
  assert.deepEqual(await backendOf('/api/x'), { status: 200, backend: 'admin', url: '/api/x' })
  assert.deepEqual(await backendOf('/%61pi/x'), { status: 200, backend: 'admin', url: '/api/x' })
  assert.deepEqual(await backendOf('/%61%50i'), { status: 404 }, 'case still counts: /aPi is another path')
})

test('encoded slashes, backslashes and stray percent signs are refused with 400', async () => {
  const before = pub.hits() + admin.hits()
  for (const p of ['/public%2F..%2Fadmin', '/public\\..\\admin', '/public/%zz']) assert.equal((await backendOf(p)).status, 400, p)
  assert.equal(pub.hits() + admin.hits(), before, 'no refused request reached a backend')
})

test('an absolute-form request target routes by its path', async () => {
  assert.deepEqual(await backendOf('http://example.com/admin/y'), { status: 200, backend: 'admin', url: '/admin/y' })
})
