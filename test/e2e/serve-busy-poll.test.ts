import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { cpuQuota } from '../../src/dataplane/index.ts'
import { busyPolling } from '../../src/dataplane/proxy/index.ts'
import { runCli, spawnServe } from './cli-process.ts'
import { catchAllRoute, configDir, gatewayWith, get, serve, service, until } from './serve-helpers.ts'

// `serve --busy-poll <µs>` (proxy/busy-poll.ts): after a proxied exchange the event loop keeps
// polling for the window, only while the runtime that asked for it is open. Off in the Runtime
// unless asked for; the CLI asks for 50 µs by default (`auto`) where no CPU quota applies.

let backend: http.Server
let cfg: ReturnType<typeof configDir>

before(async () => {
  backend = http.createServer((_req, res) => res.end('ok'))
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
  cfg = configDir({ 'gw.yaml': `${gatewayWith('{ name: http, port: 8080, protocol: HTTP }')}---\n${service('b', [(backend.address() as AddressInfo).port])}---\n${catchAllRoute('b')}` })
})

after(async () => {
  await new Promise<void>((r) => (backend.close(() => r()), backend.closeAllConnections()))
  cfg.remove()
})

test('a Runtime not asked to busy-poll lets the loop sleep after an exchange', { timeout: 30_000 }, async () => {
  const s = await serve([cfg.dir], { accessLog: null })
  try {
    assert.equal((await get(s.portOf(8080), '/', { host: 'a.test' })).status, 200)
    assert.equal(busyPolling(), false)
  } finally {
    await s.close()
  }
})

test('with a busy-poll window the loop is polling right after an exchange, and stops when the runtime closes', { timeout: 30_000 }, async () => {
  const s = await serve([cfg.dir], { accessLog: null, busyPollUs: 1_000_000 })
  try {
    assert.equal((await get(s.portOf(8080), '/', { host: 'a.test' })).status, 200)
    assert.equal(busyPolling(), true, 'a one-second window is still open when the response has arrived')
  } finally {
    await s.close()
  }
  await until(() => !busyPolling(), 2000)
})

for (const workers of ['1', '2']) {
  test(`serve --busy-poll 50 --workers ${workers} proxies as usual`, { timeout: 30_000 }, async () => {
    const s = await spawnServe(['-f', cfg.dir, '--busy-poll', '50', '--workers', workers, '--access-log', 'off'])
    try {
      for (let i = 0; i < 3; i++) {
        const r = await get(s.portOf(8080), '/', { host: 'a.test' })
        assert.deepEqual([r.status, r.body], [200, 'ok'])
      }
    } finally {
      assert.equal(await s.stop(), 0)
    }
  })
}

/** The busy-poll windows a spawned serve reports on /metrics, paid and wasted together. */
async function windowsOf(admin: string): Promise<number> {
  const text = await (await fetch(`http://${admin}/metrics`)).text()
  return [...text.matchAll(/^switchyard_busy_poll_windows_total\{outcome="(?:paid|wasted)"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0)
}

for (const [args, polls] of [[[], cpuQuota() === null], [['--busy-poll', '0'], false]] as const) {
  test(`serve ${args.length ? args.join(' ') : 'without --busy-poll'} ${polls ? 'opens busy-poll windows (auto: no CPU quota here)' : 'opens no busy-poll window'}, as /metrics shows`, { timeout: 30_000 }, async () => {
    const s = await spawnServe(['-f', cfg.dir, ...args, '--access-log', 'off'])
    try {
      for (let i = 0; i < 5; i++) assert.equal((await get(s.portOf(8080), '/', { host: 'a.test' })).status, 200)
      const windows = await windowsOf(s.admin)
      if (polls) assert.ok(windows > 0, `windows: ${windows}`)
      else assert.equal(windows, 0)
    } finally {
      assert.equal(await s.stop(), 0)
    }
  })
}

test('serve refuses a busy-poll window that is not 0–1000000 microseconds, with exit status 2', { timeout: 30_000 }, () => {
  for (const v of ['fast', '-5', '1000001', '2.5']) {
    const r = runCli(['serve', '-f', cfg.dir, '--busy-poll', v])
    assert.equal(r.code, 2, v)
    assert.ok(r.stderr.includes(`--busy-poll wants microseconds from 0 to 1000000 or auto, got ${JSON.stringify(v)} [CLI_USAGE]`), r.stderr)
  }
})
