import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import https from 'node:https'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type tls from 'node:tls'
import { closed, configDir, echoBackend, gatewayWith, l4Route, metric, readUntil, selfSignedCert, serve, service, tcpBackend, tlsBackend, tlsConnect, tlsSecret, until } from './serve-helpers.ts'

// The seed's TLS routing (gateway-api.md §6): foo.example.com passed through to foo-svc, which
// terminates TLS itself; bar.example.com terminated on the gateway and sent on as plain TCP to
// bar-svc; both on one port, beside an HTTPS listener and a wildcard passthrough listener whose
// exact and wildcard TLSRoutes sit side by side. Port 9443 has a passthrough listener alone.
const fooCert = selfSignedCert(['DNS:foo.example.com'])
const oneCert = selfSignedCert(['DNS:one.wild.test'])
const starCert = selfSignedCert(['DNS:*.wild.test'])
const barSecret = tlsSecret('bar-cert', ['bar.example.com'])
const webSecret = tlsSecret('web-cert', ['web.example.com'])

let foo: Awaited<ReturnType<typeof tlsBackend>>, one: Awaited<ReturnType<typeof tlsBackend>>, star: Awaited<ReturnType<typeof tlsBackend>>
let bar: Awaited<ReturnType<typeof tcpBackend>>, echo: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
let port = 0
const log: Record<string, unknown>[] = []

before(async () => {
  foo = await tlsBackend('foo', fooCert)
  one = await tlsBackend('one', oneCert)
  star = await tlsBackend('star', starCert)
  bar = await tcpBackend('bar')
  echo = await echoBackend('web')
  cfg = configDir({
    'gw.yaml': `${barSecret.yaml}---
${webSecret.yaml}---
${gatewayWith(
  '{ name: foo, port: 8443, protocol: TLS, hostname: foo.example.com, tls: { mode: Passthrough } }',
  '{ name: bar, port: 8443, protocol: TLS, hostname: bar.example.com, tls: { mode: Terminate, certificateRefs: [{ name: bar-cert }] } }',
  '{ name: web, port: 8443, protocol: HTTPS, hostname: web.example.com, tls: { certificateRefs: [{ name: web-cert }] } }',
  '{ name: wild, port: 8443, protocol: TLS, hostname: "*.wild.test", tls: { mode: Passthrough } }',
  '{ name: empty, port: 8443, protocol: TLS, hostname: "*.empty.test", tls: { mode: Passthrough } }',
  '{ name: strict, port: 8443, protocol: TLS, hostname: strict.example.com, tls: { mode: Terminate, certificateRefs: [{ name: bar-cert }], options: { switchyard.dev/minimum-tls-version: "1.3" } } }',
  '{ name: alone, port: 9443, protocol: TLS, tls: { mode: Passthrough } }',
)}---
${service('foo-svc', [foo.port])}---
${service('bar-svc', [bar.port])}---
${service('one-svc', [one.port])}---
${service('star-svc', [star.port])}---
${service('web', [echo.port])}${l4Route('TLSRoute', 'foo-route', ['foo-svc'], { section: 'foo', hostnames: ['foo.example.com'] })}${l4Route('TLSRoute', 'bar-route', ['bar-svc'], { section: 'bar', hostnames: ['bar.example.com'] })}${l4Route('TLSRoute', 'star', ['star-svc'], { section: 'wild', hostnames: ['*.wild.test'] })}${l4Route('TLSRoute', 'exact', ['one-svc'], { section: 'wild', hostnames: ['one.wild.test'] })}${l4Route('TLSRoute', 'alone', ['foo-svc'], { section: 'alone', hostnames: ['foo.example.com'] })}${l4Route('TLSRoute', 'strict', ['bar-svc'], { section: 'strict', hostnames: ['strict.example.com'] })}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web }
spec:
  parentRefs: [{ name: gw, sectionName: web }]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
`,
  })
  s = await serve([cfg.dir], { accessLog: (l) => log.push(JSON.parse(l) as Record<string, unknown>) })
  port = s.portOf(8443)
})

after(async () => {
  await s.close()
  await Promise.all([foo.close(), one.close(), star.close(), bar.close(), echo.close()])
  cfg.remove()
})

/** The first line a TLS backend writes after its handshake. */
async function hello(sock: tls.TLSSocket): Promise<{ backend: string; sni: string | null; alpn: string | null }> {
  const text = await readUntil(sock, (t) => t.includes('\n'))
  return JSON.parse(text.slice(0, text.indexOf('\n'))) as { backend: string; sni: string | null; alpn: string | null }
}

test('a passthrough route reaches a backend that presents its own certificate and sees the original SNI', async () => {
  const sock = await tlsConnect(port, 'foo.example.com', [fooCert.certPem], { ALPNProtocols: ['h2'] })
  try {
    assert.equal(sock.getPeerCertificate().subject.CN, 'foo.example.com')
    // The backend negotiated ALPN itself: the gateway never terminated this connection.
    assert.deepEqual(await hello(sock), { backend: 'foo', sni: 'foo.example.com', alpn: 'h2' })
    sock.write('ping')
    assert.equal(await readUntil(sock, (t) => t.includes('foo:ping')), 'foo:ping')
  } finally {
    sock.destroy()
  }
})

test('a terminate listener presents the gateway’s certificate and sends the plain stream on, half-close included', async () => {
  const sock = await tlsConnect(port, 'bar.example.com', [barSecret.certPem], { ALPNProtocols: ['h2', 'http/1.1'] })
  try {
    assert.equal(sock.getPeerCertificate().subject.CN, 'bar.example.com')
    // A TLS Terminate listener offers no ALPN (the IR's list is empty), so none is negotiated.
    assert.equal(sock.alpnProtocol, false)
    sock.write('hello')
    assert.equal(await readUntil(sock, (t) => t === 'bar:hello'), 'bar:hello')
    // Our end (close_notify, FIN) reaches the backend, whose answer still comes back.
    const rest = readUntil(sock, (t) => t === 'bar:bye')
    sock.end()
    assert.equal(await rest, 'bar:bye')
  } finally {
    sock.destroy()
  }
})

test('HTTPS on the same port is told apart by SNI and still serves HTTP/1.1 and h2', async () => {
  const body = await new Promise<string>((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, servername: 'web.example.com', ca: [webSecret.certPem], path: '/x', headers: { host: 'web.example.com' }, agent: false }, (res) => {
      let b = ''
      res.on('data', (c: Buffer) => (b += c))
      res.on('end', () => resolve(b))
    })
    req.on('error', reject)
    req.end()
  })
  assert.equal(JSON.parse(body).backend, 'web')
  const sock = await tlsConnect(port, 'web.example.com', [webSecret.certPem], { ALPNProtocols: ['h2'] })
  assert.equal(sock.alpnProtocol, 'h2')
  sock.destroy()
})

test('an exact TLSRoute beats a wildcard one, and the wildcard takes every other name under it', async () => {
  for (const [sni, backend, ca] of [['one.wild.test', 'one', oneCert], ['two.wild.test', 'star', starCert], ['a.b.wild.test', 'star', starCert]] as const) {
    // The wildcard certificate covers one label only; the handshake check is not what is tested here.
    const sock = await tlsConnect(port, sni, [ca.certPem], { checkServerIdentity: () => undefined })
    try {
      assert.deepEqual(await hello(sock), { backend, sni, alpn: null }, sni)
    } finally {
      sock.destroy()
    }
  }
})

test('a terminate listener’s minimum TLS version refuses older clients in the handshake, and the refusal is logged', async () => {
  const anyName = { checkServerIdentity: () => undefined }
  await assert.rejects(tlsConnect(port, 'strict.example.com', [barSecret.certPem], { ...anyName, maxVersion: 'TLSv1.2' }), /protocol version|unsupported protocol/i)
  await until(() => log.some((l) => l.sni === 'strict.example.com' && /^TLS handshake: /.test(String(l.error))))
  const ok = await tlsConnect(port, 'strict.example.com', [barSecret.certPem], anyName)
  assert.equal(ok.getProtocol(), 'TLSv1.3')
  ok.write('new enough')
  assert.equal(await readUntil(ok, (t) => t === 'bar:new enough'), 'bar:new enough')
  ok.destroy()
})

test('an SNI no listener or TLSRoute serves is refused with unrecognized_name', async () => {
  await assert.rejects(tlsConnect(port, 'nobody.example.com', []), /unrecognized name/i)
  await assert.rejects(tlsConnect(port, 'a.empty.test', []), /unrecognized name/i)
})

test('without SNI, a port with an HTTPS listener answers with its certificate, a passthrough-only port refuses', async () => {
  const sock = await tlsConnect(port, '', [webSecret.certPem], { checkServerIdentity: () => undefined })
  assert.equal(sock.getPeerCertificate().subject.CN, 'web.example.com')
  sock.destroy()
  await assert.rejects(tlsConnect(s.portOf(9443), '', []), /unrecognized name/i)
  // With SNI the same port passes through.
  const ok = await tlsConnect(s.portOf(9443), 'foo.example.com', [fooCert.certPem])
  assert.equal((await hello(ok)).backend, 'foo')
  ok.destroy()
})

test('openssl s_client reaches the backend’s certificate through passthrough and the gateway’s through terminate', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-sclient-'))
  try {
    writeFileSync(join(dir, 'foo.pem'), fooCert.certPem)
    writeFileSync(join(dir, 'bar.pem'), barSecret.certPem)
    // The passthrough backend's first line carries the SNI it saw.
    const foo = await sClient(['-servername', 'foo.example.com', '-CAfile', join(dir, 'foo.pem')], '', /"sni":"foo\.example\.com"/)
    assert.match(foo.out, /subject=CN\s*=\s*foo\.example\.com/)
    assert.match(foo.out, /Verify return code: 0 \(ok\)/)
    const bar = await sClient(['-servername', 'bar.example.com', '-CAfile', join(dir, 'bar.pem')], 'ping\n', /bar:ping/)
    assert.match(bar.out, /subject=CN\s*=\s*bar\.example\.com/)
    assert.match(bar.out, /Verify return code: 0 \(ok\)/)
    const unknown = await sClient(['-servername', 'nobody.example.com'], '', null)
    assert.notEqual(unknown.code, 0)
    assert.match(unknown.out, /unrecognized name/i)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

/**
 * Runs `openssl s_client` against the gateway, writes `input`, and closes its stdin (which makes it
 * say goodbye and exit) once its output matches `waitFor`; resolves when it exits.
 */
function sClient(args: readonly string[], input: string, waitFor: RegExp | null): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    const onOutput = (d: Buffer) => {
      out += d
      if (waitFor?.test(out)) child.stdin.end()
    }
    child.stdout.on('data', onOutput)
    child.stderr.on('data', onOutput)
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, out })
    })
    child.stdin.on('error', () => {})
    if (waitFor === null) child.stdin.end(input)
    else child.stdin.write(input)
  })
}

test('every connection is counted per route in /metrics and logged as one JSON line with its route and bytes', async () => {
  const sock = await tlsConnect(port, 'bar.example.com', [barSecret.certPem])
  sock.write('metered')
  await readUntil(sock, (t) => t === 'bar:metered')
  sock.end()
  await closed(sock)
  const labels = 'protocol="TLS terminate",listener="default/gw/bar",route="tlsroute/default/bar-route/rule/0"'
  await until(async () => (await metric(s.adminUrl, `switchyard_l4_connections_total{${labels},result="ok"}`)) >= 1)
  assert.ok((await metric(s.adminUrl, `switchyard_l4_bytes_total{${labels},direction="to_backend"}`)) >= 'metered'.length)
  assert.ok((await metric(s.adminUrl, `switchyard_l4_bytes_total{${labels},direction="to_client"}`)) >= 'bar:metered'.length)
  assert.ok((await metric(s.adminUrl, 'switchyard_l4_connections_total{protocol="TLS passthrough",listener="default/gw/foo",route="tlsroute/default/foo-route/rule/0",result="ok"}')) >= 1)
  const line = log.find((l) => l.protocol === 'TLS terminate' && l.route === 'tlsroute/default/bar-route/rule/0' && l.bytesIn === 'metered'.length)
  assert.ok(line, JSON.stringify(log))
  assert.equal(line.msg, 'access')
  assert.equal(line.sni, 'bar.example.com')
  assert.equal(line.backend, 'tlsroute/default/bar-route/rule/0/backend/0')
  assert.equal(line.error, null)
  const refused = log.find((l) => l.sni === 'nobody.example.com')
  assert.ok(refused && typeof refused.error === 'string' && refused.route === null, JSON.stringify(refused))
})
