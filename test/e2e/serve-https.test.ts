import assert from 'node:assert/strict'
import http2 from 'node:http2'
import https from 'node:https'
import tls from 'node:tls'
import { after, before, test } from 'node:test'
import { configDir, echoBackend, gatewayWith, serve, service, tlsSecret } from './serve-helpers.ts'

// HTTPS: certificates chosen by SNI, HTTP/2 over TLS (ALPN), misdirected requests (421).
let echo: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
let port = 0
const certA = tlsSecret('cert-a', ['a.example.com'])
const certB = tlsSecret('cert-b', ['*.b.example.com'])
const ca = [certA.certPem, certB.certPem]

before(async () => {
  echo = await echoBackend('echo')
  cfg = configDir({
    'gw.yaml': `${certA.yaml}---
${certB.yaml}---
${gatewayWith(
  '{ name: a, port: 8443, protocol: HTTPS, hostname: a.example.com, tls: { certificateRefs: [{ name: cert-a }] } }',
  '{ name: b, port: 8443, protocol: HTTPS, hostname: "*.b.example.com", tls: { certificateRefs: [{ name: cert-b }] } }',
)}---
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

function request(servername: string, host: string): Promise<{ status: number; cert: tls.PeerCertificate; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, servername, ca, path: '/x', headers: { host }, agent: false }, (res) => {
      const cert = (res.socket as tls.TLSSocket).getPeerCertificate()
      let body = ''
      res.on('data', (c: Buffer) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cert, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

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
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = session.request({ ':path': '/h2', ':authority': 'a.example.com' })
      let status = 0
      let body = ''
      req.on('response', (h) => (status = Number(h[':status'])))
      req.on('data', (c: Buffer) => (body += c))
      req.on('end', () => resolve({ status, body }))
      req.on('error', reject)
      req.end()
    })
    assert.equal((session.socket as tls.TLSSocket).alpnProtocol, 'h2')
    assert.equal(status, 200)
    const e = JSON.parse(body)
    assert.equal(e.url, '/h2')
    assert.equal(e.headers.host, 'a.example.com')
  } finally {
    session.close()
  }
})
