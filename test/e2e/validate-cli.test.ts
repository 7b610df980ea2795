import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { appExamples } from '../examples.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const MAIN = join(ROOT, 'src/cli/main.ts')
const SIX = 'src/model/testdata/six-mistakes.in.yaml'

/** Runs the real CLI in a child process, as a user would, and collects what it prints. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

test('validate prints a summary of a valid app and exits 0', () => {
  const r = cli('validate', 'examples/shop')
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^app shop: 2 containers, 1 route, environment local$/m)
  assert.match(r.stdout, /GET \/accounts x-tenant: a \?v=2 +→ accounts:8081/)
})

test('validate reports all six mistakes with file:line:col and a caret excerpt, and exits 1', () => {
  const r = cli('validate', SIX)
  assert.equal(r.status, 1)
  const heads = r.stderr.split('\n').filter((l) => l.startsWith(`${SIX}:`))
  assert.equal(heads.length, 6, r.stderr)
  for (const h of heads) assert.match(h, /^\S+:\d+:\d+ error [A-Z_]+ properties\.\S+: /)
  assert.match(r.stderr, /^ +\| +\^+$/m)
  assert.match(r.stderr, /^6 errors, 0 warnings$/m)
})

test('validate --output json prints the diagnostics as data', () => {
  const r = cli('validate', SIX, '--output', 'json')
  assert.equal(r.status, 1)
  const out = JSON.parse(r.stdout) as { valid: boolean; diagnostics: { code: string; path: string; source: { file: string; line: number; col: number } }[] }
  assert.equal(out.valid, false)
  assert.equal(out.diagnostics.length, 6)
  assert.deepEqual(Object.keys(out.diagnostics[0]!).sort(), ['code', 'message', 'path', 'resource', 'severity', 'source'])
  assert.equal(out.diagnostics[0]!.source.file, SIX)
})

test('validate never prints private keys, even in JSON', () => {
  const file = 'src/model/testdata/legacy-gateway-tls.in.yaml'
  const key = /tls\.key: \{ encoding: base64, value: (\S+) \}/.exec(readFileSync(join(ROOT, file), 'utf8'))![1]!
  const r = cli('validate', file, '-o', 'json')
  assert.equal(r.status, 0, r.stderr)
  assert.ok(!r.stdout.includes(key), 'the key is redacted')
  assert.match(r.stdout, /\[redacted\]/)
})

test('a missing file is an operational error with its code, exit 2', () => {
  const r = cli('validate', 'no/such/app.yaml')
  assert.equal(r.status, 2)
  assert.match(r.stderr, /no\/such\/app\.yaml: no such file or directory \[INPUT_FILE_NOT_FOUND\]/)
})

test('an unknown flag is a usage error, exit 2', () => {
  const r = cli('validate', '--frobnicate', 'x.yaml')
  assert.equal(r.status, 2)
  assert.match(r.stderr, /unknown option '--frobnicate'/)
})

test('--help lists the commands and validate --help explains exit status', () => {
  assert.match(cli('--help').stdout, /validate \[options\] <files\.\.\.>/)
  assert.match(cli('validate', '--help').stdout, /Exit status: 0 valid/)
})

test('every example app validates', () => {
  for (const name of appExamples()) {
    const r = cli('validate', join('examples', name))
    assert.equal(r.status, 0, `examples/${name}: ${r.stderr}`)
  }
})
