import assert from 'node:assert/strict'
import http2 from 'node:http2'
import { after, before, test } from 'node:test'
import tls from 'node:tls'
import { configDir, echoBackend, gatewayWith, h2Request, httpsGet, serve, service, tlsConnect, tlsSecret, until } from './serve-helpers.ts'

// HTTPS ports whose listeners differ only in certificate skip the ClientHello peek: OpenSSL reads
// it and asks for the certificate by SNI (src/dataplane/runtime/tls-direct.ts). Everything a
// client sees is as on a peeked port: the certificate by SNI, unknown names refused with
// unrecognized_name and logged, h2 by ALPN, and a reload that makes the port need the peek again.
const certA = tlsSecret('cert-a', ['a.example.com'])
const certB = tlsSecret('cert-b', ['*.b.example.com'])
const certAny = tlsSecret('cert-any', ['any.example.com'])
const ca = [certA.certPem, certB.certPem, certAny.certPem]
const log: Record<string, unknown>[] = []
let echo: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ backendRefs: [{ name: echo, port: 80 }] }]
`
const byName = (options = '') => `${gatewayWith(
  // 8443: certificates by SNI, no listener without hostname (other names are refused).
  `{ name: a, port: 8443, protocol: HTTPS, hostname: a.example.com, tls: { certificateRefs: [{ name: cert-a }]${options} } }`,
  `{ name: b, port: 8443, protocol: HTTPS, hostname: "*.b.example.com", tls: { certificateRefs: [{ name: cert-b }] } }`,
  // 9443: one listener without hostname, one certificate: no SNI callback at all.
  '{ name: any, port: 9443, protocol: HTTPS, tls: { certificateRefs: [{ name: cert-any }] } }',
)}---
${certA.yaml}---
${certB.yaml}---
${certAny.yaml}---
${service('echo', [echo.port])}---
${ROUTE}`

before(async () => {
  echo = await echoBackend('echo')
  cfg = configDir({ 'gw.yaml': byName() })
  s = await serve([cfg.dir], { accessLog: (l) => log.push(JSON.parse(l) as Record<string, unknown>) })
})

after(async () => {
  await s.close()
  await echo.close()
  cfg.remove()
})

async function request(port: number, servername: string, host = servername): Promise<{ status: number; cn: string; body: string }> {
  // Any SNI: these tests read which certificate came back.
  const r = await httpsGet(port, servername, host, ca, true)
  return { status: r.status, cn: String(r.cert.subject.CN), body: r.body }
}

test('the certificate is chosen by SNI, exact or wildcard, whatever its case', async () => {
  const a = await request(s.portOf(8443), 'A.Example.COM', 'a.example.com')
  assert.deepEqual([a.status, a.cn], [200, 'a.example.com'])
  assert.equal(JSON.parse(a.body).headers['x-forwarded-proto'], 'https')
  const b = await request(s.portOf(8443), 'x.y.b.example.com')
  assert.deepEqual([b.status, b.cn], [200, '*.b.example.com'])
})

test('a Host that belongs to another listener than the SNI chose answers 421, as on a peeked port', async () => {
  assert.equal((await request(s.portOf(8443), 'a.example.com', 'x.b.example.com')).status, 421)
  assert.equal((await request(s.portOf(8443), 'x.b.example.com', 'a.example.com')).status, 421)
  assert.equal((await request(s.portOf(8443), 'a.example.com', 'unknown.org')).status, 404)
})

test('an SNI no listener serves, or one that is no DNS name, is refused with unrecognized_name and logged', async () => {
  await assert.rejects(tlsConnect(s.portOf(8443), 'nobody.example.com', ca), /unrecognized name/i)
  await assert.rejects(tlsConnect(s.portOf(8443), 'b.example.com', ca), /unrecognized name/i)
  await assert.rejects(tlsConnect(s.portOf(8443), 'bad_name!.example.com', ca), /unrecognized name/i)
  await until(() => log.filter((l) => l.protocol === 'TLS' && l.listener === null).length >= 3)
  const refused = log.filter((l) => l.protocol === 'TLS' && l.listener === null)
  assert.deepEqual(refused.map((l) => [l.sni, l.error]), [
    ['nobody.example.com', 'no listener serves SNI nobody.example.com'],
    ['b.example.com', 'no listener serves SNI b.example.com'],
    ['bad_name!.example.com', 'the SNI is not a DNS host name (RFC 6066 §3)'],
  ])
  assert.ok(refused.every((l) => /^127\.0\.0\.1:\d+$/.test(String(l.client))), 'the client address is logged')
  // A refused connection is closed: nothing is left open on the port.
  await until(async () => (await fetch(`${s.adminUrl}/metrics`).then((r) => r.text())).includes('switchyard_open_connections 0'))
})

test('without SNI the first HTTPS listener answers, with its certificate', async () => {
  const sock = await tlsConnect(s.portOf(8443), '', ca, { checkServerIdentity: () => undefined })
  assert.equal(sock.getPeerCertificate().subject.CN, 'a.example.com')
  sock.destroy()
})

test('a port with one certificate and no hostname answers every name, and none, with it', async () => {
  for (const name of ['any.example.com', 'elsewhere.org', '']) {
    const r = await request(s.portOf(9443), name, 'any.example.com')
    assert.deepEqual([r.status, r.cn], [200, 'any.example.com'], `SNI ${JSON.stringify(name)}`)
  }
})

test('HTTP/2 is negotiated by ALPN on both kinds of direct port', async () => {
  for (const [port, servername] of [[s.portOf(8443), 'a.example.com'], [s.portOf(9443), 'any.example.com']] as const) {
    const session = http2.connect(`https://127.0.0.1:${port}`, { servername, ca })
    try {
      const { status, body } = await h2Request(session, { ':path': '/h2', ':authority': servername })
      assert.equal((session.socket as tls.TLSSocket).alpnProtocol, 'h2')
      assert.equal(status, 200)
      assert.equal(JSON.parse(body).url, '/h2')
    } finally {
      session.close()
    }
  }
})

/** One exchange on a fresh connection, offering `session`: whether it was resumed, and the ticket the gateway sent. */
function exchange(port: number, servername: string, session?: Buffer): Promise<{ reused: boolean; ticket: Buffer | undefined }> {
  return new Promise((resolve, reject) => {
    let ticket: Buffer | undefined
    const c = tls.connect({ port, host: '127.0.0.1', servername, ca, ...(session ? { session } : {}) }, () => c.write(`GET / HTTP/1.1\r\nHost: ${servername}\r\nConnection: close\r\n\r\n`))
    c.on('session', (t: Buffer) => (ticket = t))
    c.resume()
    c.on('end', () => resolve({ reused: c.isSessionReused(), ticket }))
    c.on('error', reject)
  })
}

test('a TLS 1.3 session resumes for the name it was made for, and not for another listener\'s', async () => {
  const first = await exchange(s.portOf(8443), 'a.example.com')
  assert.equal(first.reused, false)
  assert.ok(first.ticket, 'the gateway sent a session ticket')
  assert.equal((await exchange(s.portOf(8443), 'a.example.com', first.ticket)).reused, true)
  // The other name is served by another certificate: a full handshake, not the old session.
  assert.equal((await exchange(s.portOf(8443), 'x.b.example.com', first.ticket)).reused, false)
})

test('a reload that gives one listener its own minimum version puts the port back on the peek, and back again', async () => {
  cfg.write('gw.yaml', byName(', options: { switchyard.dev/minimum-tls-version: "1.3" }'))
  await until(async () => {
    const tls12 = await tlsConnect(s.portOf(8443), 'a.example.com', ca, { maxVersion: 'TLSv1.2' }).then((t) => (t.destroy(), 'served'), () => 'refused')
    return tls12 === 'refused'
  })
  // Its neighbour on the same port still takes TLS 1.2: the version is chosen per listener.
  const b12 = await tlsConnect(s.portOf(8443), 'x.b.example.com', ca, { maxVersion: 'TLSv1.2' })
  assert.equal(b12.getProtocol(), 'TLSv1.2')
  b12.destroy()
  cfg.write('gw.yaml', byName())
  await until(async () => {
    const tls12 = await tlsConnect(s.portOf(8443), 'a.example.com', ca, { maxVersion: 'TLSv1.2' }).then((t) => (t.destroy(), 'served'), () => 'refused')
    return tls12 === 'served'
  })
  assert.equal((await request(s.portOf(8443), 'a.example.com')).status, 200)
})
