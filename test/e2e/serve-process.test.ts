import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { configDir, echoBackend, GATEWAY_CLASS, get, service } from './serve-helpers.ts'

// `switchyard serve` as a child process: the startup line, an access-log line per request, and a
// graceful exit on SIGTERM.
test('switchyard serve prints where it listens, logs each request as JSON and exits cleanly on SIGTERM', { timeout: 20000 }, async () => {
  const echo = await echoBackend('echo')
  const cfg = configDir({
    'gw.yaml': `${GATEWAY_CLASS}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec: { gatewayClassName: switchyard, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
${service('echo', [echo.port])}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec: { parentRefs: [{ name: gw }], rules: [{ backendRefs: [{ name: echo, port: 80 }] }] }
`,
  })
  const main = join(import.meta.dirname, '../../src/cli/main.ts')
  const child = spawn(process.execPath, [main, 'serve', '-f', cfg.dir, '--admin', '127.0.0.1:0', '--ephemeral-ports', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  try {
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    const next = async () => JSON.parse(((await lines.next()).value as string) ?? 'null') as Record<string, unknown>
    const serving = (await next()) as { msg: string; admin: string; listeners: { key: string; port: number }[] }
    assert.equal(serving.msg, 'serving')
    const port = serving.listeners.find((l) => l.key === '*:80')!.port
    const ready = await fetch(`http://${serving.admin}/readyz`)
    assert.equal(ready.status, 200)
    assert.equal((await get(port, '/hello', { host: 'example.com' })).status, 200)
    const access = (await next()) as { msg: string; status: number; route: string; backend: string; path: string }
    assert.equal(access.msg, 'access')
    assert.equal(access.status, 200)
    assert.equal(access.path, '/hello')
    assert.equal(access.route, 'httproute/default/r/rule/0')
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
  } finally {
    child.kill('SIGKILL')
    await echo.close()
    cfg.remove()
  }
})
