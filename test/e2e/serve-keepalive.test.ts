import assert from 'node:assert/strict'
import net from 'node:net'
import { test } from 'node:test'
import { catchAllRoute, configDir, echoBackend, gatewayWith, readUntil, serve, service } from './serve-helpers.ts'

/** A keep-alive connection that carried one request; resolves with how long it stayed open after its response. */
async function idleFor(port: number, deadlineMs: number): Promise<number | null> {
  const s = net.connect(port, '127.0.0.1')
  try {
    s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await readUntil(s, (t) => t.includes('"backend":"echo"'))
    const t0 = performance.now()
    const closed = new Promise<number>((r) => s.once('close', () => r(performance.now() - t0)))
    let timer: NodeJS.Timeout | undefined
    const gaveUp = new Promise<null>((r) => (timer = setTimeout(() => r(null), deadlineMs)))
    const out = await Promise.race([closed, gaveUp])
    clearTimeout(timer)
    return out
  } finally {
    s.destroy()
  }
}

test('serve closes idle keep-alive client connections after keepAliveTimeoutMs (--keepalive-timeout), not node’s 5 s', { timeout: 20_000 }, async () => {
  const echo = await echoBackend('echo')
  const cfg = configDir({ 'gw.yaml': gatewayWith('{ name: http, port: 8090, protocol: HTTP }'), 'routes.yaml': `${service('echo', [echo.port])}---\n${catchAllRoute('echo')}` })
  const short = await serve([cfg.dir], { limits: { keepAliveTimeoutMs: 300 } })
  try {
    // A deadline, not a sleep: the short one must close well before the 5 s default would.
    const closedAfter = await idleFor(short.portOf(8090), 4000)
    assert.ok(closedAfter !== null, 'the idle connection was still open after 4 s')
  } finally {
    await short.close()
    await echo.close()
    cfg.remove()
  }
})
