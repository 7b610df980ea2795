import assert from 'node:assert/strict'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { test } from 'node:test'
import { clientErrorResponse, DEFAULT_LIMITS, httpServerOptions, resolveLimits } from './limits.ts'

// The recipe the HTTP engines follow to honour the limits: a node server created with
// httpServerOptions(limits) whose clientError handler writes clientErrorResponse(error).

const limits = resolveLimits({ headersTimeoutMs: 300, requestTimeoutMs: 600, maxHeaderBytes: 2048 })

async function withServer(run: (port: number) => Promise<void>): Promise<void> {
  const server = http.createServer(httpServerOptions(limits), (_req, res) => res.end('ok'))
  server.on('clientError', (e: Error, socket: net.Socket) => {
    if (socket.writable) socket.end(clientErrorResponse(e))
    else socket.destroy()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  try {
    await run((server.address() as AddressInfo).port)
  } finally {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
  }
}

/** Writes `first`, then `rest` one byte every `gapMs`, and returns what came back and when the connection closed. */
function exchange(port: number, first: string, rest = '', gapMs = 50): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' })
    let text = ''
    const start = performance.now()
    let i = 0
    const timer = setInterval(() => (i < rest.length && !s.destroyed ? s.write(rest[i++]!) : clearInterval(timer)), gapMs)
    s.on('data', (d: Buffer) => (text += d))
    s.on('error', () => {})
    s.on('close', () => {
      clearInterval(timer)
      resolve({ text, ms: performance.now() - start })
    })
    s.write(first)
  })
}

test('headers past maxHeaderBytes answer 431', { timeout: 5000 }, () =>
  withServer(async (port) => {
    const r = await exchange(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(3000)}\r\n\r\n`)
    assert.match(r.text, /^HTTP\/1\.1 431 /)
  }))

test('a request whose headers trickle is answered 408 and closed within the headers timeout and one check interval', { timeout: 5000 }, () =>
  withServer(async (port) => {
    const r = await exchange(port, 'GET / HTTP/1.1\r\n', 'Host: a\r\nX-Padding: 0123456789012345678901234567890123456789\r\n\r\n')
    assert.match(r.text, /^HTTP\/1\.1 408 /)
    assert.ok(r.ms < limits.headersTimeoutMs + httpServerOptions(limits).connectionsCheckingInterval! + 300, `closed after ${r.ms} ms`)
  }))

test('a body that trickles is cut within the request timeout', { timeout: 5000 }, () =>
  withServer(async (port) => {
    const r = await exchange(port, 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n', 'x'.repeat(100))
    // 100 bytes at 50 ms would take 5 s.
    assert.ok(r.ms < limits.requestTimeoutMs + httpServerOptions(limits).connectionsCheckingInterval! + 300, `closed after ${r.ms} ms`)
  }))

test('a parser error that is not about size or time answers 400', { timeout: 5000 }, () =>
  withServer(async (port) => {
    const r = await exchange(port, 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')
    assert.match(r.text, /^HTTP\/1\.1 400 /)
  }))

test('unset limits keep their defaults; node requires requestTimeout >= headersTimeout, which the options keep', () => {
  assert.deepEqual(resolveLimits({ maxBodyBytes: undefined }), DEFAULT_LIMITS)
  const o = httpServerOptions(resolveLimits({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }))
  assert.equal(o.requestTimeout, 5000)
})
