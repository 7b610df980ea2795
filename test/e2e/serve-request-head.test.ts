import assert from 'node:assert/strict'
import net from 'node:net'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { rawExchange, serveRuntime } from './runtime-harness.ts'
import { configDir, gatewayWith, httpRoute, service } from './serve-helpers.ts'

// What the backend receives as the request head, byte for byte. A plain HTTP/1.1 request on an
// unfiltered route goes out as the client wrote it, with this hop's forwarding fields after it
// (h1-request-parser.ts `raw`); anything the gateway must change is written again field by field.

const LIMITS = { headersTimeoutMs: 2000, requestTimeoutMs: 3000, maxHeaderBytes: 8 * 1024, maxBodyBytes: 1024, maxConnectionsPerPort: 1000 }

let heads: string[] = []
let backend: net.Server
let cfg: ReturnType<typeof configDir>
let gw: Awaited<ReturnType<typeof serveRuntime>>
let port = 0

before(async () => {
  // Records each head it receives (and any body after it), and answers every request.
  backend = net.createServer((s) => {
    let text = ''
    s.on('data', (d: Buffer) => {
      text += d.toString('latin1')
      for (let end = text.indexOf('\r\n\r\n'); end !== -1; end = text.indexOf('\r\n\r\n')) {
        const head = text.slice(0, end + 4)
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0)
        if (text.length < end + 4 + length) return
        heads.push(head)
        text = text.slice(end + 4 + length)
        s.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok')
      }
    })
    s.on('error', () => {})
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  cfg = configDir({
    'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---
${service('b', [(backend.address() as net.AddressInfo).port])}---
${httpRoute(`    - matches: [{ path: { type: PathPrefix, value: /filtered } }]
      filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { add: [{ name: x-added, value: "1" }] } }]
      backendRefs: [{ name: b, port: 80 }]
    - backendRefs: [{ name: b, port: 80 }]
`)}`,
  })
  gw = await serveRuntime([join(cfg.dir, 'gw.yaml')], { limits: LIMITS })
  port = gw.portOf(8080)
})

after(async () => {
  await gw.close()
  await new Promise<void>((r) => backend.close(() => r()))
  cfg.remove()
})

/** Sends requests on one keep-alive connection and returns the heads the backend received. */
async function forwardedAll(requests: readonly string[]): Promise<string[]> {
  heads = []
  const out = await rawExchange(port, [...requests, 'GET /last HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n'])
  assert.equal(out.text.match(/HTTP\/1\.1 200 /g)?.length, requests.length + 1, out.text)
  return heads.slice(0, requests.length)
}

const FORWARDING = 'x-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\nx-forwarded-host: a.example\r\nforwarded: for=127.0.0.1;host=a.example;proto=http\r\n\r\n'

test('a plain request goes to the backend as the client wrote it (case, spacing, order), then the forwarding fields', async () => {
  const head = 'GET /api/Items?q=1&r=%20x HTTP/1.1\r\nHost: a.example\r\nUser-Agent:  curious/1.0 \r\nACCEPT: text/plain\r\nx-Trace-Id: abc\r\n'
  const [got] = await forwardedAll([`${head}\r\n`])
  assert.equal(got, head + FORWARDING)
})

test('a request with a body and its Content-Length goes out as it came, body after it', async () => {
  const head = 'POST /submit HTTP/1.1\r\nHost: a.example\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n'
  const [got] = await forwardedAll([`${head}\r\nhello`])
  assert.equal(got, head + FORWARDING)
})

test('hop-by-hop fields, and the fields Connection names, are never forwarded: that head is written again', async () => {
  heads = []
  const out = await rawExchange(port, ['GET /x HTTP/1.1\r\nHost: a.example\r\nKeep-Alive: timeout=5\r\nX-Private: 1\r\nConnection: x-private, close\r\nAccept: */*\r\n\r\n'])
  assert.match(out.text, /^HTTP\/1\.1 200 /)
  const got = heads[0]!
  assert.doesNotMatch(got, /keep-alive|x-private|connection/i)
  assert.equal(got, `GET /x HTTP/1.1\r\nhost: a.example\r\naccept: */*\r\n${FORWARDING}`)
})

test('forwarding fields the client sent are extended or replaced, not passed on as they came', async () => {
  const [got] = await forwardedAll(['GET /x HTTP/1.1\r\nHost: a.example\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n'])
  assert.equal(got, `GET /x HTTP/1.1\r\nhost: a.example\r\n${FORWARDING.replace('x-forwarded-for: 127.0.0.1', 'x-forwarded-for: 10.0.0.1, 127.0.0.1')}`)
})

test('a field given twice reaches the backend as the gateway read it (one value, or the values joined), not twice', async () => {
  const [got] = await forwardedAll(['GET /x HTTP/1.1\r\nHost: a.example\r\nAuthorization: Bearer first\r\nAuthorization: Bearer second\r\nAccept: a\r\nAccept: b\r\n\r\n'])
  assert.equal(got, `GET /x HTTP/1.1\r\nhost: a.example\r\nauthorization: Bearer first\r\naccept: a, b\r\n${FORWARDING}`)
})

test('a filtered route, a path routing normalised, and HTTP/1.0 are written again', async () => {
  const [filtered, dotted] = await forwardedAll(['GET /filtered HTTP/1.1\r\nHost: a.example\r\n\r\n', 'GET /a/../b HTTP/1.1\r\nHost: a.example\r\n\r\n'])
  assert.equal(filtered, `GET /filtered HTTP/1.1\r\nhost: a.example\r\nx-added: 1\r\n${FORWARDING}`)
  assert.equal(dotted, `GET /b HTTP/1.1\r\nhost: a.example\r\n${FORWARDING}`)
  heads = []
  const out = await rawExchange(port, ['GET /old HTTP/1.0\r\nHost: a.example\r\n\r\n'])
  assert.match(out.text, /^HTTP\/1\.1 200 /)
  assert.equal(heads[0], `GET /old HTTP/1.1\r\nhost: a.example\r\n${FORWARDING}`)
})
