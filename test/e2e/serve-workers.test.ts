import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { configDir, echoBackend, GATEWAY_CLASS, get, httpRoute, service, until } from './serve-helpers.ts'

const config = (rev: string, echoPort: number) => `${GATEWAY_CLASS}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec: { gatewayClassName: switchyard, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
${service('echo', [echoPort])}---
${httpRoute(`    - backendRefs: [{ name: echo, port: 80 }]
      filters: [{ type: ResponseHeaderModifier, responseHeaderModifier: { set: [{ name: x-rev, value: "${rev}" }] } }]
`)}`

// `serve --workers 2`: two worker processes share the listener (connections reach both, as the
// access log's `worker` field shows), a reload is live in both before /status says so, and SIGTERM
// stops them all.
test('serve --workers 2 spreads connections over both workers, reloads both, and exits cleanly', { timeout: 60_000 }, async () => {
  const echo = await echoBackend('echo')
  const cfg = configDir({ 'gw.yaml': config('1', echo.port) })
  const main = join(import.meta.dirname, '../../src/cli/main.ts')
  const child = spawn(process.execPath, [main, 'serve', '-f', cfg.dir, '--admin', '127.0.0.1:0', '--ephemeral-ports', '--workers', '2'], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const access: { worker: number; status: number }[] = []
  let serving: { admin: string; listeners: { key: string; port: number }[] } | null = null
  createInterface({ input: child.stdout }).on('line', (l) => {
    const j = JSON.parse(l) as { msg: string; worker: number; status: number }
    if (j.msg === 'serving') serving = j as unknown as typeof serving
    else if (j.msg === 'access') access.push(j)
  })
  try {
    await until(() => serving !== null, 30_000)
    const { admin, listeners } = serving!
    const port = listeners.find((l) => l.key === '*:80')!.port
    const workersSeen = async (rev: string) => {
      const from = access.length
      // Fresh connections: cluster hands each to the next worker in turn.
      for (let i = 0; i < 8; i++) {
        const r = await get(port, '/x', { host: 'example.com' })
        assert.equal(r.status, 200)
        assert.equal(r.headers['x-rev'], rev)
      }
      await until(() => access.length >= from + 8)
      return new Set(access.slice(from).map((a) => a.worker))
    }
    assert.deepEqual([...(await workersSeen('1'))].sort(), [1, 2])
    const generation = async () => ((await (await fetch(`http://${admin}/status`)).json()) as { generation: number }).generation
    const before = await generation()
    cfg.write('gw.yaml', config('2', echo.port))
    await until(async () => (await generation()) > before, 20_000)
    // /status moves on only once every worker applied the new configuration.
    assert.deepEqual([...(await workersSeen('2'))].sort(), [1, 2])
    await until(async () => /switchyard_http_requests_total\{[^}]*code="200"\} 16/.test(await (await fetch(`http://${admin}/metrics`)).text()), 10_000)
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
  } finally {
    child.kill('SIGKILL')
    await echo.close()
    cfg.remove()
  }
})
