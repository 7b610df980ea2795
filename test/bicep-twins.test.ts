import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { redactApp, validateApp } from '../src/model/index.ts'
import { renderKubernetes } from '../src/recipes/index.ts'
import { appExamples, readInputs, ROOT } from './examples.ts'

/** The app without where each resource was written (the only thing two twins may differ in). */
function withoutSources(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSources)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'source').map(([k, v]) => [k, withoutSources(v)]))
}

// Every example app has a Bicep twin beside its app.yaml; read with the same environment, the
// two must make the same app and render the same Kubernetes objects, byte for byte.
for (const name of appExamples()) {
  test(`examples/${name}: app.bicep makes the same app and renders the same objects as app.yaml`, () => {
    const dir = join(ROOT, 'examples', name)
    assert.ok(existsSync(join(dir, 'app.bicep')), `examples/${name} has no app.bicep`)
    const env = existsSync(join(dir, 'env.yaml')) ? [join(dir, 'env.yaml')] : []
    const fromYaml = validateApp(readInputs([join(dir, 'app.yaml'), ...env]))
    const fromBicep = validateApp(readInputs([join(dir, 'app.bicep'), ...env]))
    assert.deepEqual(fromBicep.diagnostics, [], JSON.stringify(fromBicep.diagnostics))
    assert.deepEqual(fromYaml.diagnostics, [])
    assert.ok(fromYaml.app && fromBicep.app)
    assert.deepEqual(withoutSources(redactApp(fromBicep.app)), withoutSources(redactApp(fromYaml.app)))
    // Sources do differ: the Bicep twin's resources point into the .bicep file.
    assert.match(fromBicep.app.containers[0]!.source.file, /app\.bicep$/)
    const yamlObjects = renderKubernetes(fromYaml.app, {})
    const bicepObjects = renderKubernetes(fromBicep.app, {})
    assert.deepEqual(bicepObjects.diagnostics, yamlObjects.diagnostics)
    assert.ok(bicepObjects.objects.length > 0)
    assert.deepEqual(bicepObjects.objects, yamlObjects.objects)
  })
}
