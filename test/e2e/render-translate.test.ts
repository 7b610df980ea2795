import assert from 'node:assert/strict'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { stringify } from 'yaml'
import { validateApp } from '../../src/model/index.ts'
import { renderKubernetes } from '../../src/recipes/index.ts'
import { translateTexts } from '../../src/translator/index.ts'
import { readInputs } from '../examples.ts'

// The one path DESIGN.md §1 promises: what the Kubernetes recipe renders is what the translator
// (and so the local gateway) consumes. Each example with an environment renders to objects that
// a conformant controller accepts, with every route attached.
const ROOT = resolve(import.meta.dirname, '../..')
const CLASS = 'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: switchyard }\nspec: { controllerName: switchyard.dev/gateway-controller }\n'

function roundTrip(example: string) {
  const { app, diagnostics } = validateApp(readInputs([join(ROOT, 'examples', example)]))
  assert.ok(app, JSON.stringify(diagnostics))
  const rendered = renderKubernetes(app)
  assert.deepEqual(rendered.diagnostics, [])
  const objects = [...rendered.objects, ...(app.environment?.gateways ?? [])]
  const text = CLASS + objects.map((o) => '---\n' + stringify(o)).join('')
  return translateTexts([{ file: `${example}.rendered.yaml`, text }], { now: '2026-01-01T00:00:00Z' })
}

function conditions(status: unknown): string[] {
  const parents = (status as { parents?: { conditions: { type: string; status: string; reason: string }[] }[] }).parents ?? []
  return parents.flatMap((p) => p.conditions.map((c) => `${c.type}=${c.status}:${c.reason}`))
}

test('the shop renders to an HTTPRoute the translator attaches and lowers with every match', () => {
  const result = roundTrip('shop')
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [])
  const route = result.statuses.find((s) => s.kind === 'HTTPRoute' && s.metadata.name === 'ingress')
  assert.ok(route)
  assert.ok(conditions(route.status).includes('Accepted=True:Accepted'), conditions(route.status).join(', '))
  const printed = JSON.stringify(result.ir)
  assert.match(printed, /httproute\/default\/ingress\/rule\/1\/match\/0/)
  assert.match(printed, /"method":"GET"/)
})

test('the TLS routing example attaches foo to the passthrough listener and bar to the terminating one', () => {
  const result = roundTrip('tls-routing')
  for (const name of ['foo-route', 'bar-route']) {
    const route = result.statuses.find((s) => s.kind === 'TLSRoute' && s.metadata.name === name)
    assert.ok(route, name)
    assert.ok(conditions(route.status).includes('Accepted=True:Accepted'), `${name}: ${conditions(route.status).join(', ')}`)
  }
})
