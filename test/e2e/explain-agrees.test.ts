import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import net from 'node:net'
import type tls from 'node:tls'
import { after, before, test } from 'node:test'
import { closed, configDir, echoBackend, gatewayWith, get, l4Route, readUntil, selfSignedCert, serve, service, tcpBackend, tlsBackend, tlsConnect, tlsSecret, udpBackend, udpExchange } from './serve-helpers.ts'

// `GET /explain` on a running gateway says what serving does: for each tls://, tcp://, udp:// and
// http:// case below, the route and backend explain names is the one a real client reaches.
const termSecret = tlsSecret('term-cert', ['term.test'])
let db: Awaited<ReturnType<typeof tlsBackend>>, plain: Awaited<ReturnType<typeof tcpBackend>>, u: Awaited<ReturnType<typeof udpBackend>>
let specific: Awaited<ReturnType<typeof echoBackend>>, catchAll: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>

before(async () => {
  db = await tlsBackend('db', selfSignedCert(['DNS:db.pass.test']))
  plain = await tcpBackend('plain')
  u = await udpBackend('u')
  specific = await echoBackend('specific')
  catchAll = await echoBackend('catch-all')
  cfg = configDir({
    'gw.yaml': `${gatewayWith(
      '{ name: pass, port: 8443, protocol: TLS, hostname: "*.pass.test", tls: { mode: Passthrough } }',
      '{ name: term, port: 8443, protocol: TLS, hostname: term.test, tls: { mode: Terminate, certificateRefs: [{ name: term-cert }] } }',
      '{ name: tcp, port: 9000, protocol: TCP }',
      '{ name: dns, port: 9053, protocol: UDP }',
      '{ name: http, port: 8080, protocol: HTTP }',
    )}---
${termSecret.yaml}---
${service('db', [db.port])}---
${service('plain', [plain.port])}---
${service('u', [u.port], undefined, 'UDP')}---
${service('specific', [specific.port])}---
${service('catch-all', [catchAll.port])}${l4Route('TLSRoute', 'db', ['db'], { section: 'pass', hostnames: ['db.pass.test'] })}${l4Route('TLSRoute', 'term', ['plain'], { section: 'term', hostnames: ['term.test'] })}${l4Route('TCPRoute', 'tcp', ['plain'], { section: 'tcp' })}${l4Route('UDPRoute', 'dns', ['u'], { section: 'dns' })}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: specific }
spec:
  parentRefs: [{ name: gw, sectionName: http }]
  hostnames: [a.fb.test]
  rules: [{ matches: [{ path: { type: PathPrefix, value: /api } }], backendRefs: [{ name: specific, port: 80 }] }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: catch-all }
spec:
  parentRefs: [{ name: gw, sectionName: http }]
  rules: [{ backendRefs: [{ name: catch-all, port: 80 }] }]
`,
  })
  s = await serve([cfg.dir])
})

after(async () => {
  await s.close()
  await Promise.all([db.close(), plain.close(), u.close(), specific.close(), catchAll.close()])
  cfg.remove()
})

interface Explained {
  answer: { kind: string; why: string; backends?: { service: string | null }[] }
  connection?: { route: string | null }
  decision?: { chosen: string | null } | null
  path?: { matched: string | null }
  inconsistency?: string
}
const explainVia = async (url: string): Promise<Explained> => (await (await fetch(`${s.adminUrl}/explain?url=${encodeURIComponent(url)}`)).json()) as Explained

test('tls:// passthrough: explain names the TLSRoute and backend the encrypted connection reaches', { timeout: 20_000 }, async () => {
  const e = await explainVia('tls://db.pass.test:8443')
  assert.deepEqual([e.answer.kind, e.connection?.route, e.answer.backends?.map((b) => b.service)], ['connect', 'tlsroute/default/db/rule/0', ['default/db:80']])
  assert.match(e.answer.why, /still encrypted/)
  const c = await tlsConnect(s.portOf(8443), 'db.pass.test', [], { rejectUnauthorized: false })
  assert.equal(JSON.parse(await readUntil(c, (t) => t.includes('\n'))).backend, 'db')
  c.destroy()
})

test('tls:// terminate: explain names the certificate and the plain TCP backend', { timeout: 20_000 }, async () => {
  const e = await explainVia('tls://term.test:8443')
  assert.deepEqual([e.answer.kind, e.connection?.route, e.answer.backends?.map((b) => b.service)], ['connect', 'tlsroute/default/term/rule/0', ['default/plain:80']])
  assert.match(e.answer.why, /^terminated with certificate default\/term-cert, then plain TCP/)
  const c: tls.TLSSocket = await tlsConnect(s.portOf(8443), 'term.test', [termSecret.certPem])
  c.write('hi')
  assert.equal(await readUntil(c, (t) => t === 'plain:hi'), 'plain:hi')
  c.destroy()
})

test('tls:// with an SNI no TLSRoute serves: explain says refused, and the handshake is refused', { timeout: 20_000 }, async () => {
  const e = await explainVia('tls://other.pass.test:8443')
  assert.equal(e.answer.kind, 'refused')
  assert.match(e.answer.why, /unrecognized_name/)
  await assert.rejects(tlsConnect(s.portOf(8443), 'other.pass.test', [], { rejectUnauthorized: false }), /unrecognized name|unrecognized_name|ECONNRESET|socket disconnected/i)
})

test('tcp:// and udp://: explain names the route and backend the bytes reach', { timeout: 20_000 }, async () => {
  const t = await explainVia('tcp://127.0.0.1:9000')
  assert.deepEqual([t.connection?.route, t.answer.backends?.map((b) => b.service)], ['tcproute/default/tcp/rule/0', ['default/plain:80']])
  const c = net.connect({ host: '127.0.0.1', port: s.portOf(9000) })
  c.write('x')
  assert.equal(await readUntil(c, (x) => x === 'plain:x'), 'plain:x')
  c.destroy()
  await closed(c)
  const d = await explainVia('udp://127.0.0.1:9053')
  assert.deepEqual([d.connection?.route, d.answer.backends?.map((b) => b.service)], ['udproute/default/dns/rule/0', ['default/u:80']])
  const sock = dgram.createSocket('udp4')
  try {
    assert.equal(await udpExchange(sock, s.portOf(9053, 'udp'), 'q'), 'u:q')
  } finally {
    sock.close()
  }
})

test('http://: the fallback host\'s rule and the normalised path are what explain and serving both use', { timeout: 20_000 }, async () => {
  const other = await explainVia('http://a.fb.test:8080/other')
  assert.equal(other.decision?.chosen, 'httproute/default/catch-all/rule/0/match/0')
  assert.equal(other.inconsistency, undefined)
  assert.equal((await get(s.portOf(8080), '/other', { host: 'a.fb.test' })).headers['x-backend'], 'catch-all')
  const dotted = await explainVia('http://a.fb.test:8080/x/../api/y')
  assert.deepEqual([dotted.decision?.chosen, dotted.path?.matched], ['httproute/default/specific/rule/0/match/0', '/api/y'])
  const got = await get(s.portOf(8080), '/x/../api/y', { host: 'a.fb.test' })
  assert.equal(got.headers['x-backend'], 'specific')
  assert.equal(JSON.parse(got.body).url, '/api/y')
  const refused = await explainVia('http://a.fb.test:8080/api%2Fy')
  assert.deepEqual([refused.answer.kind, (refused.answer as { status?: number }).status], ['status', 400])
  assert.equal((await get(s.portOf(8080), '/api%2Fy', { host: 'a.fb.test' })).status, 400)
})
