/**
 * Switchyard under test: `node src/cli/main.ts serve -f <yaml> --admin 127.0.0.1:<port>
 * --workers 1 --keepalive-timeout 300000` as a child process on the proxy core (access log off, one
 * worker and a 300 s client keep-alive, as for every peer), and what its admin API
 * says about it (DESIGN.md §5: `/readyz`, `/status` with `generation`).
 */
import { renameSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { join } from 'node:path'
import { CPU } from './peers.ts'
import { freePort, start, waitFor, type Proc } from './procs.ts'

const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts')

export interface Switchyard {
  readonly proc: Proc
  readonly admin: number
  /** The YAML file it serves (rewrite it with `rewrite` to reload). */
  readonly file: string
}

/** GET a loopback admin path; resolves with status and body, or status 0 when unreachable. */
export async function adminGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return await new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', () => resolve({ status: 0, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', () => resolve({ status: 0, body: '' }))
  })
}

export interface SwitchyardOptions {
  /** `--workers`: one, like every peer, unless a scenario measures scaling. @default 1 */
  readonly workers?: number
  /** The `taskset -c` CPU list. @default the proxy core */
  readonly cpu?: string
  /** More `serve` flags (`--busy-poll 0`). */
  readonly args?: readonly string[]
}

/** Start `serve` on the proxy core and wait until `/readyz` answers 200 (first config live). */
export async function startSwitchyard(name: string, dir: string, yaml: string, readyTimeoutMs = 60_000, o: SwitchyardOptions = {}): Promise<Switchyard> {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, yaml)
  const admin = await freePort()
  // Client keep-alive held 300 s, as nginx (keepalive_timeout), HAProxy (timeout http-keep-alive)
  // and the Node peer are configured: the memory scenario must find its 10,000 connections open.
  const args = [MAIN, 'serve', '-f', file, '--admin', `127.0.0.1:${admin}`, '--access-log', 'off', '--workers', String(o.workers ?? 1), '--keepalive-timeout', '300000', ...(o.args ?? [])]
  const proc = start(name, process.execPath, args, { cpu: o.cpu ?? CPU.proxy, logDir: dir })
  await waitFor(`${name} /readyz`, readyTimeoutMs, async () => (await adminGet(admin, '/readyz')).status === 200, proc)
  return { proc, admin, file }
}

/** Replace the served file atomically (write then rename, as editors save) to trigger a reload. */
export function rewrite(s: Switchyard, yaml: string): void {
  const tmp = `${s.file}.tmp`
  writeFileSync(tmp, yaml)
  renameSync(tmp, s.file)
}
