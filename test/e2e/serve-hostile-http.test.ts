import assert from 'node:assert/strict'
import http from 'node:http'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { closedWithin, connectRaw, rawExchange, serveRuntime } from './runtime-harness.ts'
import { catchAllRoute, configDir, echoBackend, gatewayWith, get, service, until } from './serve-helpers.ts'

// Hostile HTTP/1.1 over raw sockets: hand-written bytes, so nothing in a client library can
// tidy them up. Each smuggling attempt must be refused with 400 and the connection closed, and
// nothing may reach the backend (RFC 9112 §6.1, §6.3, §5.2, §2.2, RFC 9110 §5.5).

const LIMITS = { headersTimeoutMs: 400, requestTimeoutMs: 1000, maxHeaderBytes: 8 * 1024, maxBodyBytes: 1024, maxConnectionsPerPort: 1000 }
let echo: Awaited<ReturnType<typeof echoBackend>>
let cfg: ReturnType<typeof configDir>
let gw: Awaited<ReturnType<typeof serveRuntime>>
let port = 0

before(async () => {
  echo = await echoBackend('echo')
  cfg = configDir({
    'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---
${service('echo', [echo.port])}---
${catchAllRoute('echo')}`,
  })
  gw = await serveRuntime([join(cfg.dir, 'gw.yaml')], { limits: LIMITS })
  port = gw.portOf(8080)
})

after(async () => {
  await gw.close()
  await echo.close()
  cfg.remove()
})

/** A good client is still served, and the backend saw exactly one more request: its own. */
async function stillServes(): Promise<void> {
  const before = echo.hits()
  const r = await get(port, '/good', { host: 'a.test' })
  assert.equal(r.status, 200)
  assert.equal(echo.hits(), before + 1)
}

/** Sends `bytes`, expects a 400 and a closed connection, and that the backend saw nothing. */
async function refused(bytes: string, status = 400): Promise<void> {
  const hits = echo.hits()
  const out = await rawExchange(port, [bytes])
  assert.match(out.text, new RegExp(`^HTTP/1\\.1 ${status} `), `answer: ${JSON.stringify(out.text)}`)
  assert.equal(out.text.match(/HTTP\/1\.1 /g)?.length, 1, 'exactly one response: nothing after the refusal is parsed')
  assert.equal(echo.hits(), hits, 'nothing reached the backend')
  await stillServes()
}

describe('request smuggling attempts answer 400, close the connection and reach no backend', { timeout: 20_000 }, () => {
  test('Content-Length and Transfer-Encoding together (RFC 9112 §6.1: a sender must not, a server may reject)', () =>
    refused('POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a.test\r\n\r\n'))

  test('Transfer-Encoding with a coding other than a final chunked (RFC 9112 §6.3 rule 4)', () =>
    refused('POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a.test\r\n\r\n'))

  test('two different Content-Lengths (RFC 9112 §6.3 rule 5)', () => refused('POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabcGET /smuggled HTTP/1.1\r\nHost: a.test\r\n\r\n'))

  test('a Content-Length that is not a number', () => refused('POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3x\r\n\r\nabc'))

  test('obsolete line folding (RFC 9112 §5.2: reject or replace; we reject)', () => refused('GET / HTTP/1.1\r\nHost: a.test\r\nX-Folded: a\r\n b\r\n\r\n'))

  test('a folded Transfer-Encoding', () => refused('POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding:\r\n chunked\r\nContent-Length: 3\r\n\r\nabc'))

  test('bare LF line endings (RFC 9112 §2.2)', () => refused('GET / HTTP/1.1\nHost: a.test\n\n'))

  test('a bare LF inside the headers of an otherwise CRLF request', () => refused('GET / HTTP/1.1\r\nHost: a.test\nX-A: b\r\n\r\n'))

  test('a control character in a header value (RFC 9110 §5.5)', () => refused('GET / HTTP/1.1\r\nHost: a.test\r\nX-A: a\x01b\r\n\r\n'))

  test('a space inside a header name and before the colon (RFC 9112 §5.1)', async () => {
    await refused('GET / HTTP/1.1\r\nHost: a.test\r\nBad Name: x\r\n\r\n')
    await refused('GET / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n')
  })

  test('a request line with a space in the target', () => refused('GET /a b HTTP/1.1\r\nHost: a.test\r\n\r\n'))
})

const big = (n: number) => `GET / HTTP/1.1\r\nHost: a.test\r\nX-Big: ${'a'.repeat(n)}\r\n\r\n`
const good = 'GET /first HTTP/1.1\r\nHost: a.test\r\n\r\n'

describe('sizes', { timeout: 20_000 }, () => {
  test('request headers past maxHeaderBytes answer 431 (RFC 6585 §5), close the connection and reach no backend', async () => {
    const hits = echo.hits()
    const out = await rawExchange(port, [big(LIMITS.maxHeaderBytes + 100)])
    assert.match(out.text, /^HTTP\/1\.1 431 /)
    assert.equal(echo.hits(), hits)
    await stillServes()
  })

  test('headers just under the limit are served', async () => {
    const out = await rawExchange(port, [big(LIMITS.maxHeaderBytes - 200).replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')])
    assert.match(out.text, /^HTTP\/1\.1 200 /)
  })

  test('a second request on a kept-alive connection with headers past the limit is refused and not forwarded', async () => {
    const hits = echo.hits()
    // node's own limit (16 KiB) applies here until the HTTP engine is given the configured one.
    const out = await rawExchange(port, [good, big(20 * 1024)], { gapMs: 50 })
    assert.match(out.text, /^HTTP\/1\.1 200 [^]*HTTP\/1\.1 4\d\d /)
    assert.equal(echo.hits(), hits + 1)
  })

  test('a second request on a kept-alive connection with headers past maxHeaderBytes answers 431', async () => {
    const out = await rawExchange(port, [good, big(LIMITS.maxHeaderBytes + 100)], { gapMs: 50, timeoutMs: 1500 })
    assert.match(out.text, /^HTTP\/1\.1 200 [^]*HTTP\/1\.1 431 /)
  })

  test('a declared body past maxBodyBytes answers 413 and is not forwarded (RFC 9110 §15.5.14)', async () => {
    const hits = echo.hits()
    const out = await rawExchange(port, [`POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: ${LIMITS.maxBodyBytes + 1}\r\n\r\n${'x'.repeat(LIMITS.maxBodyBytes + 1)}`], { timeoutMs: 1500 })
    assert.match(out.text, /^HTTP\/1\.1 413 /)
    assert.equal(echo.hits(), hits)
  })
})

describe('slow clients', { timeout: 20_000 }, () => {
  test('a client sending its request byte by byte, slower than the headers timeout, gets 408 and is closed within the bound', async () => {
    const hits = echo.hits()
    const request = 'GET /slow HTTP/1.1\r\nHost: a.test\r\nX-Padding: 0123456789\r\n\r\n'
    // One byte every 100 ms: the whole request would take > 6 s; the bound is 400 ms.
    const out = await rawExchange(port, [...request], { gapMs: 100, timeoutMs: 3000 })
    assert.match(out.text, /^HTTP\/1\.1 408 /)
    assert.ok(out.closedAfterMs >= LIMITS.headersTimeoutMs - 50, `closed after ${out.closedAfterMs} ms, before the timeout`)
    assert.ok(out.closedAfterMs < LIMITS.headersTimeoutMs + 1000, `closed after ${out.closedAfterMs} ms`)
    assert.equal(echo.hits(), hits)
    await stillServes()
  })

  test('a client whose request line arrives at once but whose headers trickle is closed within the headers timeout', async () => {
    const out = await rawExchange(port, ['GET /slow HTTP/1.1\r\nHost: a.test\r\n', ...'X-Padding: 0123456789012345678901234567890123456789\r\n\r\n'], { gapMs: 100, timeoutMs: 3000 })
    assert.match(out.text, /^HTTP\/1\.1 408 /)
    assert.ok(out.closedAfterMs < LIMITS.headersTimeoutMs + 1000, `closed after ${out.closedAfterMs} ms`)
  })

  test('a client that connects and sends nothing is closed within the headers timeout', async () => {
    const s = await connectRaw(port)
    const ms = await closedWithin(s)
    assert.ok(ms < LIMITS.headersTimeoutMs + 1000, `closed after ${ms} ms`)
  })

  test('a second request on a kept-alive connection whose headers trickle is closed within the headers timeout', async () => {
    const out = await rawExchange(port, [good, ...'GET /slow HTTP/1.1\r\nHost: a.test\r\nX-Padding: 0123456789012345678901234567890123456789\r\n\r\n'], { gapMs: 100, timeoutMs: 1500 })
    assert.ok(out.closedAfterMs < LIMITS.headersTimeoutMs + 1000, `closed after ${out.closedAfterMs} ms`)
  })

  test('a client that sends its headers and trickles its body is cut within the request timeout', async () => {
    const out = await rawExchange(port, ['POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 100\r\n\r\n', ...'x'.repeat(100)], { gapMs: 100, timeoutMs: 2500 })
    assert.ok(out.closedAfterMs < LIMITS.requestTimeoutMs + 1000, `closed after ${out.closedAfterMs} ms`)
  })
})

describe('connection limit per port', { timeout: 20_000 }, () => {
  test('past maxConnectionsPerPort new connections are reset at accept; open ones keep working; room frees as they close', async () => {
    const files = [join(cfg.dir, 'gw.yaml')]
    const small = await serveRuntime(files, { limits: { maxConnectionsPerPort: 5 } })
    const p = small.portOf(8080)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const held: Awaited<ReturnType<typeof connectRaw>>[] = []
    try {
      // One keep-alive client, then four idle connections: the port is full.
      assert.equal((await get(p, '/a', { host: 'a.test' }, { agent })).status, 200)
      for (let i = 0; i < 4; i++) held.push(await connectRaw(p))
      await until(() => small.metric('switchyard_open_connections') === 5)
      // The sixth is accepted by the kernel, then reset by the gateway before any byte.
      const refused = await rawExchange(p, ['GET /over HTTP/1.1\r\nHost: a.test\r\n\r\n'])
      assert.equal(refused.text, '')
      assert.equal(small.metric('switchyard_connections_refused_total'), 1)
      // The open keep-alive connection still works.
      assert.equal((await get(p, '/b', { host: 'a.test' }, { agent })).status, 200)
      // Free one: a new client is served again.
      held.pop()!.destroy()
      await until(() => small.metric('switchyard_open_connections') === 4)
      assert.equal((await get(p, '/c', { host: 'a.test' })).status, 200)
    } finally {
      agent.destroy()
      for (const s of held) s.destroy()
      await small.close()
    }
  })
})
