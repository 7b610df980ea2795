import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import net from 'node:net'
import { test } from 'node:test'
import { configDir, gatewayWith, l4Route, serve, service, until } from './serve-helpers.ts'

// Small writes (an Ethernet MTU's worth), so the gateway reads fewer bytes than a write can
// hold pending: the case where a reused buffer could be overwritten under a pending write.
const CHUNK = 1500
// Far more than the kernel's socket buffers on the way can hold (receive buffers grow up to
// tcp_rmem's maximum, 32 MiB here): a backend that is far from done must be held back while the
// client is paused, whatever size they reached.
const TOTAL = CHUNK * 200_000
const PAUSE_EVERY = 8 * 2 ** 20
const PAUSES = 4

// The backend-to-client direction of a splice reads into a buffer it reuses while the client keeps
// up (proxy/splice.ts). 300 MB flow from a backend through a TCP route to a client that stops
// reading several times: every chunk is stamped with its index, so a buffer reused while a write
// still held it (a repeated, torn or reordered chunk) changes the digest; and while the client
// does not read, the backend must be held back (its writes stop draining) instead of the gateway
// buffering the stream.
test('300 MB in small writes from a backend through a TCP route arrive intact at a client that pauses, with backpressure to the backend', { timeout: 120_000 }, async () => {
  const block = randomBytes(CHUNK)
  const sent = createHash('sha256')
  let source: net.Socket | null = null
  const backend = net.createServer(async (s) => {
    source = s
    s.on('error', () => {})
    for (let i = 0; i < TOTAL / CHUNK; i++) {
      const chunk = Buffer.from(block)
      chunk.writeUInt32BE(i, 0)
      sent.update(chunk)
      if (!s.write(chunk)) await once(s, 'drain')
      // One write per turn of the event loop, so the gateway reads them one by one.
      else await new Promise(setImmediate)
    }
    s.end()
  })
  // The backend is held back: what it wrote is piling up in its own buffer, over its high-water mark.
  const heldBack = () => source !== null && source.writableLength >= source.writableHighWaterMark
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  const cfg = configDir({
    'gw.yaml': `${gatewayWith('{ name: dl, port: 9000, protocol: TCP }')}---
${service('dl', [(backend.address() as net.AddressInfo).port])}${l4Route('TCPRoute', 'dl', ['dl'], { section: 'dl' })}`,
  })
  const s = await serve([cfg.dir])
  const client = net.connect(s.portOf(9000), '127.0.0.1')
  try {
    const got = createHash('sha256')
    let bytes = 0
    let pauses = 0
    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    await new Promise<void>((resolve, reject) => {
      client.on('error', reject)
      client.on('end', resolve)
      client.on('data', (d: Buffer) => {
        got.update(d)
        const before = bytes
        bytes += d.length
        // Every 8 MiB, four times: stop reading until the backend finds its writes held back, then go on.
        if (Math.floor(before / PAUSE_EVERY) !== Math.floor(bytes / PAUSE_EVERY) && pauses < PAUSES) {
          pauses++
          client.pause()
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
          until(heldBack, 10_000).then(() => {
            rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
            client.resume()
          }, reject)
        }
      })
    })
    assert.equal(bytes, TOTAL)
    assert.equal(got.digest('hex'), sent.digest('hex'))
    assert.equal(pauses, PAUSES)
    const grew = (rssPeak - rssBefore) / 2 ** 20
    assert.ok(grew < 128, `memory grew by ${grew.toFixed(0)} MiB while the client was paused: something buffers instead of applying backpressure`)
  } finally {
    client.destroy()
    await s.close()
    await new Promise<void>((r) => backend.close(() => r()))
    cfg.remove()
  }
})
