import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { configDir, echoBackend, gatewayWith, get, service, until } from './serve-helpers.ts'

// A configuration file that becomes unreadable (chmod 000) while `switchyard serve` runs: the
// reload is refused with the file's path in /status `errors`, traffic keeps flowing on the last
// good configuration, and making the file readable again recovers. Permissions do not stop root,
// so as root the gateway process runs as `nobody`; without such a user the test is skipped.
function nobody(): { uid: number; gid: number } | null {
  try {
    return { uid: Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' })) }
  } catch {
    return null
  }
}
const asRoot = process.getuid?.() === 0
const runAs = asRoot ? nobody() : null
const skip = asRoot && runAs === null ? 'running as root, and there is no `nobody` user to run the gateway as: root reads files whatever their mode' : false

test('an unreadable file is refused with its path; the last good configuration keeps serving', { timeout: 20000, skip }, async () => {
  const echo = await echoBackend('echo')
  const cfg = configDir({
    'gw.yaml': gatewayWith('{ name: http, port: 8097, protocol: HTTP }'),
    'routes.yaml': `${service('echo', [echo.port])}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec: { parentRefs: [{ name: gw }], rules: [{ backendRefs: [{ name: echo, port: 80 }] }] }
`,
  })
  chmodSync(cfg.dir, 0o755)
  const routes = join(cfg.dir, 'routes.yaml')
  const main = join(import.meta.dirname, '../../src/cli/main.ts')
  const child = spawn(process.execPath, [main, 'serve', '-f', join(cfg.dir, 'gw.yaml'), '-f', routes, '--admin', '127.0.0.1:0', '--ephemeral-ports', '--access-log', 'off'], { stdio: ['ignore', 'pipe', 'pipe'], ...(runAs ?? {}) })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  try {
    const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()
    assert.ok(!first.done, `serve exited: ${stderr}`)
    const serving = JSON.parse(first.value as string) as { admin: string; listeners: { key: string; port: number }[] }
    const port = serving.listeners.find((l) => l.key === '*:8097')!.port
    const errors = async () => ((await (await fetch(`http://${serving.admin}/status`)).json()) as { errors: { code: string; message: string }[] }).errors
    assert.equal((await get(port, '/', { host: 'x' })).status, 200)

    chmodSync(routes, 0o000)
    await until(async () => (await errors()).length > 0)
    const [e] = await errors()
    assert.equal(e!.code, 'PIPELINE_REJECTED')
    assert.match(e!.message, /routes\.yaml: EACCES: permission denied/)
    assert.equal((await get(port, '/', { host: 'x' })).status, 200)

    chmodSync(routes, 0o644)
    await until(async () => (await errors()).length === 0)
    assert.equal((await get(port, '/', { host: 'x' })).status, 200)
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
  } finally {
    child.kill('SIGKILL')
    await echo.close()
    cfg.remove()
  }
})
