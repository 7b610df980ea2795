import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { request, ROOT, until } from './run-helpers.ts'

// `switchyard run` as a user starts it (what `npm start` runs), and `switchyard certs`: the printed
// commands are parsed and sent as they read, and each must answer from the container it names.
const CLI = join(ROOT, 'src/cli/main.ts')

/** One printed `curl` line, read the way curl would. */
function parseCurl(line: string): { port: number; host: string | null; path: string; headers: Record<string, string>; method: string; cacert: string | null } {
  const words = [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => m[1]?.replaceAll(`'\\''`, "'") ?? m[2]!)
  let cacert: string | null = null
  let resolveTo: string | null = null
  let method = 'GET'
  const headers: Record<string, string> = {}
  let url = ''
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!
    if (w === '--cacert') cacert = words[++i]!
    else if (w === '--resolve') resolveTo = words[++i]!
    else if (w === '-X') method = words[++i]!
    else if (w === '-H') {
      const [k, ...v] = words[++i]!.split(':')
      headers[k!.trim()] = v.join(':').trim()
    } else url = w
  }
  const u = new URL(url)
  assert.equal(resolveTo, u.hostname === '127.0.0.1' ? null : `${u.hostname}:${u.port}:127.0.0.1`)
  return { port: Number(u.port), host: resolveTo ? u.hostname : null, path: u.pathname + u.search, headers, method, cacert }
}

test('npm start’s command: every printed curl line answers from the container it names; Ctrl-C stops the local processes', { timeout: 60_000 }, async () => {
  const configDir = mkdtempSync(join(tmpdir(), 'switchyard-run-process-'))
  const child = spawn(process.execPath, [CLI, 'run', 'examples/shop/app.yaml', '--env', 'examples/shop/env.yaml', '--ephemeral-ports', '--admin', '127.0.0.1:0'], { cwd: ROOT, env: { ...process.env, SWITCHYARD_CONFIG_DIR: configDir }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c))
  child.stderr.on('data', (c: Buffer) => (stderr += c))
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  try {
    await until(() => stdout.includes('Ctrl-C stops') || child.exitCode !== null, 30_000, () => `the summary (stdout: ${stdout}\nstderr: ${stderr})`)
    const summary = stdout.slice(stdout.indexOf('app shop'))
    const pids = [...summary.matchAll(/command \(pid (\d+)\)/g)].map((m) => Number(m[1]))
    assert.equal(pids.length, 2, summary)
    const lines = summary.split('\n')
    let tried = 0
    for (let i = 0; i < lines.length; i++) {
      const m = /^ {6}(curl .*)$/.exec(lines[i]!)
      if (!m) continue
      const expected = /→ (\S+)$/.exec(lines[i - 1]!)![1]!
      const c = parseCurl(m[1]!)
      const a = await request(c.port, { ...(c.host ? { host: c.host } : {}), path: c.path, method: c.method, headers: c.headers, ...(c.cacert ? { ca: readFileSync(c.cacert, 'utf8') } : {}) })
      assert.equal(a.status, 200, `${m[1]} → ${a.status} ${a.body}`)
      assert.equal(a.json().service, expected, m[1])
      tried++
    }
    assert.equal(tried, 4, 'two routes on HTTP and HTTPS')
    child.kill('SIGINT')
    assert.equal(await exited, 0, stderr)
    assert.match(stdout, /stopping: draining the gateway, then stopping local containers/)
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `local process ${pid} was stopped`)
  } finally {
    child.kill('SIGKILL')
    rmSync(configDir, { recursive: true, force: true })
  }
})

test('switchyard certs creates the CA on first use and shows it; --export writes its certificate', { timeout: 30_000 }, () => {
  const configDir = mkdtempSync(join(tmpdir(), 'switchyard-certs-'))
  try {
    const env = { ...process.env, SWITCHYARD_CONFIG_DIR: configDir }
    const first = spawnSync(process.execPath, [CLI, 'certs'], { cwd: ROOT, env, encoding: 'utf8' })
    assert.equal(first.status, 0, first.stderr)
    const certPath = join(configDir, 'ca', 'cert.pem')
    assert.match(first.stdout, /^local CA \(created now\)$/m)
    assert.match(first.stdout, new RegExp(`certificate +${certPath.replace(/[.]/g, '\\.')}`))
    assert.match(first.stdout, /SHA-256 +([0-9A-F]{2}:){31}[0-9A-F]{2}/)
    assert.match(first.stdout, /expires +\d{4}-\d\d-\d\dT/)
    assert.equal(statSync(join(configDir, 'ca', 'key.pem')).mode & 0o777, 0o600)
    const again = spawnSync(process.execPath, [CLI, 'certs'], { cwd: ROOT, env, encoding: 'utf8' })
    assert.doesNotMatch(again.stdout, /created now/)
    const out = join(configDir, 'exported.pem')
    const exported = spawnSync(process.execPath, [CLI, 'certs', '--export', out], { cwd: ROOT, env, encoding: 'utf8' })
    assert.equal(exported.status, 0, exported.stderr)
    assert.equal(readFileSync(out, 'utf8'), readFileSync(certPath, 'utf8'))
    assert.doesNotMatch(readFileSync(out, 'utf8'), /PRIVATE KEY/)
    const bad = spawnSync(process.execPath, [CLI, 'certs', '--export', join(configDir, 'no', 'such', 'dir.pem')], { cwd: ROOT, env, encoding: 'utf8' })
    assert.equal(bad.status, 2)
    assert.match(bad.stderr, /\[LOCAL_CA_EXPORT_FAILED\]/)
  } finally {
    rmSync(configDir, { recursive: true, force: true })
  }
})
