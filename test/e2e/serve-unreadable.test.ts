import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { spawnServe, type ServeProcess } from './cli-process.ts'
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
  let serve: ServeProcess | null = null
  try {
    serve = await spawnServe(['-f', join(cfg.dir, 'gw.yaml'), '-f', routes, '--access-log', 'off'], runAs ?? {})
    const port = serve.portOf(8097)
    const errors = async () => ((await (await fetch(`http://${serve!.admin}/status`)).json()) as { errors: { code: string; message: string }[] }).errors
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
    assert.equal(await serve.stop(), 0)
    serve = null
  } finally {
    await serve?.stop()
    await echo.close()
    cfg.remove()
  }
})
