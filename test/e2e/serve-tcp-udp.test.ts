import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import net from 'node:net'
import { after, before, test } from 'node:test'
import { closed, configDir, freePort, gatewayWith, l4Route, metric, readUntil, serve, service, tcpBackend, udpBackend, udpExchange, until } from './serve-helpers.ts'

// TCP and UDP listeners (gateway-api.md §6): splice to weighted backends per connection, half-close,
// prompt rejection; UDP flows per client with replies to the right client, idle expiry, a bound.
let a: Awaited<ReturnType<typeof tcpBackend>>, b: Awaited<ReturnType<typeof tcpBackend>>
let u: Awaited<ReturnType<typeof udpBackend>>
let cfg: ReturnType<typeof configDir>
let s: Awaited<ReturnType<typeof serve>>
const log: Record<string, unknown>[] = []

before(async () => {
  a = await tcpBackend('a')
  b = await tcpBackend('b')
  u = await udpBackend('u')
  const dead = await freePort()
  cfg = configDir({
    'gw.yaml': `${gatewayWith(
      '{ name: echo, port: 9000, protocol: TCP }',
      '{ name: weighted, port: 9001, protocol: TCP }',
      '{ name: dead, port: 9002, protocol: TCP }',
      '{ name: missing, port: 9003, protocol: TCP }',
      '{ name: dns, port: 9053, protocol: UDP }',
    )}---
${service('a', [a.port])}---
${service('b', [b.port])}---
${service('dead', [dead])}---
${service('u', [u.port], undefined, 'UDP')}${l4Route('TCPRoute', 'echo', ['a'], { section: 'echo' })}${l4Route('TCPRoute', 'weighted', ['a:1', 'b:3'], { section: 'weighted' })}${l4Route('TCPRoute', 'dead', ['dead'], { section: 'dead' })}${l4Route('TCPRoute', 'missing', ['nope'], { section: 'missing' })}${l4Route('UDPRoute', 'dns', ['u'], { section: 'dns' })}`,
  })
  s = await serve([cfg.dir], { accessLog: (l) => log.push(JSON.parse(l) as Record<string, unknown>), udpIdleMs: 300, udpMaxFlows: 3 })
})

after(async () => {
  await s.close()
  await Promise.all([a.close(), b.close(), u.close()])
  cfg.remove()
})

const connect = (port: number) =>
  new Promise<net.Socket>((resolve, reject) => {
    const c = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => resolve(c))
    c.once('error', reject)
  })

test('TCP echo goes through the gateway, and a half-close travels both ways', async () => {
  const c = await connect(s.portOf(9000))
  c.write('hello')
  assert.equal(await readUntil(c, (t) => t === 'a:hello'), 'a:hello')
  // Our FIN reaches the backend; its answer and its own FIN come back on the half-open connection.
  const rest = readUntil(c, (t) => t === 'a:bye')
  c.end()
  assert.equal(await rest, 'a:bye')
  assert.equal(await closed(c), null)
})

test('TCP backends are chosen by weight, per connection (1:3 over 200 connections)', async () => {
  const port = s.portOf(9001)
  const before = { a: a.connections(), b: b.connections() }
  for (let i = 0; i < 200; i += 20) {
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const c = await connect(port)
        c.write('x')
        await readUntil(c, (t) => t.endsWith(':x'))
        c.destroy()
      }),
    )
  }
  const toB = b.connections() - before.b
  assert.equal(toB + a.connections() - before.a, 200)
  // Binomial(200, 0.75): mean 150, sd ≈ 6.1; ±35 is beyond 5 sd.
  assert.ok(toB > 115 && toB < 185, `b got ${toB} of 200`)
})

test('a backend that refuses the connection closes the client at once', async () => {
  const started = Date.now()
  const c = await connect(s.portOf(9002))
  let got = ''
  c.on('data', (d: Buffer) => (got += d))
  await closed(c)
  assert.equal(got, '')
  assert.ok(Date.now() - started < 2000, `closed after ${Date.now() - started} ms`)
})

test('the share of a backend that does not resolve is rejected with a reset', async () => {
  // The reset may come before node reports the connection as established: do not wait for it.
  const c = net.connect(s.portOf(9003), '127.0.0.1')
  const e = await closed(c)
  assert.equal((e as NodeJS.ErrnoException | null)?.code, 'ECONNRESET')
})

test('UDP: two clients at once each get their own replies', async () => {
  const port = s.portOf(9053)
  const clients = [dgram.createSocket('udp4'), dgram.createSocket('udp4')]
  try {
    const got = await Promise.all(
      clients.map(
        (c, i) =>
          new Promise<string[]>((resolve) => {
            const replies: string[] = []
            c.on('message', (m) => {
              replies.push(m.toString())
              if (replies.length === 10) resolve(replies)
            })
            for (let k = 0; k < 10; k++) c.send(`c${i}-${k}`, port, '127.0.0.1')
          }),
      ),
    )
    for (const [i, replies] of got.entries()) assert.deepEqual([...replies].sort(), Array.from({ length: 10 }, (_, k) => `u:c${i}-${k}`).sort())
  } finally {
    clients.forEach((c) => c.close())
  }
})

test('UDP flows expire when idle, and beyond the flow bound new clients are dropped', async () => {
  const port = s.portOf(9053)
  // The earlier test's flows are gone once idle (300 ms here): none is open, and each was logged.
  await until(async () => (await metric(s.adminUrl, 'switchyard_udp_flows')) === 0)
  assert.ok(log.some((l) => l.protocol === 'UDP' && l.route === 'udproute/default/dns/rule/0' && l.bytesIn === 40 && l.bytesOut === 60), JSON.stringify(log.filter((l) => l.protocol === 'UDP')))
  const clients = Array.from({ length: 4 }, () => dgram.createSocket('udp4'))
  try {
    for (const c of clients.slice(0, 3)) assert.equal(await udpExchange(c, port, 'hi'), 'u:hi')
    const dropped = 'switchyard_udp_dropped_total{listener="default/gw/dns",reason="flow-limit"}'
    const before = await metric(s.adminUrl, dropped)
    clients[3]!.send('over the limit', port, '127.0.0.1')
    await until(async () => (await metric(s.adminUrl, dropped)) > before)
    // When the three flows have gone idle, the fourth client gets through.
    await until(async () => (await metric(s.adminUrl, 'switchyard_udp_flows')) === 0)
    assert.equal(await udpExchange(clients[3]!, port, 'now'), 'u:now')
  } finally {
    clients.forEach((c) => c.close())
  }
})

test('TCP connections are counted per route with their bytes, and logged one JSON line each', async () => {
  const labels = 'protocol="TCP",listener="default/gw/echo",route="tcproute/default/echo/rule/0"'
  await until(async () => (await metric(s.adminUrl, `switchyard_l4_connections_total{${labels},result="ok"}`)) >= 1)
  assert.ok((await metric(s.adminUrl, `switchyard_l4_bytes_total{${labels},direction="to_backend"}`)) >= 5)
  assert.ok((await metric(s.adminUrl, `switchyard_l4_bytes_total{${labels},direction="to_client"}`)) >= 12)
  assert.ok((await metric(s.adminUrl, 'switchyard_l4_connections_total{protocol="TCP",listener="default/gw/missing",route="tcproute/default/missing/rule/0",result="rejected"}')) >= 1)
  assert.ok((await metric(s.adminUrl, 'switchyard_l4_connections_total{protocol="TCP",listener="default/gw/dead",route="tcproute/default/dead/rule/0",result="error"}')) >= 1)
  const line = log.find((l) => l.protocol === 'TCP' && l.route === 'tcproute/default/echo/rule/0')
  assert.ok(line, JSON.stringify(log))
  assert.deepEqual({ bytesIn: line.bytesIn, bytesOut: line.bytesOut, error: line.error, backend: line.backend }, { bytesIn: 5, bytesOut: 12, error: null, backend: 'tcproute/default/echo/rule/0/backend/0' })
  assert.match(String(log.find((l) => l.route === 'tcproute/default/dead/rule/0')?.error), /ECONNREFUSED/)
})
