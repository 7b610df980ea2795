import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { runCli, spawnServe } from './cli-process.ts'
import { rawExchange } from './runtime-harness.ts'
import { catchAllRoute, configDir, gatewayWith, get, service } from './serve-helpers.ts'

// The limit flags of `switchyard serve` reach the data plane, in the process itself and in every
// `--workers` process: a small --max-body-bytes answers 413 for declared and chunked bodies alike.

let backend: http.Server
let bodies: number[] = []
let cfg: ReturnType<typeof configDir>

before(async () => {
  backend = http.createServer((req, res) => {
    let n = 0
    req.on('data', (c: Buffer) => (n += c.length))
    req.on('end', () => {
      bodies.push(n)
      res.end(JSON.stringify({ bytes: n }))
    })
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  cfg = configDir({ 'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---\n${service('b', [(backend.address() as AddressInfo).port])}---\n${catchAllRoute('b')}` })
})

after(async () => {
  await new Promise<void>((r) => (backend.close(() => r()), backend.closeAllConnections()))
  cfg.remove()
})

for (const workers of ['1', '2']) {
  describe(`serve --max-body-bytes 1k --workers ${workers}`, { timeout: 30_000 }, () => {
    test('a body within 1 KiB passes; a declared or chunked one past it answers 413 and never reaches the backend', async () => {
      const s = await spawnServe(['-f', cfg.dir, '--max-body-bytes', '1k', '--max-header-bytes', '4k', '--workers', workers, '--access-log', 'off'])
      try {
        const port = s.portOf(8080)
        bodies = []
        const ok = await get(port, '/', { host: 'a.test' }, { method: 'POST', body: 'x'.repeat(1024) })
        assert.equal(ok.status, 200)
        assert.deepEqual(JSON.parse(ok.body), { bytes: 1024 })
        // Several connections, so that with workers more than one process is likely to answer.
        for (let i = 0; i < 4; i++) {
          const declared = await rawExchange(port, [`POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 1025\r\n\r\n${'x'.repeat(1025)}`])
          assert.match(declared.text, /^HTTP\/1\.1 413 /)
          const chunked = await rawExchange(port, [`POST / HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n300\r\n${'x'.repeat(0x300)}\r\n300\r\n${'x'.repeat(0x300)}\r\n0\r\n\r\n`])
          assert.match(chunked.text, /^HTTP\/1\.1 413 /)
        }
        const headers = await rawExchange(port, [`GET / HTTP/1.1\r\nHost: a.test\r\nX-Big: ${'h'.repeat(5000)}\r\n\r\n`])
        assert.match(headers.text, /^HTTP\/1\.1 431 /, '--max-header-bytes 4k applies too')
        assert.deepEqual(bodies, [1024], 'only the body within the limit reached the backend, whole')
      } finally {
        assert.equal(await s.stop(), 0)
      }
    })
  })
}

test('serve refuses a malformed limit with CLI_LIMIT and exit status 2', { timeout: 30_000 }, () => {
  const r = runCli(['serve', '-f', cfg.dir, '--max-body-bytes', 'lots'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /--max-body-bytes wants a size in bytes such as 1048576, 512k, 16m or 1g, got "lots" \[CLI_LIMIT\]/)
})
