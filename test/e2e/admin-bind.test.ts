import assert from 'node:assert/strict'
import net from 'node:net'
import { networkInterfaces } from 'node:os'
import { test } from 'node:test'
import { runCli, spawnServe } from './cli-process.ts'
import { configDir, gatewayWith } from './serve-helpers.ts'

// The admin API shows the whole configuration and every route: it listens on loopback unless told
// otherwise. Checked on the default address itself, on an address with the host left out, and
// against this machine's other addresses, which must refuse a connection.
const DEFAULT_PORT = 9900

/** An IPv4 address of this machine that is not loopback, if it has one. */
function outsideAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  return null
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port })
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

test('serve --help names loopback as the default admin address', () => {
  assert.match(runCli(['serve', '--help']).stdout, /--admin <host:port>\s+admin API address \(default: "127\.0\.0\.1:9900"\)/)
})

test('the admin API binds loopback by default, and when only a port is given', { timeout: 30000 }, async (t) => {
  const cfg = configDir({ 'gw.yaml': gatewayWith('{ name: http, port: 8098, protocol: HTTP }') })
  const outside = outsideAddress()
  try {
    const cases: { args: string[]; admin: boolean; name: string }[] = [{ name: 'no --admin', args: [], admin: false }, { name: '--admin :0', args: ['--admin', ':0'], admin: true }]
    for (const c of cases) {
      if (!c.admin && !(await portFree(DEFAULT_PORT))) {
        t.diagnostic(`skipped "${c.name}": port ${DEFAULT_PORT} is in use by another process`)
        continue
      }
      const serve = await spawnServe(['-f', cfg.dir, '--access-log', 'off', ...c.args], {}, c.admin)
      try {
        const [host, port] = [serve.admin.slice(0, serve.admin.lastIndexOf(':')), Number(serve.admin.slice(serve.admin.lastIndexOf(':') + 1))]
        assert.equal(host, '127.0.0.1', c.name)
        if (!c.admin) assert.equal(port, DEFAULT_PORT)
        assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200)
        if (outside) assert.equal(await connects(outside, port), false, `${c.name}: the admin API answers on ${outside}`)
      } finally {
        assert.equal(await serve.stop(), 0)
      }
    }
    // Told otherwise, it does as told: the positive control for the refusal above.
    if (outside) {
      const serve = await spawnServe(['-f', cfg.dir, '--access-log', 'off', '--admin', '0.0.0.0:0'])
      try {
        assert.equal(await connects(outside, Number(serve.admin.slice(serve.admin.lastIndexOf(':') + 1))), true)
      } finally {
        assert.equal(await serve.stop(), 0)
      }
    } else t.diagnostic('this machine has no non-loopback IPv4 address: the refusal from outside was not checked')
  } finally {
    cfg.remove()
  }
})
