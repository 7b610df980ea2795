import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { Readable } from 'node:stream'
import { test } from 'node:test'
import { configDir, gatewayWith, get, serve, service } from './serve-helpers.ts'

const SIZE = 64 << 20
const CHUNK = 1 << 16

/** SIZE bytes, generated as they are read (never held whole), and their SHA-256 once read. */
function payload(): { stream: Readable; digest: () => string } {
  const block = randomBytes(CHUNK)
  const hash = createHash('sha256')
  let i = 0
  const stream = new Readable({
    read() {
      if (i === SIZE / CHUNK) return void this.push(null)
      const chunk = Buffer.from(block)
      chunk.writeUInt32BE(i++, 0)
      hash.update(chunk)
      this.push(chunk)
    },
  })
  return { stream, digest: () => hash.digest('hex') }
}

/** A Gateway listening on `port` with one route, everything to `backend`. */
function oneRoute(port: number, backend: http.Server): string {
  return `${gatewayWith(`{ name: http, port: ${port}, protocol: HTTP }`)}---
${service('big', [(backend.address() as AddressInfo).port])}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec: { parentRefs: [{ name: gw }], rules: [{ backendRefs: [{ name: big, port: 80 }] }] }
`
}

// Bodies stream both ways through the HTTP proxy (RFC 9112 chunked and fixed-length), and upstream
// connections are kept alive and reused per endpoint.
test('a 64 MiB upload and a 64 MiB download stream through with their bytes intact; upstream connections are reused', { timeout: 120_000 }, async () => {
  const sockets = new Set<Socket>()
  let served = ''
  const backend = http.createServer((req, res) => {
    sockets.add(req.socket)
    if (req.method === 'POST') {
      const hash = createHash('sha256')
      let n = 0
      req.on('data', (d: Buffer) => ((n += d.length), hash.update(d)))
      req.on('end', () => res.end(`${n} ${hash.digest('hex')}`))
    } else if (req.url === '/download') {
      const p = payload()
      res.writeHead(200, { 'content-length': SIZE })
      p.stream.pipe(res)
      p.stream.once('end', () => (served = p.digest()))
    } else res.end('small')
  })
  backend.keepAliveTimeout = 10_000
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const cfg = configDir({ 'gw.yaml': oneRoute(8099, backend) })
  const s = await serve([cfg.dir])
  const port = s.portOf(8099)
  try {
    const up = payload()
    const answer = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', headers: { host: 'x' }, agent: false }, (res) => {
        let b = ''
        res.on('data', (d: Buffer) => (b += d))
        res.on('end', () => resolve(b))
      })
      req.on('error', reject)
      up.stream.pipe(req)
    })
    assert.equal(answer, `${SIZE} ${up.digest()}`)

    const got = await new Promise<{ n: number; digest: string }>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/download', headers: { host: 'x' }, agent: false }, (res) => {
        const hash = createHash('sha256')
        let n = 0
        res.on('data', (d: Buffer) => ((n += d.length), hash.update(d)))
        res.on('end', () => resolve({ n, digest: hash.digest('hex') }))
      }).on('error', reject)
    })
    assert.deepEqual(got, { n: SIZE, digest: served })

    // Sequential requests, each on a new client connection, share the gateway's pooled upstream connection.
    const before = sockets.size
    for (let i = 0; i < 20; i++) assert.equal((await get(port, '/small', { host: 'x' })).body, 'small')
    assert.ok(sockets.size - before <= 1, `${sockets.size - before} new upstream connections for 20 requests`)
  } finally {
    await s.close()
    await new Promise<void>((r) => (backend.close(() => r()), backend.closeAllConnections()))
    cfg.remove()
  }
})

// The gateway reads backend responses into one shared buffer and copies what outlives a read
// (h1-client.ts READ_BUFFER): every framing, to a client that reads slowly (the backend's
// socket pauses and resumes) and to an HTTP/2 client, must arrive byte for byte.
test('chunked and read-until-close downloads arrive intact at a slow HTTP/1.1 reader and an HTTP/2 client', { timeout: 60_000 }, async () => {
  const size = 8 << 20
  const body = randomBytes(size)
  const want = createHash('sha256').update(body).digest('hex')
  const backend = http.createServer((req, res) => {
    if (req.url === '/close') res.shouldKeepAlive = false
    // No Content-Length: chunked on a keep-alive response, read until close otherwise.
    res.writeHead(200, req.url === '/close' ? { connection: 'close' } : {})
    // Uneven writes, so chunk boundaries and reads fall anywhere.
    for (let at = 0, k = 1; at < size; k = (k * 7919) % 65521) {
      const n = Math.min(1 + (k % 50_000), size - at)
      res.write(body.subarray(at, at + n))
      at += n
    }
    res.end()
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const cfg = configDir({ 'gw.yaml': oneRoute(8101, backend) })
  const s = await serve([cfg.dir])
  const port = s.portOf(8101)
  const slowGet = (path: string) =>
    new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path, headers: { host: 'x' }, agent: false }, (res) => {
        const hash = createHash('sha256')
        // Pause after every chunk and resume on the next turn: the gateway's socket towards this
        // client fills, and the backend's is paused and resumed many times.
        res.on('data', (d: Buffer) => {
          hash.update(d)
          res.pause()
          setImmediate(() => res.resume())
        })
        res.on('end', () => resolve(hash.digest('hex')))
      }).on('error', reject)
    })
  const session = (await import('node:http2')).connect(`http://127.0.0.1:${port}`)
  try {
    assert.equal(await slowGet('/chunked'), want)
    assert.equal(await slowGet('/close'), want)
    const h2 = await new Promise<string>((resolve, reject) => {
      const req = session.request({ ':path': '/chunked', ':authority': 'x' })
      const hash = createHash('sha256')
      req.on('data', (d: Buffer) => hash.update(d))
      req.on('end', () => resolve(hash.digest('hex')))
      req.on('error', reject)
      req.end()
    })
    assert.equal(h2, want)
  } finally {
    session.close()
    await s.close()
    await new Promise<void>((r) => (backend.close(() => r()), backend.closeAllConnections()))
    cfg.remove()
  }
})

test('a client that does not read holds back only its own responses: they arrive intact, and others are served meanwhile', { timeout: 60_000 }, async () => {
  // One client pipelines 300 requests and does not read, so the gateway's writes to it stay
  // pending and its upstream connections are paused by its backpressure; others fetch 600 bodies
  // meanwhile. Two things are at stake:
  // - an upstream connection paused for the slow client must not go back to the pool paused
  //   (h1-client.ts): the next response on it would never be read, for whichever client;
  // - copies of response bytes waiting to be written share one slab, used again only once every
  //   socket given some of it has written it all (write-slab.ts): 600 bodies go round it many
  //   times, and the waiting client's bytes must not be overwritten.
  // Then the first client reads: every body must be the one its request asked for.
  const bodyOf = (i: number): Buffer => {
    const block = createHash('sha256').update(String(i)).digest()
    const body = Buffer.alloc(1000 + ((i * 7919) % 60_000))
    for (let at = 0; at < body.length; at += block.length) block.copy(body, at)
    return body
  }
  const backend = http.createServer((req, res) => res.end(bodyOf(Number(req.url!.slice(3)))))
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const cfg = configDir({ 'gw.yaml': oneRoute(8102, backend) })
  const s = await serve([cfg.dir])
  const port = s.portOf(8102)
  const { connect } = await import('node:net')
  const slow: Socket = connect(port, '127.0.0.1')
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 })
  try {
    await new Promise((r) => slow.once('connect', r))
    slow.pause()
    const held = Array.from({ length: 300 }, (_, i) => i)
    slow.write(held.map((i) => `GET /b/${i} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''))
    const fetchOne = (i: number) =>
      new Promise<Buffer>((resolve, reject) => {
        // Bounded, so that a request left unanswered fails the test instead of hanging it.
        http.get({ host: '127.0.0.1', port, path: `/b/${i}`, headers: { host: 'x' }, agent, signal: AbortSignal.timeout(10_000) }, (res) => {
          const parts: Buffer[] = []
          res.on('data', (d: Buffer) => parts.push(d))
          res.on('end', () => resolve(Buffer.concat(parts)))
          res.on('error', reject)
        }).on('error', reject)
      })
    for (let round = 0; round < 75; round++) {
      const ids = Array.from({ length: 8 }, (_, k) => 1000 + round * 8 + k)
      const bodies = await Promise.all(ids.map(fetchOne))
      ids.forEach((id, k) => assert.ok(bodies[k]!.equals(bodyOf(id)), `body ${id} to a reading client`))
    }
    // Now the first client reads its 300 responses, framed by Content-Length.
    const parts: Buffer[] = []
    let got = 0
    const bodyBytes = held.reduce((n, i) => n + bodyOf(i).length, 0)
    /** The bodies in `all`, in order, once all of them are there (heads read only for their length). */
    const bodiesIn = (all: Buffer): Buffer[] | null => {
      const out: Buffer[] = []
      for (let at = 0; out.length < held.length; ) {
        const end = all.indexOf('\r\n\r\n', at)
        if (end === -1) return null
        const head = all.toString('latin1', at, end)
        const length = Number(/^HTTP\/1\.1 200 OK\r\n(?:.*\r\n)*content-length: (\d+)/i.exec(head)?.[1])
        if (Number.isNaN(length)) throw new Error(`response ${out.length} to the client that waited is not one: ${JSON.stringify(head.slice(0, 60))}`)
        if (all.length < end + 4 + length) return null
        out.push(all.subarray(end + 4, end + 4 + length))
        at = end + 4 + length
      }
      return out
    }
    const bodies = await new Promise<Buffer[]>((resolve, reject) => {
      // Bounded: before the fix in h1-client.ts, an upstream connection paused by this client's
      // backpressure went back to its pool paused, and the response on it never came.
      const timer = setTimeout(() => reject(new Error(`the waiting client got ${got} bytes (the bodies alone are ${bodyBytes}), then nothing for 20 s`)), 20_000)
      slow.on('data', (d: Buffer) => {
        parts.push(d)
        got += d.length
        timer.refresh()
        let done: Buffer[] | null = null
        try {
          done = got >= bodyBytes ? bodiesIn(Buffer.concat(parts)) : null
        } catch (e) {
          clearTimeout(timer)
          return reject(e)
        }
        if (done === null) return
        clearTimeout(timer)
        resolve(done)
      })
      slow.on('error', reject)
      slow.resume()
    })
    held.forEach((i) => assert.ok(bodies[i]!.equals(bodyOf(i)), `body ${i} to the client that waited`))
  } finally {
    slow.destroy()
    agent.destroy()
    await s.close()
    await new Promise<void>((r) => (backend.close(() => r()), backend.closeAllConnections()))
    cfg.remove()
  }
})
