import assert from 'node:assert/strict'
import http from 'node:http'
import http2 from 'node:http2'
import net, { type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { rawExchange, serveRuntime } from './runtime-harness.ts'
import { closed, configDir, gatewayWith, httpRoute, readUntil, service, until } from './serve-helpers.ts'

// Request bodies without a declared length (HTTP/1.1 chunked, HTTP/2 DATA without content-length)
// are counted against maxBodyBytes as they stream (src/dataplane/proxy/body-limit.ts). The backend
// counts what it receives: it must never see more than the limit, nor a cut body as complete.

// Above the 1 MiB the retry path keeps in memory, so a retried body past that is tested too.
const LIMIT = 1536 * 1024
const KiB = 1024

interface Seen {
  readonly path: string
  bytes: number
  complete: boolean
  /** Until the backend's side of the exchange closed. */
  open: boolean
}

let backend: http.Server
const seen: Seen[] = []
let cfg: ReturnType<typeof configDir>
let gw: Awaited<ReturnType<typeof serveRuntime>>
let port = 0

before(async () => {
  backend = http.createServer((req, res) => {
    const rec: Seen = { path: req.url ?? '', bytes: 0, complete: false, open: true }
    seen.push(rec)
    res.once('close', () => (rec.open = false))
    // /early answers before the body ends, so a body past the limit arrives while the response streams.
    if (rec.path.startsWith('/early')) {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('started\n')
    }
    req.on('data', (c: Buffer) => (rec.bytes += c.length))
    req.on('end', () => {
      rec.complete = true
      // /retried/flaky fails its first attempt with a retryable 503.
      const status = rec.path === '/retried/flaky' && seen.filter((x) => x.path === rec.path).length === 1 ? 503 : 200
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ bytes: rec.bytes }))
    })
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  cfg = configDir({
    'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---
${service('counter', [(backend.address() as AddressInfo).port])}---
${httpRoute(`    - matches: [{ path: { type: PathPrefix, value: /retried } }]
      retry: { attempts: 2, codes: [503] }
      backendRefs: [{ name: counter, port: 80 }]
    - backendRefs: [{ name: counter, port: 80 }]
`)}`,
  })
  gw = await serveRuntime([join(cfg.dir, 'gw.yaml')], { limits: { maxBodyBytes: LIMIT } })
  port = gw.portOf(8080)
})

after(async () => {
  await gw.close()
  await new Promise<void>((r) => (backend.close(() => r()), backend.closeAllConnections()))
  cfg.remove()
})

/** The backend's record of the request to `path`, once it has one. */
async function backendSaw(path: string): Promise<Seen> {
  await until(() => seen.some((s) => s.path === path))
  return seen.find((s) => s.path === path)!
}

const chunk = (n: number) => `${n.toString(16)}\r\n${'x'.repeat(n)}\r\n`
/** A chunked POST's head; `connection: close` so that a raw exchange ends with the answer. */
const chunkedHead = (path: string) => `POST ${path} HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`

describe('HTTP/1.1 chunked bodies', { timeout: 30_000 }, () => {
  test('a chunked body under the limit reaches the backend whole', async () => {
    const out = await rawExchange(port, [chunkedHead('/h1-under') + chunk(300 * KiB) + chunk(300 * KiB) + '0\r\n\r\n'], { timeoutMs: 5000 })
    assert.match(out.text, /^HTTP\/1\.1 200 /)
    assert.match(out.text, new RegExp(`"bytes":${600 * KiB}\\}`))
    const s = await backendSaw('/h1-under')
    assert.deepEqual({ bytes: s.bytes, complete: s.complete }, { bytes: 600 * KiB, complete: true })
  })

  test('a chunked body past the limit in one write answers 413, closes the connection, and the backend sees at most the limit, never complete', async () => {
    const out = await rawExchange(port, [chunkedHead('/h1-over') + chunk(LIMIT / 2) + chunk(LIMIT / 2) + chunk(1)], { timeoutMs: 5000 })
    assert.match(out.text, /^HTTP\/1\.1 413 /, `answer: ${JSON.stringify(out.text.slice(0, 100))}`)
    assert.match(out.text, /connection: close/i)
    assert.equal(out.text.match(/HTTP\/1\.1 /g)?.length, 1)
    const s = await backendSaw('/h1-over')
    await until(() => !backendOpen('/h1-over'))
    assert.ok(s.bytes <= LIMIT, `the backend received ${s.bytes} bytes`)
    assert.equal(s.complete, false, 'the backend never saw the cut body end')
  })

  test('a body that crosses the limit while it streams to the backend answers 413; the upstream exchange is aborted', async () => {
    const sock = net.connect({ host: '127.0.0.1', port })
    try {
      await new Promise((r) => sock.once('connect', r))
      sock.write(chunkedHead('/h1-stream') + chunk(LIMIT - 10))
      // Wait until the backend holds nearly all of it, so the exchange is under way when the limit is crossed.
      const s = await backendSaw('/h1-stream')
      await until(() => s.bytes === LIMIT - 10)
      const answer = readUntil(sock, (t) => t.includes('\r\n\r\n'))
      sock.write(chunk(20))
      assert.match(await answer, /^HTTP\/1\.1 413 /)
      await closed(sock)
      await until(() => !backendOpen('/h1-stream'))
      assert.equal(s.bytes, LIMIT - 10, 'the chunk that crossed the limit was not forwarded')
      assert.equal(s.complete, false)
    } finally {
      sock.destroy()
    }
  })

  test('a body that crosses the limit after the response started cuts the client, and the backend sees at most the limit', async () => {
    const sock = net.connect({ host: '127.0.0.1', port })
    try {
      await new Promise((r) => sock.once('connect', r))
      const head = readUntil(sock, (t) => t.includes('started'))
      sock.write(chunkedHead('/early') + chunk(64 * KiB))
      assert.match(await head, /^HTTP\/1\.1 200 /)
      const s = await backendSaw('/early')
      await until(() => s.bytes === 64 * KiB)
      let text = ''
      sock.on('data', (d: Buffer) => (text += d.toString('latin1')))
      sock.write(chunk(LIMIT))
      await closed(sock)
      assert.doesNotMatch(text, /0\r\n\r\n$/, 'the response was cut, not ended')
      await until(() => !backendOpen('/early'))
      assert.ok(s.bytes <= LIMIT, `the backend received ${s.bytes} bytes`)
      assert.equal(s.complete, false)
    } finally {
      sock.destroy()
    }
  })
})

describe('HTTP/2 bodies without content-length', { timeout: 30_000 }, () => {
  /**
   * A POST on `session` whose body is written in `chunks` (no content-length): its status, its
   * body, and whether the server stopped the upload (RST_STREAM before the body was all sent;
   * node's client then reports 'aborted' and, with writes still queued, never 'close').
   */
  function h2Post(session: http2.ClientHttp2Session, path: string, chunks: number[]): Promise<{ status: number; body: string; uploadStopped: boolean; rstCode: number }> {
    return new Promise((resolve, reject) => {
      const req = session.request({ ':method': 'POST', ':path': path, ':authority': 'a.test' })
      let status = 0
      let body = ''
      let uploadStopped = false
      req.on('response', (h) => (status = Number(h[':status'])))
      req.on('data', (c: Buffer) => (body += c))
      req.on('aborted', () => (uploadStopped = true))
      req.on('error', reject)
      req.on('end', () => {
        resolve({ status, body, uploadStopped, rstCode: req.rstCode ?? 0 })
        req.destroy()
      })
      const next = (i: number): void => {
        if (i === chunks.length) return void req.end()
        if (req.destroyed) return
        if (req.write(Buffer.alloc(chunks[i]!, 'y'))) next(i + 1)
        else req.once('drain', () => next(i + 1))
      }
      next(0)
    })
  }

  test('under the limit, the body reaches the backend whole', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`)
    try {
      const r = await h2Post(session, '/h2-under', [256 * KiB, 256 * KiB, 100])
      assert.equal(r.status, 200)
      assert.equal(r.uploadStopped, false)
      assert.deepEqual(JSON.parse(r.body), { bytes: 512 * KiB + 100 })
    } finally {
      session.close()
    }
  })

  test('past the limit: 413, the stream is reset, the session keeps serving, the backend sees at most the limit', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`)
    try {
      const r = await h2Post(session, '/h2-over', [512 * KiB, 512 * KiB, 512 * KiB, 512 * KiB])
      assert.equal(r.status, 413)
      assert.equal(r.uploadStopped, true, 'the stream was reset before the client sent its whole body')
      assert.equal(r.rstCode, http2.constants.NGHTTP2_NO_ERROR)
      const s = await backendSaw('/h2-over')
      await until(() => !backendOpen('/h2-over'))
      assert.ok(s.bytes <= LIMIT, `the backend received ${s.bytes} bytes`)
      assert.equal(s.complete, false)
      const again = await h2Post(session, '/h2-after', [10])
      assert.equal(again.status, 200, 'the connection survived the reset stream')
    } finally {
      session.close()
    }
  })
})

describe('bodies buffered for retries', { timeout: 30_000 }, () => {
  test('a chunked body under the limit on a route with retries reaches the backend whole', async () => {
    const out = await rawExchange(port, [chunkedHead('/retried/small') + chunk(100 * KiB) + '0\r\n\r\n'], { timeoutMs: 5000 })
    assert.match(out.text, new RegExp(`^HTTP/1\\.1 200 [^]*"bytes":${100 * KiB}\\}`))
  })

  test('a buffered body is sent whole on every attempt when the first answers a retryable 503', async () => {
    const out = await rawExchange(port, [chunkedHead('/retried/flaky') + chunk(200 * KiB) + chunk(1) + '0\r\n\r\n'], { timeoutMs: 5000 })
    assert.match(out.text, new RegExp(`^HTTP/1\\.1 200 [^]*"bytes":${200 * KiB + 1}\\}`))
    assert.deepEqual(
      seen.filter((s) => s.path === '/retried/flaky').map((s) => [s.bytes, s.complete]),
      [
        [200 * KiB + 1, true],
        [200 * KiB + 1, true],
      ],
    )
  })

  test('a chunked body larger than the retry buffer (1 MiB) but under the limit is sent once, whole', async () => {
    const out = await rawExchange(port, [chunkedHead('/retried/large') + chunk(700 * KiB) + chunk(700 * KiB) + '0\r\n\r\n'], { timeoutMs: 5000 })
    assert.match(out.text, new RegExp(`^HTTP/1\\.1 200 [^]*"bytes":${1400 * KiB}\\}`))
    assert.equal(seen.filter((s) => s.path === '/retried/large').length, 1)
  })

  test('a chunked body past the limit on a route with retries answers 413 and the backend sees at most the limit', async () => {
    const out = await rawExchange(port, [chunkedHead('/retried/over') + chunk(LIMIT / 2) + chunk(LIMIT / 2) + chunk(1)], { timeoutMs: 5000 })
    assert.match(out.text, /^HTTP\/1\.1 413 /)
    // Past the retry buffer the body streams, sent once: the limit is crossed on the way.
    await until(() => !backendOpen('/retried/over'))
    const s = seen.filter((x) => x.path === '/retried/over')
    assert.ok(s.length <= 1, `sent ${s.length} times`)
    for (const x of s) assert.deepEqual({ within: x.bytes <= LIMIT, complete: x.complete }, { within: true, complete: false })
  })
})

/** Whether the backend's exchange for `path` is still open (not yet ended or cut by the gateway). */
function backendOpen(path: string): boolean {
  return seen.some((s) => s.path === path && s.open)
}
