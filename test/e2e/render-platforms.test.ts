import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'

const ROOT = resolve(import.meta.dirname, '../..')

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

test('render --target all --check prints each route against each platform and exits 1 when one cannot be rendered', { timeout: 60_000 }, () => {
  const r = cli('render', 'examples/tcp-udp', '--target', 'all', '--check')
  assert.equal(r.status, 1, r.stderr)
  const lines = r.stdout.split('\n')
  assert.match(lines[0]!, /^resource\s+ecs\s+aca\s+cloudrun$/)
  assert.match(r.stdout, /^postgres \(TCP\)\s+ok\s+ok \[1\]\s+no \[2\]$/m)
  assert.match(r.stdout, /^dns \(UDP\)\s+ok\s+no \[3\]\s+no \[4\]$/m)
  assert.match(r.stdout, /^\[3\] aca error examples\/tcp-udp\/app\.yaml:\d+:\d+ properties\.kind: route "dns": Azure Container Apps ingress carries HTTP and TCP only; UDP is not available$/m)
})

test('render --check lists each legacy gateway route, with a gateway-wide reason numbered once for all its routes', { timeout: 60_000 }, () => {
  const r = cli('render', 'examples/legacy-gateway', '--target', 'all', '--check')
  assert.equal(r.status, 1, r.stderr)
  assert.match(r.stdout, /^public routes\[0\] \/ \(legacy gateway\)\s+ok\s+ok\s+ok$/m)
  assert.match(r.stdout, /^public routes\[1\] \/api \(legacy gateway\)\s+ok \[1\]\s+ok \[2\]\s+ok \[3\]$/m)
  assert.match(r.stdout, /^secure routes\[0\] \(legacy gateway, TLS passthrough\)\s+ok \[5\]\s+no \[6,7\]\s+no \[8\]$/m)
  assert.match(r.stdout, /^\[8\] cloudrun error examples\/legacy-gateway\/app\.yaml:\d+:\d+ properties\.tls\.sslPassthrough: gateway "secure": .*TLS passthrough \(sslPassthrough\) is not available$/m)

  const clash = cli('render', 'src/recipes/testdata/legacy-conflicts.in.yaml', '--target', 'ecs', '--check')
  assert.equal(clash.status, 1)
  const policy = /^\[(\d+)\] ecs error \S+ properties\.tls\.minimumProtocolVersion: gateway "lax"/m.exec(clash.stdout)
  assert.ok(policy, clash.stdout)
  for (const path of ['/pay', '/slow', '/elsewhere']) assert.match(clash.stdout, new RegExp(`^lax routes\\[\\d\\] ${path} \\(legacy gateway\\)\\s+no \\[${policy[1]},\\d+\\]$`, 'm'))
  assert.equal(clash.stdout.match(/properties\.tls\.minimumProtocolVersion: gateway "lax"/g)!.length, 1)
})

test('render --check exits 0 when every route renders on the platforms asked for (warnings allowed)', { timeout: 60_000 }, () => {
  const r = cli('render', 'examples/shop', '--target', 'ecs', '--check')
  assert.equal(r.status, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /^ingress \(HTTP\)\s+ok \[1,2\]$/m)
})

test('render --target ecs -o stack.json writes one CloudFormation JSON template', { timeout: 60_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-platforms-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const r = cli('render', 'examples/shop', '--target', 'ecs', '-o', join(dir, 'stack.json'))
  assert.equal(r.status, 0, r.stderr)
  const template = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8'))
  assert.equal(template.AWSTemplateFormatVersion, '2010-09-09')
  assert.equal(template.Resources.HttpListener8080.Properties.DefaultActions[0].FixedResponseConfig.StatusCode, '404')
})

test('CloudFormation YAML keeps the format version a string for YAML 1.1 readers', { timeout: 60_000 }, () => {
  const r = cli('render', 'examples/shop', '--target', 'ecs')
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^AWSTemplateFormatVersion: "2010-09-09"$/m)
  assert.equal(parse(r.stdout, { version: '1.1' }).AWSTemplateFormatVersion, '2010-09-09')
})

test('render --target cloudrun -o DIR writes one YAML file per Compute resource', { timeout: 60_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-platforms-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const r = cli('render', 'examples/shop', '--target', 'cloudrun', '-o', dir)
  assert.equal(r.status, 0, r.stderr)
  const files = readdirSync(dir).sort()
  assert.ok(files.includes('urlMap-shop.yaml') && files.includes('backendService-shop-not-found.yaml') && files.includes('forwardingRule-shop.yaml'), files.join(', '))
  assert.equal(parse(readFileSync(join(dir, 'urlMap-shop.yaml'), 'utf8')).kind, 'compute#urlMap')
})

test('a route a platform cannot express fails the render with a diagnostic at the field and writes nothing', { timeout: 60_000 }, (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'switchyard-platforms-')), 'out')
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const r = cli('render', 'examples/shop', '--target', 'aca', '-o', dir)
  assert.equal(r.status, 1)
  assert.match(r.stderr, /examples\/shop\/app\.yaml:\d+:13 error RENDER_UNSUPPORTED_MATCH properties\.rules\[1\]\.matches\[0\]\.httpMethod: route "ingress" rule 1 match 0: Azure Container Apps/)
  assert.match(r.stderr, /\|\s+httpMethod: GET/)
  assert.equal(existsSync(dir), false)
})

test('ARM templates are JSON: --target aca --format yaml is a usage error', { timeout: 60_000 }, () => {
  const r = cli('render', 'examples/services', '--target', 'aca', '--format', 'yaml')
  assert.equal(r.status, 2)
  assert.match(r.stderr, /Azure Resource Manager templates are JSON/)
})
