import assert from 'node:assert/strict'
import dgram from 'node:dgram'
import net from 'node:net'
import { test } from 'node:test'
import type { ReloadOutcome } from '../../src/pipeline/index.ts'
import { configDir, gatewayWith, l4Route, readUntil, selfSignedCert, serve, service, tcpBackend, tlsBackend, tlsConnect, udpBackend, udpExchange, until } from './serve-helpers.ts'

// Reloads under open TCP, TLS and UDP traffic (the same story as HTTP): a connection or flow keeps
// the backend it started with, new ones take the new route, a removed port stops accepting at once
// and closes what is left once the drain time is up.
test('open TCP, TLS passthrough and UDP traffic survives a reload; new traffic follows the new routes; a removed port drains', { timeout: 30_000 }, async () => {
  const [a, b] = [await tcpBackend('a'), await tcpBackend('b')]
  const [u1, u2] = [await udpBackend('u1'), await udpBackend('u2')]
  const cert = selfSignedCert(['DNS:pass.test'])
  const t1 = await tlsBackend('t1', cert)
  const t2 = await tlsBackend('t2', cert)
  const config = (second: boolean) => `${gatewayWith(
    '{ name: tcp, port: 9100, protocol: TCP }',
    '{ name: udp, port: 9153, protocol: UDP }',
    '{ name: tls, port: 9443, protocol: TLS, tls: { mode: Passthrough } }',
    ...(second ? [] : ['{ name: going, port: 9101, protocol: TCP }']),
  )}---
${service('a', [a.port])}---
${service('b', [b.port])}---
${service('t1', [t1.port])}---
${service('t2', [t2.port])}---
${service('u1', [u1.port], undefined, 'UDP')}---
${service('u2', [u2.port], undefined, 'UDP')}${l4Route('TCPRoute', 'tcp', [second ? 'b' : 'a'], { section: 'tcp' })}${l4Route('UDPRoute', 'udp', [second ? 'u2' : 'u1'], { section: 'udp' })}${l4Route('TLSRoute', 'tls', [second ? 't2' : 't1'], { section: 'tls', hostnames: ['pass.test'] })}${second ? '' : l4Route('TCPRoute', 'going', ['a'], { section: 'going' })}`
  const cfg = configDir({ 'gw.yaml': config(false) })
  const outcomes: ReloadOutcome[] = []
  const s = await serve([cfg.dir], { drainMs: 1500, udpIdleMs: 60_000, onReload: (o) => outcomes.push(o) })
  const connect = (port: number) => net.connect({ host: '127.0.0.1', port, allowHalfOpen: true })
  const udp = dgram.createSocket('udp4')
  const udpLater = dgram.createSocket('udp4')
  try {
    const [tcpPort, udpPort, tlsPort, goingPort] = [s.portOf(9100), s.portOf(9153, 'udp'), s.portOf(9443), s.portOf(9101)]
    const tcp = connect(tcpPort)
    tcp.write('one')
    assert.equal(await readUntil(tcp, (t) => t === 'a:one'), 'a:one')
    const going = connect(goingPort)
    going.write('x')
    await readUntil(going, (t) => t === 'a:x')
    const sealed = await tlsConnect(tlsPort, 'pass.test', [cert.certPem])
    assert.match(await readUntil(sealed, (t) => t.includes('\n')), /"backend":"t1"/)
    assert.equal(await udpExchange(udp, udpPort, 'one'), 'u1:one')

    const n = outcomes.length
    cfg.write('gw.yaml', config(true))
    await until(() => outcomes.length > n)
    assert.equal(outcomes[n]?.kind, 'published')

    // Open connections and flows keep their backend, even on the removed port while it drains...
    going.write('y')
    assert.equal(await readUntil(going, (t) => t === 'a:y'), 'a:y')
    tcp.write('two')
    assert.equal(await readUntil(tcp, (t) => t === 'a:two'), 'a:two')
    sealed.write('two')
    assert.equal(await readUntil(sealed, (t) => t === 't1:two'), 't1:two')
    assert.equal(await udpExchange(udp, udpPort, 'two'), 'u1:two')
    // ...new ones take the new routes...
    const fresh = connect(tcpPort)
    fresh.write('three')
    assert.equal(await readUntil(fresh, (t) => t === 'b:three'), 'b:three')
    fresh.destroy()
    const freshTLS = await tlsConnect(tlsPort, 'pass.test', [cert.certPem])
    assert.match(await readUntil(freshTLS, (t) => t.includes('\n')), /"backend":"t2"/)
    freshTLS.destroy()
    assert.equal(await udpExchange(udpLater, udpPort, 'three'), 'u2:three')
    // ...and the removed port refuses new connections, and closes the open one once the drain time is up.
    await assert.rejects(new Promise((resolve, reject) => connect(goingPort).once('connect', resolve).once('error', reject)), /ECONNREFUSED/)
    // (Our socket is half-open: the gateway's close shows as the end of what we read.)
    await assert.rejects(readUntil(going, () => false), /ended/)
    going.destroy()
    tcp.end()
    assert.equal(await readUntil(tcp, (t) => t === 'a:bye'), 'a:bye')
    sealed.destroy()
  } finally {
    udp.close()
    udpLater.close()
    await s.close()
    await Promise.all([a.close(), b.close(), u1.close(), u2.close(), t1.close(), t2.close()])
    cfg.remove()
  }
})
