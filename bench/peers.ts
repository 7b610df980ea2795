/**
 * The peers Switchyard is compared with — nginx, HAProxy, Caddy, a Node proxy, a Node calibration
 * peer — and the nginx backend behind all of them: installing them from Debian when missing, and
 * starting each with one worker, pinned with `taskset`, from a configuration written into the
 * run's temporary directory, in the foreground, as the current user, on loopback ports.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { caddyfile, haproxyConf, nginxBackendConf, nginxProxyConf, type BackendSpec, type NginxEnv, type ProxySpec } from './peer-configs.ts'
import { childNofile, runBounded, start, waitForPort, type Proc } from './procs.ts'

/** Where the benchmark pins things: the proxy under test alone on one core, load and backend on the other. */
export const CPU = { proxy: '0', load: '1' } as const

/** The tools found on this machine (null: not installed and could not be installed). */
export interface Tools {
  readonly nginx: string | null
  /** The nginx `stream` module is available (built in or loadable). */
  readonly nginxStream: boolean
  readonly nginxEnv: NginxEnv
  readonly haproxy: string | null
  readonly caddy: string | null
  readonly wrk: string | null
  /** One line per tool: its version, or why it is missing. */
  readonly versions: readonly string[]
}

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin', '/bin']
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so'

function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SBIN]
  for (const d of dirs) if (existsSync(join(d, name))) return join(d, name)
  return null
}

/** Debian packages providing each tool (caddy is optional: the run goes on without it). */
const PACKAGES: Record<string, string> = { nginx: 'nginx', 'nginx-stream': 'libnginx-mod-stream', haproxy: 'haproxy', wrk: 'wrk', caddy: 'caddy' }

function streamAvailable(nginx: string): { ok: boolean; dynamic: boolean } {
  const v = runBounded(nginx, ['-V'], 10_000).out
  if (/--with-stream(\s|$)/m.test(v) && !/--with-stream=dynamic/.test(v)) return { ok: true, dynamic: false }
  return { ok: existsSync(STREAM_MODULE), dynamic: true }
}

/**
 * Find nginx, HAProxy, wrk and Caddy; `apt-get install` the missing ones (with `sudo -n` when not
 * root) unless `install` is false. A tool that cannot be installed is reported and skipped.
 */
export function ensureTools(install: boolean, log: (line: string) => void): Tools {
  const missing = (): string[] => {
    const m: string[] = []
    for (const t of ['nginx', 'haproxy', 'wrk', 'caddy']) if (!which(t)) m.push(t)
    const nginx = which('nginx')
    if (nginx && !streamAvailable(nginx).ok) m.push('nginx-stream')
    else if (!nginx) m.push('nginx-stream')
    return m
  }
  const before = missing()
  if (before.length > 0 && install) aptInstall(before.map((t) => PACKAGES[t]!), log)
  else if (before.length > 0) log(`not installing (--no-install): ${before.join(', ')}`)

  const nginx = which('nginx')
  const stream = nginx ? streamAvailable(nginx) : { ok: false, dynamic: false }
  const tools = { nginx, haproxy: which('haproxy'), caddy: which('caddy'), wrk: which('wrk') }
  const version = (name: string, path: string | null, args: string[], pattern: RegExp): string => {
    if (!path) return `${name}: not available`
    const m = pattern.exec(runBounded(path, args, 10_000).out)
    return `${name}: ${m?.[1] ?? 'unknown version'}`
  }
  const versions = [
    version('nginx', tools.nginx, ['-v'], /nginx\/(\S+)/) + (nginx && !stream.ok ? ' (no stream module: L4 peers skipped)' : ''),
    version('HAProxy', tools.haproxy, ['-v'], /version (\S+)/),
    version('Caddy', tools.caddy, ['version'], /^v?(\S+)/m),
    version('wrk', tools.wrk, ['-v'], /wrk (\S+)/),
  ]
  return {
    ...tools,
    nginxStream: stream.ok,
    nginxEnv: { user: process.getuid?.() === 0 ? userInfo().username : null, streamModule: stream.ok && stream.dynamic ? STREAM_MODULE : null },
    versions,
  }
}

function aptInstall(packages: readonly string[], log: (line: string) => void): void {
  const root = process.getuid?.() === 0
  if (!root && !runBounded('sudo', ['-n', 'true'], 10_000).ok) {
    log(`cannot install ${packages.join(', ')}: not root and sudo needs a password; those peers are skipped`)
    return
  }
  const apt = (args: string[]) => (root ? runBounded('apt-get', args, 600_000, { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }) : runBounded('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], 600_000))
  log(`installing from Debian: ${packages.join(' ')}`)
  if (apt(['install', '-y', ...packages]).ok) return
  // The package lists may be missing or stale; then try each package alone so one that does not
  // exist here (caddy on older releases) does not stop the others.
  apt(['update'])
  if (apt(['install', '-y', ...packages]).ok) return
  for (const p of packages) {
    const r = apt(['install', '-y', p])
    if (!r.ok) log(`could not install ${p}; skipped (${r.out.trim().split('\n').at(-1)})`)
  }
}

/** Write `text` to `<dir>/<file>` and return the path. */
export function writeConfig(dir: string, file: string, text: string): string {
  const path = join(dir, file)
  writeFileSync(path, text)
  return path
}

/** Static files for the backend: `/16k` (16 KiB) and `/1m` (1 MiB). */
export function writeContent(www: string): void {
  mkdirSync(www, { recursive: true })
  writeFileSync(join(www, '16k'), Buffer.alloc(16 * 1024, 'b'))
  writeFileSync(join(www, '1m'), Buffer.alloc(1024 * 1024, 'm'))
}

/** The nginx backend on the load core: 100 bytes on any path but `/16k` and `/1m`; HTTP and HTTPS. */
export async function startBackend(tools: Tools, b: BackendSpec): Promise<Proc> {
  if (!tools.nginx) throw new Error('nginx is needed for the backend and is not installed')
  writeContent(b.www)
  mkdirSync(join(b.dir, 'backend-temp'), { recursive: true })
  const conf = writeConfig(b.dir, 'backend.conf', nginxBackendConf(b, tools.nginxEnv))
  const p = start('backend', tools.nginx, ['-p', b.dir, '-e', join(b.dir, 'backend.error.log'), '-c', conf], { cpu: CPU.load, logDir: b.dir })
  await waitForPort(p, b.port)
  return p
}

/** nginx as the proxy under test, on the proxy core. */
export async function startNginx(tools: Tools, s: ProxySpec): Promise<Proc> {
  if (!tools.nginx) throw new Error('nginx is not installed')
  mkdirSync(join(s.dir, 'nginx-temp'), { recursive: true })
  const conf = writeConfig(s.dir, 'nginx.conf', nginxProxyConf(s, tools.nginxEnv))
  const p = start('nginx', tools.nginx, ['-p', s.dir, '-e', join(s.dir, 'nginx.error.log'), '-c', conf], { cpu: CPU.proxy, logDir: s.dir })
  await waitForPorts(p, s)
  return p
}

/** HAProxy in the foreground (`-db`), one thread, on the proxy core. */
export async function startHaproxy(tools: Tools, s: ProxySpec): Promise<Proc> {
  if (!tools.haproxy) throw new Error('HAProxy is not installed')
  const conf = writeConfig(s.dir, 'haproxy.cfg', haproxyConf(s, childNofile()))
  const p = start('haproxy', tools.haproxy, ['-db', '-f', conf], { cpu: CPU.proxy, logDir: s.dir })
  await waitForPorts(p, s)
  return p
}

/** Caddy with GOMAXPROCS=1 (one worker), its state directories inside the run's directory. */
export async function startCaddy(tools: Tools, s: ProxySpec): Promise<Proc> {
  if (!tools.caddy) throw new Error('Caddy is not installed')
  const conf = writeConfig(s.dir, 'Caddyfile', caddyfile(s))
  const home = join(s.dir, 'caddy-home')
  mkdirSync(home, { recursive: true })
  const env = { ...process.env, GOMAXPROCS: '1', HOME: home, XDG_DATA_HOME: home, XDG_CONFIG_HOME: home }
  const p = start('caddy', tools.caddy, ['run', '--config', conf, '--adapter', 'caddyfile'], { cpu: CPU.proxy, logDir: s.dir, env })
  await waitForPorts(p, s)
  return p
}

/** The Node peer (bench/node-proxy.ts: `node:http` in front of undici `Pool.stream`). */
export async function startNodeProxy(s: ProxySpec): Promise<Proc> {
  return await startNodeScript('node-proxy', s)
}

/** The calibration peer (bench/node-raw-proxy.ts: HTTP/1.1 on `net.Socket` both sides, no checks; with `https`, node's `tls.Server` in front). */
export async function startNodeRawProxy(s: ProxySpec): Promise<Proc> {
  // With TLS: the same calibration code, given the certificate and key (its usage line).
  return s.https ? await startNodeScript('node-raw-proxy', s, s.https, [s.https.cert, s.https.key]) : await startNodeScript('node-raw-proxy', s)
}

/** One Node process running `bench/<script>.ts <listen port> <upstream port> [extra…]`, on the proxy core. */
async function startNodeScript(script: string, s: ProxySpec, listen: { readonly port: number; readonly upstream: number } | undefined = s.http, extra: readonly string[] = []): Promise<Proc> {
  if (!listen) throw new Error(`${script} serves plain HTTP only`)
  const p = start(script, process.execPath, [join(import.meta.dirname, `${script}.ts`), String(listen.port), String(listen.upstream), ...extra], { cpu: CPU.proxy, logDir: s.dir })
  await waitForPorts(p, s)
  return p
}

async function waitForPorts(p: Proc, s: ProxySpec): Promise<void> {
  for (const part of [s.http, s.https, s.tlsPassthrough, s.tcp]) if (part) await waitForPort(p, part.port)
}
