import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import tls from 'node:tls'
import { configDir, gatewayWith, l4Route, readUntil, selfSignedCert, serve, service, tlsConnect } from './serve-helpers.ts'

const TOTAL = 1 << 30
const CHUNK = 1 << 16

// 1 GiB through a TLS passthrough route, encrypted end to end between a real TLS client and a real
// TLS backend: both ends hash what they saw and the digests must agree. The stream is generated as
// it is written and hashed as it is read, so nothing holds more than a few chunks; the gateway must
// carry backpressure for memory to stay flat.
test('1 GiB through a passthrough route arrives intact (SHA-256 equal on both ends), with flat memory', { timeout: 300_000 }, async () => {
  const cert = selfSignedCert(['DNS:bulk.test'])
  // The backend hashes everything it receives; when the client half-closes it answers with the digest.
  const backend = tls.createServer({ cert: cert.certPem, key: cert.keyPem, allowHalfOpen: true }, (s) => {
    const hash = createHash('sha256')
    let bytes = 0
    s.on('data', (d: Buffer) => {
      hash.update(d)
      bytes += d.length
    })
    s.on('end', () => s.end(`${bytes} ${hash.digest('hex')}\n`))
    s.on('error', () => {})
  })
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const cfg = configDir({
    'gw.yaml': `${gatewayWith('{ name: bulk, port: 9443, protocol: TLS, tls: { mode: Passthrough } }')}---
${service('bulk', [(backend.address() as AddressInfo).port])}${l4Route('TLSRoute', 'bulk', ['bulk'], { hostnames: ['bulk.test'] })}`,
  })
  const s = await serve([cfg.dir])
  try {
    const sock = await tlsConnect(s.portOf(9443), 'bulk.test', [cert.certPem])
    // A random block, stamped with each chunk's index so that no two chunks are alike (a dropped,
    // repeated or reordered chunk changes the digest).
    const block = randomBytes(CHUNK)
    const sent = createHash('sha256')
    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    const started = performance.now()
    const answer = readUntil(sock, (t) => t.endsWith('\n'))
    for (let i = 0; i < TOTAL / CHUNK; i++) {
      const chunk = Buffer.from(block)
      chunk.writeUInt32BE(i, 0)
      sent.update(chunk)
      if (!sock.write(chunk)) await once(sock, 'drain')
      if ((i & 1023) === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    }
    sock.end()
    const [bytes, digest] = (await answer).trim().split(' ')
    const seconds = (performance.now() - started) / 1000
    assert.equal(Number(bytes), TOTAL)
    assert.equal(digest, sent.digest('hex'))
    const grew = (rssPeak - rssBefore) / 2 ** 20
    console.log(`# 1 GiB through TLS passthrough in ${seconds.toFixed(1)} s (${(1024 / seconds).toFixed(0)} MiB/s), resident memory grew by at most ${grew.toFixed(0)} MiB`)
    assert.ok(grew < 256, `memory grew by ${grew.toFixed(0)} MiB: something buffers instead of applying backpressure`)
    sock.destroy()
  } finally {
    await s.close()
    await new Promise<void>((r) => backend.close(() => r()))
    cfg.remove()
  }
})
