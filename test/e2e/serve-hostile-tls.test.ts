import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { nodeClientHellos } from '../tls-client-hello.ts'
import { closedWithin, connectRaw, rawExchange, serveRuntime, tcpHandles } from './runtime-harness.ts'
import { catchAllRoute, configDir, echoBackend, gatewayWith, httpsGet, l4Route, service, tlsSecret, udpBackend, udpExchange, until } from './serve-helpers.ts'

// Hostile TLS and UDP clients: none may crash or wedge the gateway. After each attack a good
// client is still served, and every connection the attack opened is closed again (the runtime's
// open-connections gauge and node's own handle count are back where they started).

const HANDSHAKE_MS = 500

/** A fatal TLS alert record (RFC 8446 §6), as a string of latin1 characters. */
const fatalAlert = (description: number): string => String.fromCharCode(21, 3, 3, 0, 2, 2, description)
const UNRECOGNIZED_NAME = fatalAlert(112)

/** node's own ClientHello for `servername`. */
const realClientHello = async (servername: string): Promise<Buffer> => (await nodeClientHellos([{ servername, ALPNProtocols: ['http/1.1'] }]))[0]!

/**
 * The same attacks on the two ways a TLS port takes a connection. `peeked`: a passthrough listener
 * beside the HTTPS one makes the accept layer read every ClientHello itself (peek.ts,
 * client-hello.ts) before anything is decided. `direct`: a port of HTTPS listeners alone hands the
 * connection to OpenSSL at once (tls-direct.ts), which reads the ClientHello and asks for the
 * certificate by SNI.
 */
for (const path of ['peeked', 'direct'] as const) {
  describe(`hostile TLS clients, ${path} ClientHello`, { timeout: 30_000 }, () => {
    let echo: Awaited<ReturnType<typeof echoBackend>>
    let cfg: ReturnType<typeof configDir>
    let gw: Awaited<ReturnType<typeof serveRuntime>>
    let port = 0
    let certPem = ''
    let baselineHandles = 0

    before(async () => {
      echo = await echoBackend('echo')
      const secret = tlsSecret('good-cert', ['good.test'])
      certPem = secret.certPem
      const https = '{ name: https, port: 8443, protocol: HTTPS, hostname: good.test, tls: { certificateRefs: [{ name: good-cert }] } }'
      const passthrough = '{ name: pass, port: 8443, protocol: TLS, hostname: pass.test, tls: { mode: Passthrough } }'
      cfg = configDir({
        'gw.yaml': `${path === 'peeked' ? gatewayWith(https, passthrough) : gatewayWith(https)}---
${secret.yaml}---
${service('echo', [echo.port])}---
${catchAllRoute('echo')}`,
      })
      gw = await serveRuntime([join(cfg.dir, 'gw.yaml')], { handshakeTimeoutMs: HANDSHAKE_MS })
      port = gw.portOf(8443)
      await goodClient()
      baselineHandles = tcpHandles()
    })

    after(async () => {
      await gw.close()
      await echo.close()
      cfg.remove()
    })

    /** One HTTPS request on a fresh connection, as a well-behaved client makes it. */
    async function goodClient(): Promise<void> {
      const r = await httpsGet(port, 'good.test', 'good.test', [certPem])
      if (r.status !== 200) throw new Error(`status ${r.status}`)
    }

    /** After an attack: a good client is served, and connections and handles return to the baseline. */
    async function recovered(): Promise<void> {
      await goodClient()
      await until(() => gw.metric('switchyard_open_connections') === 0, 5000)
      await until(() => tcpHandles() <= baselineHandles, 5000)
    }

    test('garbage on a TLS port is closed at once, with nothing written back', async () => {
      for (const garbage of ['GET / HTTP/1.1\r\nHost: good.test\r\n\r\n', '\x16\x07\x07garbage', Buffer.alloc(4096, 0xff)]) {
        const out = await rawExchange(port, [garbage], { timeoutMs: 2000 })
        assert.equal(out.text, '')
        assert.ok(out.closedAfterMs < HANDSHAKE_MS, `closed after ${out.closedAfterMs} ms`)
      }
      await recovered()
    })

    test('a ClientHello, truncated or whole, followed by a close is let go at once, not at the handshake timeout', async () => {
      const hello = await realClientHello('good.test')
      for (const cut of [1, 5, 40, hello.length - 1, hello.length]) {
        const s = await connectRaw(port)
        s.end(hello.subarray(0, cut))
        const ms = await closedWithin(s)
        assert.ok(ms < HANDSHAKE_MS / 2, `${cut} bytes: closed after ${ms} ms`)
      }
      await recovered()
    })

    test('an oversized ClientHello is refused, and what it holds is bounded', async () => {
      // A record longer than 2^14 bytes (RFC 8446 §5.1), then a ClientHello whose handshake header claims 64 KiB.
      const longRecord = Buffer.from([22, 3, 1, 0x48, 0x00])
      const bigHello = Buffer.concat([Buffer.from([22, 3, 1, 0x40, 0x00, 1, 0x01, 0x00, 0x00]), Buffer.alloc(0x4000 - 4, 7)])
      const long = await rawExchange(port, [longRecord], { timeoutMs: 2000 })
      const big = await rawExchange(port, [bigHello], { timeoutMs: 2000 })
      if (path === 'peeked') {
        // The peek refuses both from their headers, before buffering the bytes they announce.
        for (const out of [long, big]) {
          assert.equal(out.text, '')
          assert.ok(out.closedAfterMs < HANDSHAKE_MS, `closed after ${out.closedAfterMs} ms`)
        }
      } else {
        // OpenSSL refuses the long record at once with record_overflow; it waits for the rest of a
        // long ClientHello (up to its own limit of 128 KiB) until the handshake timeout, holding
        // only the bytes that came.
        assert.equal(long.text, fatalAlert(22))
        assert.ok(long.closedAfterMs < HANDSHAKE_MS, `closed after ${long.closedAfterMs} ms`)
        assert.equal(big.text, '')
        assert.ok(big.closedAfterMs >= HANDSHAKE_MS - 50 && big.closedAfterMs < HANDSHAKE_MS + 1000, `closed after ${big.closedAfterMs} ms`)
      }
      await recovered()
    })

    test('an SNI with invalid characters is refused (RFC 6066 §3: a DNS host name)', async () => {
      const hello = await realClientHello('good.test')
      for (const bad of ['go d', 'go\x00d', 'go/d', 'g\xe9od']) {
        const patched = Buffer.from(hello)
        const at = patched.indexOf('good.test')
        patched.write(bad, at, 'latin1')
        const out = await rawExchange(port, [patched], { timeoutMs: 2000 })
        // The peek closes without a word; OpenSSL, and the SNI callback after it, answer with the alert.
        assert.equal(out.text, path === 'peeked' ? '' : UNRECOGNIZED_NAME, `SNI ${JSON.stringify(bad)}`)
        assert.ok(out.closedAfterMs < HANDSHAKE_MS, `closed after ${out.closedAfterMs} ms`)
      }
      await recovered()
    })

    test('a ClientHello that never completes is closed within the handshake timeout', async () => {
      const hello = await realClientHello('good.test')
      const out = await rawExchange(port, [hello.subarray(0, 20)], { timeoutMs: 3000 })
      assert.ok(out.closedAfterMs >= HANDSHAKE_MS - 50 && out.closedAfterMs < HANDSHAKE_MS + 1000, `closed after ${out.closedAfterMs} ms`)
      await recovered()
    })

    test('a complete ClientHello with a handshake that stalls after it is closed within the handshake timeout', async () => {
      const hello = await realClientHello('good.test')
      const out = await rawExchange(port, [hello], { timeoutMs: 3000 })
      // The gateway answered with its ServerHello, then gave up on the client.
      assert.ok(out.text.length > 0 && out.text.charCodeAt(0) === 22, 'a TLS handshake record came back')
      assert.ok(out.closedAfterMs >= HANDSHAKE_MS - 50 && out.closedAfterMs < HANDSHAKE_MS + 1000, `closed after ${out.closedAfterMs} ms`)
      await recovered()
    })

    test('300 connections stalled mid-ClientHello do not keep a good client out, and all are closed by the timeout', async () => {
      const hello = await realClientHello('good.test')
      const stalled = await Promise.all(Array.from({ length: 300 }, () => connectRaw(port)))
      const closedAll = Promise.all(stalled.map((s) => closedWithin(s)))
      for (const s of stalled) s.write(hello.subarray(0, 30))
      await until(() => gw.metric('switchyard_open_connections') >= 300)
      await goodClient()
      const times = await closedAll
      assert.ok(Math.max(...times) < HANDSHAKE_MS + 2000, `the last closed after ${Math.max(...times)} ms`)
      await recovered()
    })
  })
}

describe('a UDP flood from many source ports', { timeout: 30_000 }, () => {
  test('flows stay bounded, an established client keeps its answers, and a new client is served once the flood ends', async () => {
    const backend = await udpBackend('u')
    const dir = configDir({ 'gw.yaml': `${gatewayWith('{ name: udp, port: 5353, protocol: UDP }')}---\n${service('u', [backend.port], undefined, 'UDP')}${l4Route('UDPRoute', 'u', ['u'])}` })
    const MAX = 32
    const u = await serveRuntime([join(dir.dir, 'gw.yaml')], { udpMaxFlows: MAX, udpIdleMs: 300 })
    const p = u.portOf(5353, 'udp')
    const legit = dgram.createSocket('udp4')
    const flood: dgram.Socket[] = []
    try {
      await new Promise<void>((r) => legit.bind(0, '127.0.0.1', r))
      assert.equal(await udpExchange(legit, p, 'hello'), 'u:hello')
      let maxFlows = 0
      for (let i = 0; i < 400; i++) {
        const s = dgram.createSocket('udp4')
        s.on('error', () => {})
        flood.push(s)
        await new Promise<void>((r) => s.bind(0, '127.0.0.1', r))
        for (let k = 0; k < 3; k++) s.send(`flood-${i}-${k}`, p, '127.0.0.1')
        maxFlows = Math.max(maxFlows, u.metric('switchyard_udp_flows'))
        if (i % 50 === 0) assert.equal(await udpExchange(legit, p, `still-${i}`), `u:still-${i}`)
      }
      assert.ok(maxFlows <= MAX, `${maxFlows} flows at once`)
      const dropped = /^switchyard_udp_dropped_total\{[^}]*reason="flow-limit"\} (\d+)$/m.exec(u.runtime.metrics.render())
      assert.ok(dropped && Number(dropped[1]) > 0, 'datagrams past the flow limit are counted as dropped')
      assert.equal(await udpExchange(legit, p, 'after'), 'u:after')
      for (const s of flood) s.close()
      flood.length = 0
      // The flood's flows expire; a client that arrives now gets a flow of its own.
      await until(() => u.metric('switchyard_udp_flows') <= 1, 5000)
      const late = dgram.createSocket('udp4')
      await new Promise<void>((r) => late.bind(0, '127.0.0.1', r))
      assert.equal(await udpExchange(late, p, 'late'), 'u:late')
      late.close()
    } finally {
      for (const s of flood) s.close()
      legit.close()
      await u.close()
      await backend.close()
      dir.remove()
    }
  })
})
