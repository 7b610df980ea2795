import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { expectGolden, listCases, orphanedGoldens } from '../../test/golden.ts'
import { redactApp, validateApp } from './index.ts'

const DIR = join(import.meta.dirname, 'testdata')

// Each case: testdata/<case>.in.yaml (app and/or environment resources) → <case>.out.yaml holding
// the normalized app (secrets redacted) or the diagnostics, in canonical YAML.
for (const name of listCases(DIR)) {
  test(`model golden: ${name}`, async () => {
    const file = `${name}.in.yaml`
    const result = validateApp([{ file, text: readFileSync(join(DIR, file), 'utf8') }])
    await expectGolden(join(DIR, `${name}.out.yaml`), { app: result.app ? redactApp(result.app) : null, diagnostics: result.diagnostics })
  })
}

test('every model golden file has an input beside it', () => {
  assert.deepEqual(orphanedGoldens(DIR), [])
})

test('the six-mistakes file yields exactly six errors, each with a position and a field path', () => {
  const file = 'six-mistakes.in.yaml'
  const { app, diagnostics } = validateApp([{ file, text: readFileSync(join(DIR, file), 'utf8') }])
  assert.equal(app, undefined)
  assert.equal(diagnostics.length, 6)
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['MODEL_UNKNOWN_FIELD', 'MODEL_INVALID_ENUM', 'MODEL_UNRESOLVED_REFERENCE', 'MODEL_MATCH_NOT_ALLOWED', 'GATEWAY_PASSTHROUGH_PATH', 'GATEWAY_CERT_MISSING_KEY'],
  )
  for (const d of diagnostics) {
    assert.ok(d.source && d.source.line > 0 && d.source.col > 0, `${d.code} has a position`)
    assert.ok(d.path.startsWith('properties.'), `${d.code} has a field path`)
  }
})

test('JSON input is read like YAML, with positions', () => {
  const text = JSON.stringify([{ type: 'Applications.Core/applications@2023-10-01-preview', name: 'a' }, { type: 'Radius.Compute/routes@2025-08-01-preview', name: 'r', properties: { application: 'a', kind: 'SCTP', rules: [] } }], null, 2)
  const { diagnostics } = validateApp([{ file: 'app.json', text }])
  const enumError = diagnostics.find((d) => d.code === 'MODEL_INVALID_ENUM')
  assert.ok(enumError, 'the bad kind is reported')
  assert.equal(enumError.source?.line, text.split('\n').findIndex((l) => l.includes('SCTP')) + 1)
})

test('resources spread over several files resolve references across them', () => {
  const app = 'type: Applications.Core/applications@2023-10-01-preview\nname: a\n'
  const c = 'type: Radius.Compute/containers@2025-08-01-preview\nname: web\nproperties:\n  application: a\n  container: {image: x, ports: {http: {containerPort: 80}}}\n'
  const r = 'type: Radius.Compute/routes@2025-08-01-preview\nname: r\nproperties:\n  application: a\n  rules: [{destinationContainerId: web}]\n'
  const result = validateApp([{ file: 'a.yaml', text: app }, { file: 'c.yaml', text: c }, { file: 'r.yaml', text: r }])
  assert.deepEqual(result.diagnostics, [])
  assert.equal(result.app?.routes[0]?.rules[0]?.destination.containerPort, 80)
})
