import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { canonicalYaml } from '../util/index.ts'
import { loadObjects, translate, translateTexts } from './index.ts'

// Malformed input of any kind yields diagnostics or conditions, never an exception, and the same
// input always gives the same output. Object graphs are drawn from small pools of names so that
// references, conflicts and attachments actually happen.
const NOW = '2026-01-01T00:00:00Z'
const ns = fc.constantFrom('default', 'apps', 'other')
const name = fc.constantFrom('a', 'b', 'gw', 'web', 'api')
// Mostly valid values, sometimes not: enough objects pass admission to exercise the translator.
const mostly = <T>(good: T[], bad: T[]) => fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 12 }, { arbitrary: fc.constantFrom(...bad), weight: 1 })
const host = mostly(['a.example.com', '*.example.com', 'example.com', '*.com', 'other.org'], ['BAD..host', ''])
const port = mostly([80, 443, 8080, 53], [0, 70000])
const protocol = mostly(['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'], ['example.com/quic', 'bogus'])
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined })
const time = fc.constantFrom('2025-01-01T00:00:00Z', '2025-06-01T00:00:00Z', undefined)
const meta = fc.record({ name, namespace: maybe(ns), creationTimestamp: time, labels: maybe(fc.dictionary(fc.constantFrom('team', 'env'), fc.constantFrom('apps', 'x'))) }, { requiredKeys: ['name'] })
const ref = fc.record({ group: maybe(mostly([''], ['example.com'])), kind: maybe(mostly(['Service'], ['Bucket', 'Secret'])), name, namespace: maybe(ns), port: maybe(port), weight: maybe(fc.integer({ min: 0, max: 5 })) }, { requiredKeys: ['name'] })
const filter = fc.oneof(
  fc.record({ type: fc.constant('RequestHeaderModifier'), requestHeaderModifier: fc.record({ set: fc.array(fc.record({ name: fc.constantFrom('x-a', 'X-A'), value: fc.string() }), { maxLength: 2 }) }) }),
  fc.record({ type: fc.constant('RequestRedirect'), requestRedirect: fc.record({ scheme: maybe(fc.constantFrom('http', 'https')), port: maybe(port) }) }),
  fc.record({ type: fc.constant('URLRewrite'), urlRewrite: fc.record({ path: fc.record({ type: fc.constant('ReplacePrefixMatch'), replacePrefixMatch: fc.constantFrom('/', '/x', '') }) }) }),
  fc.record({ type: fc.constant('RequestMirror'), requestMirror: fc.record({ backendRef: ref, percent: maybe(fc.integer({ min: 0, max: 100 })) }) }),
  fc.record({ type: fc.constantFrom('ExtensionRef', 'CORS', 'Nope') }),
)
const match = fc.record({
  path: maybe(fc.record({ type: mostly(['Exact', 'PathPrefix', 'RegularExpression'], ['Weird']), value: mostly(['/', '/a', '/a/'], ['//x', 'nope']) })),
  method: maybe(mostly(['GET', 'PATCH'], ['FETCH'])),
  headers: maybe(fc.array(fc.record({ name: fc.constantFrom('v', 'V'), value: fc.string({ maxLength: 3 }) }), { maxLength: 2 })),
})
const parentRef = fc.record({ name: fc.constantFrom('gw', 'a'), namespace: maybe(ns), sectionName: maybe(fc.constantFrom('http', 'https', 'tls', 'x')), port: maybe(port) }, { requiredKeys: ['name'] })
const tlsFor = (p: string) =>
  p === 'HTTPS' || p === 'TLS'
    ? fc.record({ mode: p === 'TLS' ? fc.constantFrom('Terminate', 'Passthrough') : fc.constant('Terminate'), certificateRefs: fc.array(fc.record({ name: mostly(['example-cert'], ['nope']), namespace: maybe(ns) }), { minLength: 1, maxLength: 2 }) })
    : fc.constant(undefined)
const listener = protocol.chain((p) =>
  fc.record({
    name: fc.constantFrom('http', 'https', 'tls', 'x'),
    port,
    protocol: fc.constant(p),
    hostname: p === 'TCP' || p === 'UDP' ? fc.constant(undefined) : maybe(host),
    tls: tlsFor(p),
    allowedRoutes: maybe(fc.record({ namespaces: maybe(fc.record({ from: fc.constantFrom('All', 'Same', 'Selector'), selector: maybe(fc.record({ matchLabels: fc.dictionary(fc.constantFrom('team'), fc.constantFrom('apps')) })) })), kinds: maybe(fc.array(fc.record({ kind: fc.constantFrom('HTTPRoute', 'TLSRoute', 'TCPRoute', 'Bogus') }), { maxLength: 2 })) })),
  }),
)
const gv = (kind: string) => fc.constantFrom(`gateway.networking.k8s.io/v1`, 'gateway.networking.k8s.io/v1alpha2').map((apiVersion) => ({ apiVersion, kind }))
const object = fc.oneof(
  fc.record({ h: gv('Gateway'), metadata: fc.record({ name: fc.constantFrom('gw', 'a'), namespace: maybe(ns), creationTimestamp: time }), spec: fc.record({ gatewayClassName: fc.constantFrom('switchyard', 'other'), listeners: fc.uniqueArray(listener, { minLength: 1, maxLength: 4, selector: (l) => l.name }) }) }),
  fc.record({ h: gv('HTTPRoute'), metadata: meta, spec: fc.record({ parentRefs: fc.array(parentRef, { minLength: 1, maxLength: 2 }), hostnames: maybe(fc.array(host, { maxLength: 2 })), rules: fc.array(fc.record({ matches: maybe(fc.array(match, { maxLength: 2 })), filters: maybe(fc.array(filter, { maxLength: 2 })), backendRefs: maybe(fc.array(ref.map((r) => ({ ...r, port: r.port ?? 8080 })), { maxLength: 3 })) }), { maxLength: 3 }) }) }),
  fc.record({ h: fc.constantFrom('TLSRoute', 'TCPRoute', 'UDPRoute').chain(gv), metadata: meta, spec: fc.record({ parentRefs: fc.array(parentRef, { minLength: 1, maxLength: 2 }), hostnames: maybe(fc.array(host, { maxLength: 2 })), rules: fc.array(fc.record({ backendRefs: fc.array(ref.map((r) => ({ ...r, port: r.port ?? 8080 })), { maxLength: 2 }) }), { minLength: 1, maxLength: 1 }) }) }),
  fc.record({ h: gv('ReferenceGrant'), metadata: meta, spec: fc.record({ from: fc.array(fc.record({ group: fc.constant('gateway.networking.k8s.io'), kind: fc.constantFrom('HTTPRoute', 'Gateway'), namespace: ns }), { maxLength: 2 }), to: fc.array(fc.record({ group: fc.constant(''), kind: fc.constantFrom('Service', 'Secret'), name: maybe(name) }), { maxLength: 2 }) }) }),
  fc.record({ h: fc.constant({ apiVersion: 'v1', kind: 'Service' }), metadata: meta, spec: fc.record({ ports: fc.array(fc.record({ port, protocol: maybe(fc.constantFrom('TCP', 'UDP')), appProtocol: maybe(fc.constantFrom('kubernetes.io/h2c', 'odd')) }), { maxLength: 2 }) }) }),
  fc.anything().map((v) => ({ h: { apiVersion: 'v1', kind: 'ConfigMap' }, metadata: { name: 'junk' }, data: v })),
  fc.anything().map((v) => ({ h: {}, junk: v })),
)
const docs = fc.array(object, { maxLength: 8 }).map((objs) =>
  objs.map(({ h, ...rest }) => JSON.stringify({ ...h, ...rest })).join('\n---\n'),
)

const stats = { routes: 0, ports: 0 }
test('translate never throws, is deterministic and ignores input order on random object graphs', () => {
  const base = `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: switchyard }\nspec: { controllerName: switchyard.dev/gateway-controller }\n`
  fc.assert(
    fc.property(docs, (text) => {
      const inputs = [{ file: 'base.yaml', text: base }, { file: 'random.yaml', text }]
      const a = translateTexts(inputs, { now: NOW })
      const b = translateTexts(inputs, { now: NOW })
      assert.equal(canonicalYaml(a), canonicalYaml(b))
      // The order objects arrive in does not matter either.
      const objects = loadObjects(inputs, { now: NOW }).objects
      assert.equal(canonicalYaml(translate([...objects].reverse(), { now: NOW })), canonicalYaml(translate(objects, { now: NOW })))
      stats.routes += a.statuses.filter((s) => s.kind.endsWith('Route')).length
      stats.ports += a.ir.ports.length
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 150) },
  )
  // Guard against a generator that only produces objects the loader refuses.
  assert.ok(stats.routes > 0 && stats.ports > 0, `the generator should reach the translator: ${JSON.stringify(stats)}`)
})

test('translate never throws on arbitrary text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      translateTexts([{ file: 'x.yaml', text }], { now: NOW })
    }),
    { numRuns: 200 },
  )
})
