import assert from 'node:assert/strict'
import http2 from 'node:http2'
import tls from 'node:tls'
import { after, before, test } from 'node:test'
import { compile, Runtime } from '../../src/dataplane/index.ts'
import type * as ir from '../../src/ir/index.ts'
import { configDir, echoBackend, gatewayWith, h2Request, httpsGet, readUntil, selfSignedCert, serve, service, tlsConnect, tlsSecret, webSocket } from './serve-helpers.ts'

// HTTPS: certificates chosen by SNI, HTTP/2 over TLS (ALPN), misdirected requests (421), the
// listener's minimum TLS version, WebSocket over TLS, per-listener ALPN.
let echo: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
let port = 0
const certA = tlsSecret('cert-a', ['a.example.com'])
const certB = tlsSecret('cert-b', ['*.b.example.com'])
const certM = tlsSecret('cert-m', ['modern.example.com'])
const ca = [certA.certPem, certB.certPem, certM.certPem]

before(async () => {
  echo = await echoBackend('echo')
  cfg = configDir({
    'gw.yaml': `${certA.yaml}---
${certB.yaml}---
${gatewayWith(
  '{ name: a, port: 8443, protocol: HTTPS, hostname: a.example.com, tls: { certificateRefs: [{ name: cert-a }] } }',
  '{ name: b, port: 8443, protocol: HTTPS, hostname: "*.b.example.com", tls: { certificateRefs: [{ name: cert-b }] } }',
  '{ name: modern, port: 8443, protocol: HTTPS, hostname: modern.example.com, tls: { certificateRefs: [{ name: cert-m }], options: { switchyard.dev/minimum-tls-version: "1.3" } } }',
)}---
${certM.yaml}---
${service('echo', [echo.port])}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ backendRefs: [{ name: echo, port: 80 }] }]
`,
  })
  s = await serve([cfg.dir])
  port = s.portOf(8443)
})

after(async () => {
  await s.close()
  await echo.close()
  cfg.remove()
})

const request = (servername: string, host: string) => httpsGet(port, servername, host, ca)

test('the certificate is chosen by SNI, and the request reaches the backend over HTTPS', async () => {
  const a = await request('a.example.com', 'a.example.com')
  assert.equal(a.status, 200)
  assert.equal(a.cert.subject.CN, 'a.example.com')
  const e = JSON.parse(a.body)
  assert.equal(e.headers['x-forwarded-proto'], 'https')
  const b = await request('x.b.example.com', 'x.b.example.com')
  assert.equal(b.status, 200)
  assert.equal(b.cert.subject.CN, '*.b.example.com')
})

test('a Host that belongs to another listener than the SNI chose answers 421', async () => {
  assert.equal((await request('a.example.com', 'x.b.example.com')).status, 421)
  assert.equal((await request('a.example.com', 'unknown.org')).status, 404)
})

test('an SNI no listener serves is refused during the handshake', async () => {
  await assert.rejects(request('unknown.org', 'unknown.org'))
})

test('HTTP/2 clients negotiate h2 by ALPN and are proxied to an HTTP/1.1 backend', async () => {
  const session = http2.connect(`https://127.0.0.1:${port}`, { servername: 'a.example.com', ca })
  try {
    const { status, body } = await h2Request(session, { ':path': '/h2', ':authority': 'a.example.com' })
    assert.equal((session.socket as tls.TLSSocket).alpnProtocol, 'h2')
    assert.equal(status, 200)
    const e = JSON.parse(body)
    assert.equal(e.url, '/h2')
    assert.equal(e.headers.host, 'a.example.com')
  } finally {
    session.close()
  }
})

test('a listener whose minimum is TLS 1.3 refuses a TLS 1.2 client in the handshake; its neighbours still take TLS 1.2', async () => {
  await assert.rejects(tlsConnect(port, 'modern.example.com', ca, { maxVersion: 'TLSv1.2' }), /protocol version|unsupported protocol/i)
  const ok = await tlsConnect(port, 'modern.example.com', ca, { maxVersion: 'TLSv1.3' })
  assert.equal(ok.getProtocol(), 'TLSv1.3')
  ok.destroy()
  const old = await tlsConnect(port, 'a.example.com', ca, { maxVersion: 'TLSv1.2' })
  assert.equal(old.getProtocol(), 'TLSv1.2')
  old.destroy()
})

test('the server chooses the TLS 1.3 suite: AES-128-GCM over a client\'s AES-256 preference, ChaCha20 for a client that puts it first, and any suite a client insists on', async () => {
  const suite = async (ciphers: string) => {
    const s = await tlsConnect(port, 'a.example.com', ca, { minVersion: 'TLSv1.3', ciphers })
    const name = s.getCipher().standardName
    s.destroy()
    return name
  }
  // OpenSSL's own client order (and node's) starts with AES-256-GCM.
  assert.equal(await suite(tls.DEFAULT_CIPHERS), 'TLS_AES_128_GCM_SHA256')
  assert.equal(await suite('TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256'), 'TLS_CHACHA20_POLY1305_SHA256')
  assert.equal(await suite('TLS_AES_256_GCM_SHA384'), 'TLS_AES_256_GCM_SHA384')
})

test('a WebSocket upgrade over HTTPS is spliced to the backend and echoes both ways', async () => {
  const { headers, socket } = await webSocket(port, '/ws', 'a.example.com', { servername: 'a.example.com', ca })
  assert.equal(headers['x-backend'], 'echo')
  socket.write('over tls')
  assert.equal(await readUntil(socket, (t) => t === 'over tls'), 'over tls')
  socket.destroy()
})

test('each listener offers its own ALPN list from the IR: a client offering none of it is refused', async () => {
  // The translator always offers h2 and http/1.1 on HTTPS; the IR allows any list, so build one.
  const backend = await echoBackend('alpn')
  const cert = selfSignedCert(['DNS:old.example.com'])
  const snapshot: ir.Snapshot = {
    ports: [{
      kind: 'tls', name: '*:443', address: null, port: 443, detectMisdirectedRequests: false,
      listeners: [{
        kind: 'https', name: 'default/gw/old', hostname: null,
        tls: { certificates: [{ name: 'default/old', certPem: cert.certPem, keyPem: cert.keyPem, dnsNames: ['old.example.com'] }], minVersion: 'TLSv1.2', alpn: ['http/1.1'] },
        virtualHosts: [{ hostname: '*', routes: [{ name: 'httproute/default/r/rule/0/match/0', match: { path: { kind: 'prefix', value: '/' }, method: null, headers: [], queryParams: [] }, filters: [], action: { kind: 'forward', backends: [{ kind: 'service', name: 'httproute/default/r/rule/0/backend/0', weight: 1, service: 'default/alpn:80', endpoints: [{ address: '127.0.0.1', port: backend.port }], appProtocol: 'http1', filters: [] }], timeouts: { requestMs: null, backendRequestMs: null }, retry: null } }] }],
      }],
    }],
  }
  const runtime = new Runtime({ ephemeralPorts: true })
  try {
    await runtime.apply(compile(snapshot))
    const p = runtime.bound()[0]!.port
    await assert.rejects(tlsConnect(p, 'old.example.com', [cert.certPem], { ALPNProtocols: ['h2'] }), /no application protocol/i)
    const ok = await tlsConnect(p, 'old.example.com', [cert.certPem], { ALPNProtocols: ['h2', 'http/1.1'] })
    assert.equal(ok.alpnProtocol, 'http/1.1')
    ok.write('GET /alpn HTTP/1.1\r\nhost: old.example.com\r\nconnection: close\r\n\r\n')
    assert.match(await readUntil(ok, (t) => t.includes('"backend":"alpn"')), /^HTTP\/1\.1 200/)
    ok.destroy()
  } finally {
    await runtime.close()
    await backend.close()
  }
})
