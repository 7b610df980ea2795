import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, test } from 'node:test'

const ROOT = resolve(import.meta.dirname, '../..')
const MAIN = join(ROOT, 'src/cli/main.ts')
const SHOP = ['examples/shop/app.bicep', 'examples/shop/env.yaml']
const TMP = mkdtempSync(join(tmpdir(), 'switchyard-bicep-'))
after(() => rmSync(TMP, { recursive: true, force: true }))

/** Runs the real CLI in a child process, as a user would. */
function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

test('validate reads a .bicep app and prints the same summary as its YAML twin', () => {
  const bicep = cli(['validate', ...SHOP])
  const yaml = cli(['validate', 'examples/shop/app.yaml', 'examples/shop/env.yaml'])
  assert.equal(bicep.status, 0, bicep.stderr)
  assert.equal(bicep.stdout, yaml.stdout)
  assert.match(bicep.stdout, /^app shop: 2 containers, 1 route, environment local$/m)
})

test('render reads a .bicep app and writes the same objects as its YAML twin', () => {
  const bicep = cli(['render', ...SHOP, '--target', 'kubernetes'])
  const yaml = cli(['render', 'examples/shop/app.yaml', 'examples/shop/env.yaml', '--target', 'kubernetes'])
  assert.equal(bicep.status, 0, bicep.stderr)
  assert.ok(bicep.stdout.includes('kind: HTTPRoute'))
  assert.equal(bicep.stdout, yaml.stdout)
})

test('-p name=value sets a parameter, read as its declared type', () => {
  const r = cli(['render', ...SHOP, '--target', 'kubernetes', '-p', 'frontendPort=9090', '-p', 'version=2.0'])
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /containerPort: 9090/)
  assert.match(r.stdout, /image: ghcr\.io\/example\/frontend:2\.0/)
})

test('-p @file.json reads an ARM parameters file or a plain object', () => {
  const arm = join(TMP, 'arm.json')
  writeFileSync(arm, JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: { frontendPort: { value: 7070 } } }))
  const plain = join(TMP, 'plain.json')
  writeFileSync(plain, JSON.stringify({ version: '3.1' }))
  const r = cli(['validate', ...SHOP, '-p', `@${arm}`, '-p', `@${plain}`])
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /frontend:3\.1 +\(web 7070\/TCP\)/)
})

test('a parameter problem is reported at the parameter, with its excerpt, exit 1', () => {
  const r = cli(['validate', ...SHOP, '-p', 'frontendPort=70000'])
  assert.equal(r.status, 1)
  assert.match(r.stderr, /^examples\/shop\/app\.bicep:\d+:1 error BICEP_PARAMETER parameter "frontendPort": -p frontendPort=70000 is 70000, above the maximum 65535$/m)
  assert.match(r.stderr, /\| @maxValue\(65535\)\n +\| \^+/)
  const unknown = cli(['validate', ...SHOP, '-p', 'frontendPrt=1'])
  assert.equal(unknown.status, 1)
  assert.match(unknown.stderr, /no \.bicep file declares a parameter "frontendPrt"; did you mean "frontendPort"\?/)
})

test('-p without a .bicep file, or malformed, is a usage error, exit 2', () => {
  const none = cli(['validate', 'examples/shop', '-p', 'a=1'])
  assert.equal(none.status, 2)
  assert.match(none.stderr, /no \.bicep file was given \[CLI_USAGE\]/)
  const bad = cli(['validate', ...SHOP, '-p', 'frontendPort'])
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /give name=value, name=@file\.json or @file\.json \[CLI_USAGE\]/)
})

test('a broken .bicep file is reported with file:line:col and a caret, exit 1', () => {
  const file = join(TMP, 'broken.bicep')
  writeFileSync(file, "extension radius\nresource app 'Applications.Core/applications@2023-10-01-preview' = {\n  name: 'shop'\n  properties: {\n    environment 'x'\n  }\n}\n")
  const r = cli(['validate', file])
  assert.equal(r.status, 1)
  assert.ok(r.stderr.includes(`${file}:5:17 error BICEP_SYNTAX expected ":" after the property name, found a string`), r.stderr)
  assert.match(r.stderr, /5 \|     environment 'x'\n +\| +\^\^\^/)
})

test('loadTextContent() reads files relative to the .bicep file, whatever the working directory', () => {
  const dir = join(TMP, 'app')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'image.txt'), 'ghcr.io/example/web:4.2')
  writeFileSync(
    join(dir, 'app.bicep'),
    [
      'extension radius',
      "resource app 'Applications.Core/applications@2023-10-01-preview' = {",
      "  name: 'web'",
      '}',
      "resource web 'Radius.Compute/containers@2025-08-01-preview' = {",
      "  name: 'web'",
      '  properties: {',
      '    application: app.id',
      "    container: { image: trim(loadTextContent('image.txt')), ports: { http: { containerPort: 80 } } }",
      '  }',
      '}',
      '',
    ].join('\n'),
  )
  const r = cli(['validate', join(dir, 'app.bicep')], TMP)
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /ghcr\.io\/example\/web:4\.2/)
})

test('a directory reads its YAML, not the Bicep twin beside it', () => {
  const r = cli(['validate', 'examples/shop'])
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^app shop: 2 containers, 1 route/m)
})
