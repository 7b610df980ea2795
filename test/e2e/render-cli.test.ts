import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { parseAllDocuments } from 'yaml'

const ROOT = resolve(import.meta.dirname, '../..')

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

test('render -o DIR writes one YAML file per kind', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-render-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const r = cli('render', 'examples/shop', '--target', 'kubernetes', '-o', dir)
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(readdirSync(dir).sort(), ['deployments.yaml', 'httproutes.yaml', 'services.yaml'])
  const routes = parseAllDocuments(readFileSync(join(dir, 'httproutes.yaml'), 'utf8')).map((d) => d.toJS())
  assert.equal(routes.length, 1)
  assert.equal(routes[0].apiVersion, 'gateway.networking.k8s.io/v1')
  assert.deepEqual(routes[0].spec.parentRefs, [{ name: 'shop-gateway', namespace: 'default' }])
})

test('render to standard output prints a multi-document stream', () => {
  const r = cli('render', 'examples/tcp-udp', '--target', 'kubernetes')
  assert.equal(r.status, 0, r.stderr)
  const kinds = parseAllDocuments(r.stdout).map((d) => d.toJS().kind)
  assert.deepEqual(kinds, ['Service', 'Service', 'Deployment', 'Deployment', 'TCPRoute', 'UDPRoute'])
})

test('render of an invalid app exits 1 and writes nothing', (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'switchyard-render-')), 'out')
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const r = cli('render', 'src/model/testdata/six-mistakes.in.yaml', '--target', 'kubernetes', '-o', dir)
  assert.equal(r.status, 1)
  assert.match(r.stderr, /6 errors/)
  assert.equal(existsSync(dir), false)
})

test('render without --target is a usage error', () => {
  const r = cli('render', 'examples/shop')
  assert.equal(r.status, 2)
  assert.match(r.stderr, /--target <platform>/)
})
