import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import net from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { accepts, freePort, waitFor } from '../bench/procs.ts'

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
