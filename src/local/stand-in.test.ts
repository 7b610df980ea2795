import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import tls from 'node:tls'
import { LocalCA } from './local-ca.ts'
import { startStandIn, type StandIn } from './stand-in.ts'

let dir: string
let ca: LocalCA
let tcp: StandIn
let udp: StandIn

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-standin-'))
  ca = LocalCA.open(dir)
  const certificate = () => ca.issue(['foo.example.com', 'localhost'])
  tcp = await startStandIn({ identity: { container: 'shop/web', port: 'http' }, protocol: 'TCP', host: '127.0.0.1', port: 0, certificate })
  udp = await startStandIn({ identity: { container: 'dns', port: 'dns' }, protocol: 'UDP', host: '127.0.0.1', port: 0, certificate })
})
after(async () => {
  await tcp.close()
  await udp.close()
  rmSync(dir, { recursive: true, force: true })
})

test('HTTP: the stand-in answers JSON with its identity and the request it saw', { timeout: 10_000 }, async () => {
  const body = await new Promise<string>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: tcp.port, method: 'POST', path: '/cart/items?n=2', headers: { 'x-tenant': 'a' }, agent: false }, (res) => {
      assert.equal(res.headers['x-stand-in'], 'shop/web')
      let b = ''
      res.on('data', (c: Buffer) => (b += c))
      res.on('end', () => resolve(b))
    })
    req.on('error', reject)
    req.end('hello')
  })
  const j = JSON.parse(body)
  assert.equal(j.container, 'shop/web')
  assert.equal(j.port, 'http')
  assert.equal(j.localPort, tcp.port)
  assert.equal(j.method, 'POST')
  assert.equal(j.path, '/cart/items')
  assert.deepEqual(j.query, { n: '2' })
  assert.equal(j.headers['x-tenant'], 'a')
  assert.equal(j.body, 'hello')
})

test('TCP: anything that is not HTTP or TLS gets an identity line, then its bytes echoed', { timeout: 10_000 }, async () => {
  const got = await new Promise<string>((resolve, reject) => {
    const s = net.connect(tcp.port, '127.0.0.1', () => s.write('ping 1\n'))
    let data = ''
    s.on('data', (c: Buffer) => {
      data += c
      if (data.endsWith('ping 1\n')) s.end()
    })
    s.on('end', () => resolve(data))
    s.on('error', reject)
  })
  const [line, echo] = got.split('\n')
  assert.deepEqual(JSON.parse(line!), { standIn: true, container: 'shop/web', port: 'http', localPort: tcp.port, protocol: 'tcp' })
  assert.equal(echo, 'ping 1')
})

test('TLS: the stand-in terminates with a certificate from the local CA and reports the SNI it saw', { timeout: 20_000 }, async () => {
  const body = await new Promise<string>((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: tcp.port, path: '/', agent: false, headers: { host: 'foo.example.com' }, servername: 'foo.example.com', ca: ca.certPem },
      (res) => {
        let b = ''
        res.on('data', (c: Buffer) => (b += c))
        res.on('end', () => resolve(b))
      },
    )
    req.on('error', reject)
    req.end()
  })
  const j = JSON.parse(body)
  assert.equal(j.protocol, 'https')
  assert.deepEqual(j.tls, { sni: 'foo.example.com' })
  // Raw bytes inside TLS: the identity line carries the SNI too.
  const raw = await new Promise<string>((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port: tcp.port, servername: 'foo.example.com', ca: ca.certPem }, () => s.write('hi\n'))
    let data = ''
    s.on('data', (c: Buffer) => {
      data += c
      if (data.endsWith('hi\n')) s.end()
    })
    s.on('close', () => resolve(data))
    s.on('error', reject)
  })
  assert.deepEqual(JSON.parse(raw.split('\n')[0]!), { standIn: true, container: 'shop/web', port: 'http', localPort: tcp.port, protocol: 'tls', tls: { sni: 'foo.example.com' } })
  // A name the certificate does not carry fails verification, as it should.
  await assert.rejects(
    new Promise((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: tcp.port, servername: 'other.test', ca: ca.certPem }, () => resolve(s.end()))
      s.on('error', reject)
    }),
    /altnames|ERR_TLS_CERT_ALTNAME_INVALID/,
  )
})

test('UDP: each datagram is answered with the identity line and the datagram', { timeout: 10_000 }, async () => {
  const s = dgram.createSocket('udp4')
  const reply = new Promise<Buffer>((resolve) => s.once('message', resolve))
  s.send('query', udp.port, '127.0.0.1')
  const msg = (await reply).toString()
  s.close()
  const [line, rest] = msg.split('\n')
  assert.deepEqual(JSON.parse(line!), { standIn: true, container: 'dns', port: 'dns', localPort: udp.port, protocol: 'udp' })
  assert.equal(rest, 'query')
})
