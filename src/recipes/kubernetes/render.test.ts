import assert from 'node:assert/strict'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { expectGolden } from '../../../test/golden.ts'
import { validateApp } from '../../model/index.ts'
import { KIND_ORDER, RENDERED_TYPES, renderKubernetes, validateObjects, type Manifest } from '../index.ts'
import { appExamples, readInputs } from '../../../test/examples.ts'

const ROOT = resolve(import.meta.dirname, '../../..')
const OUT = join(import.meta.dirname, 'testdata')

/** Secret data stays out of golden files, as it stays out of logs. */
function redact(objects: readonly Manifest[]): Manifest[] {
  return objects.map((o) => (o.kind === 'Secret' && o.data ? { ...o, data: Object.fromEntries(Object.keys(o.data as object).map((k) => [k, '[redacted]'])) } : o))
}

function renderDir(dir: string, publicIp?: string) {
  const { app, diagnostics } = validateApp(readInputs([dir]))
  assert.ok(app, JSON.stringify(diagnostics))
  return renderKubernetes(app, publicIp ? { publicEndpoint: { ip: publicIp } } : {})
}

// Golden per example app: examples/<name>/ → testdata/<name>.out.yaml.
for (const name of appExamples()) {
  test(`kubernetes render golden: examples/${name}`, async () => {
    const result = renderDir(join(ROOT, 'examples', name))
    assert.deepEqual(result.diagnostics, [])
    await expectGolden(join(OUT, `${name}.out.yaml`), redact(result.objects))
  })
}

// And for the model's valid test apps, which cover the legacy forms and both route spellings.
for (const name of ['routes-shipped-spelling', 'legacy-gateway-tls', 'legacy-gateway-passthrough', 'environment-full']) {
  test(`kubernetes render golden: model testdata ${name}`, async () => {
    const { app, diagnostics } = validateApp(readInputs([join(ROOT, 'src/model/testdata', `${name}.in.yaml`)]))
    assert.ok(app, JSON.stringify(diagnostics))
    const result = renderKubernetes(app, { publicEndpoint: { ip: '127.0.0.1' } })
    assert.deepEqual(result.diagnostics, [])
    await expectGolden(join(OUT, `model-${name}.out.yaml`), redact(result.objects))
  })
}

test('schema validation rejects a broken object with a message naming the object and the field', () => {
  const broken: Manifest = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'Prefix', value: '/' } }] }] },
  }
  const [d, ...rest] = validateObjects([broken])
  assert.equal(rest.length, 0)
  assert.equal(d?.code, 'RENDER_INVALID_OBJECT')
  assert.match(d!.message, /^HTTPRoute shop\/web would be refused by the cluster: spec\/rules\/0\/matches\/0\/path\/type must be equal to one of the allowed values/)
})

test('a Service with a port of the wrong type, or a name no Service may have, is refused', () => {
  const wrongType = validateObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 'eighty' }] } }])
  assert.equal(wrongType.length, 1)
  assert.match(wrongType[0]!.message, /^Service web would be refused by the cluster: spec\/ports\/0\/port must be integer/)
  const badName = validateObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: '1-web' }, spec: { ports: [{ port: 80 }] } }])
  assert.match(badName[0]?.message ?? '', /metadata\/name "1-web" must be an RFC 1035 label/)
})

test('rendering is deterministic and every name is a DNS label of at most 63 characters', () => {
  const a = renderDir(join(ROOT, 'examples/shop'))
  const b = renderDir(join(ROOT, 'examples/shop'))
  assert.deepEqual(a, b)
  for (const o of a.objects) assert.match(o.metadata.name, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
})

test('every object rendered is of a kind and API version deploy prunes (RENDERED_TYPES), in KIND_ORDER', () => {
  assert.deepEqual(RENDERED_TYPES.map((t) => t.kind), [...KIND_ORDER])
  const types = new Set(RENDERED_TYPES.map((t) => `${t.apiVersion} ${t.kind}`))
  const apps = [...appExamples().map((n) => join(ROOT, 'examples', n)), ...['legacy-gateway-tls', 'legacy-gateway-passthrough'].map((n) => join(ROOT, 'src/model/testdata', `${n}.in.yaml`))]
  for (const dir of apps) for (const o of renderDir(dir, '127.0.0.1').objects) assert.ok(types.has(`${o.apiVersion} ${o.kind}`), `${dir}: ${o.apiVersion} ${o.kind}`)
})

test('options.namespace puts every object in that namespace, keeping the namespaces the app names', () => {
  const { app } = validateApp(readInputs([join(ROOT, 'examples/shop')]))
  const objects = renderKubernetes(app!, { namespace: 'shop-prod' }).objects
  assert.deepEqual([...new Set(objects.map((o) => o.metadata.namespace))], ['shop-prod'])
  const route = objects.find((o) => o.kind === 'HTTPRoute') as { spec: { parentRefs: { namespace?: string }[] } } | undefined
  assert.equal(route?.spec.parentRefs[0]?.namespace, 'default')
})
