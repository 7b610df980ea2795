import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import tls from 'node:tls'
import { accepts, freePort, waitFor } from '../bench/procs.ts'
import { selfSignedCert } from './e2e/serve-helpers.ts'

/**
 * The calibration peer (bench/node-raw-proxy.ts) is only a fair ceiling if it proxies for real:
 * start it against a real backend on loopback and check that responses come back intact over
 * reused connections, matched to their requests.
 */
test('the calibration peer relays requests and whole responses over pooled keep-alive connections', { timeout: 30_000 }, async (t) => {
  const big = randomBytes(64 * 1024)
  const upstreamConnections = new Set<net.Socket>()
  const backend = http.createServer((req, res) => {
    upstreamConnections.add(req.socket)
    const parts: Buffer[] = []
    req.on('data', (b: Buffer) => parts.push(b))
    req.on('end', () => {
      if (req.url === '/big') return void res.end(big)
      if (req.url === '/empty') return void res.writeHead(204).end()
      if (req.method === 'HEAD') return void res.writeHead(200, { 'content-length': '1234' }).end()
      res.setHeader('x-seen-host', req.headers.host ?? '')
      res.end(`${req.method} ${req.url} ${Buffer.concat(parts).toString('hex')}`)
    })
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const backendPort = (backend.address() as net.AddressInfo).port
  const port = await freePort()
  const proxy = spawn(process.execPath, [join(import.meta.dirname, '..', 'bench', 'node-raw-proxy.ts'), String(port), String(backendPort)], { stdio: 'ignore' })
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })
  t.after(async () => {
    agent.destroy()
    const exited = new Promise((r) => proxy.once('exit', r))
    if (proxy.exitCode === null) proxy.kill('SIGTERM')
    await exited
    backend.closeAllConnections()
    await new Promise((r) => backend.close(r))
  })
  await waitFor('the calibration peer to listen', 10_000, () => accepts(port))

  const send = async (method: string, path: string, body?: Buffer) =>
    await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; socket: net.Socket }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-length': body.length } : {} }, (res) => {
        const parts: Buffer[] = []
        res.on('data', (b: Buffer) => parts.push(b))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts), socket: res.socket }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })

  const clientSockets = new Set<net.Socket>()
  // Many exchanges, four at a time, with bodies of every size: each answer names its own request.
  const jobs = Array.from({ length: 60 }, (_, i) => ({ i, body: i % 3 === 0 ? randomBytes(i * 97) : undefined }))
  const results = await Promise.all(jobs.map(async ({ i, body }) => ({ i, body, r: await send(body ? 'POST' : 'GET', `/n/${i}`, body) })))
  for (const { i, body, r } of results) {
    clientSockets.add(r.socket)
    assert.equal(r.status, 200)
    assert.equal(r.headers['x-seen-host'], `127.0.0.1:${port}`)
    assert.equal(r.body.toString(), `${body ? 'POST' : 'GET'} /n/${i} ${body ? body.toString('hex') : ''}`)
  }
  const big1 = await send('GET', '/big')
  assert.ok(big1.body.equals(big), 'a 64 KiB body arrives byte for byte')
  assert.equal((await send('GET', '/empty')).status, 204)
  const head = await send('HEAD', '/anything')
  assert.equal(head.headers['content-length'], '1234')
  assert.equal(head.body.length, 0)
  assert.ok((await send('GET', '/big')).body.equals(big), 'the connection is still in step after HEAD and 204')
  // Keep-alive on both sides: a handful of connections carried 64 exchanges.
  assert.ok(clientSockets.size <= 4, `${clientSockets.size} client connections`)
  assert.ok(upstreamConnections.size <= 4, `${upstreamConnections.size} upstream connections`)
})

/**
 * The handshake scenario's calibration: TLS in front, and each request saying `Connection: close`.
 * The client must be told and closed after its response (else wrk would reuse a connection the
 * peer drops), while the upstream connection stays pooled (else the ceiling would pay a backend
 * connect per handshake that no real proxy pays).
 */
test('with a certificate the calibration peer terminates TLS; Connection: close closes the client, not the upstream', { timeout: 30_000 }, async (t) => {
  const upstreamConnections = new Set<net.Socket>()
  const seenConnection: (string | undefined)[] = []
  const backend = http.createServer((req, res) => {
    upstreamConnections.add(req.socket)
    seenConnection.push(req.headers.connection)
    res.end(`${req.url}`)
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const backendPort = (backend.address() as net.AddressInfo).port
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-raw-tls-'))
  const cert = selfSignedCert(['DNS:localhost'])
  writeFileSync(join(dir, 'c.pem'), cert.certPem)
  writeFileSync(join(dir, 'k.pem'), cert.keyPem)
  const port = await freePort()
  const proxy = spawn(process.execPath, [join(import.meta.dirname, '..', 'bench', 'node-raw-proxy.ts'), String(port), String(backendPort), join(dir, 'c.pem'), join(dir, 'k.pem')], { stdio: 'ignore' })
  t.after(async () => {
    const exited = new Promise((r) => proxy.once('exit', r))
    if (proxy.exitCode === null) proxy.kill('SIGTERM')
    await exited
    backend.closeAllConnections()
    await new Promise((r) => backend.close(r))
    rmSync(dir, { recursive: true, force: true })
  })
  await waitFor('the calibration peer to listen', 10_000, () => accepts(port))

  // One raw TLS connection per request, as wrk makes them: read until the peer closes.
  const exchange = async (path: string) =>
    await new Promise<string>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: [cert.certPem] }, () => s.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`))
      let text = ''
      s.on('data', (d: Buffer) => (text += d.toString('latin1')))
      s.on('end', () => resolve(text))
      s.on('error', reject)
    })
  for (let i = 0; i < 5; i++) {
    const text = await exchange(`/c/${i}`)
    assert.match(text, /^HTTP\/1\.1 200 /)
    assert.equal(text.match(/\r\nconnection:/gi)?.length, 1, text)
    assert.match(text, /\r\nconnection: close\r\n/i)
    assert.ok(text.endsWith(`\r\n\r\n/c/${i}`), text)
  }
  assert.deepEqual(seenConnection, Array(5).fill(undefined), 'the client\'s Connection: close is not passed to the backend')
  assert.equal(upstreamConnections.size, 1, 'one pooled upstream connection carried all five')
})
