import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { compile, hostWithoutPort, lookupHost, lookupRoute, normalizePath } from '../src/dataplane/compile/index.ts'
import type { Plan } from '../src/dataplane/compile/index.ts'
import { translateTexts } from '../src/translator/index.ts'
import { propertyOptions } from './property.ts'
import { referenceRoute, type RefAnswer, type RefGateway, type RefListener, type RefMatch, type RefRequest, type RefRoute } from './reference-router.ts'

// The real router (translate → compile → the plan's lookups, as the proxy uses them) against the
// slow reference written from the spec (reference-router.ts), on random HTTP listener sets, route
// sets and requests. Values come from small pools so that hostnames overlap, paths share
// prefixes, timestamps tie and names collide: the cases where precedence decides.
const NOW = '2026-01-01T00:00:00Z'
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 })

const listener: fc.Arbitrary<RefListener> = fc.record(
  {
    name: fc.constantFrom('l1', 'l2', 'l3', 'l4', 'l5'),
    port: fc.constantFrom(80, 8080),
    protocol: fc.constant('HTTP' as const),
    hostname: fc.constantFrom(undefined, undefined, 'a.example.com', '*.example.com', '*.a.example.com', 'other.org', '*.org'),
    allowedRoutes: fc.record({ namespaces: fc.record({ from: fc.constantFrom('Same' as const, 'All' as const) }) }),
  },
  { requiredKeys: ['name', 'port', 'protocol', 'hostname'] },
)
// Admission (CEL) wants listener names and (port, protocol, hostname) unique within a Gateway.
const gateway: fc.Arbitrary<RefGateway> = fc
  .uniqueArray(listener, { minLength: 1, maxLength: 5, selector: (l) => l.name })
  .map((ls) => ls.filter((l, i) => ls.findIndex((o) => o.port === l.port && o.hostname === l.hostname) === i))
  .map((listeners) => ({ metadata: { name: 'gw', namespace: 'default' }, spec: { listeners } }))

// Some values spell unreserved characters as escapes (RFC 3986 §2.3): `/%61` is `/a`, `/a%62` is `/ab`.
const PATHS = ['/', '/a', '/a/', '/a/b', '/a/b/', '/ab', '/b', '/A', '/%61', '/%61/b', '/a%62', '/%41/']
const match: fc.Arbitrary<RefMatch> = fc.record(
  {
    path: fc.oneof(
      { arbitrary: fc.record({ type: fc.constantFrom('Exact' as const, 'PathPrefix' as const), value: fc.constantFrom(...PATHS) }, { requiredKeys: ['value'] }), weight: 12 },
      { arbitrary: fc.record({ type: fc.constant('PathPrefix' as const) }), weight: 1 },
      { arbitrary: fc.record({ type: fc.constant('RegularExpression' as const), value: fc.constant('/a.*') }), weight: 1 },
    ),
    method: fc.constantFrom('GET', 'POST'),
    headers: fc.array(fc.record({ type: fc.constantFrom('Exact' as const, 'Exact' as const, 'Exact' as const, 'RegularExpression' as const), name: fc.constantFrom('version', 'Version', 'color'), value: fc.constantFrom('one', 'two', 'One') }, { requiredKeys: ['name', 'value'] }), { maxLength: 2 }),
    queryParams: fc.array(fc.record({ name: fc.constantFrom('animal', 'Animal', 'q'), value: fc.constantFrom('whale', 'dolphin', 'a b', 'a+b', '%zz', 'a %zz', '\ufffd') }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
)

const TIMES = ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00.500Z', '2025-01-01T00:00:01Z', '2024-12-31T23:00:00-01:00', '2025-06-01T12:00:00Z']
const parentRefs = (ns: string) =>
  fc.oneof(
    fc.record({ name: fc.constant('gw'), namespace: ns === 'default' ? maybe(fc.constant('default')) : fc.constant('default'), sectionName: maybe(fc.constantFrom('l1', 'l2', 'l3', 'nope')), port: maybe(fc.constantFrom(80, 8080)) }, { requiredKeys: ['name'] }).map((r) => [r]),
    fc.uniqueArray(fc.constantFrom('l1', 'l2', 'l3', 'l4'), { minLength: 2, maxLength: 3 }).map((sections) => sections.map((sectionName) => ({ name: 'gw', namespace: 'default', sectionName }))),
  )
const route: fc.Arbitrary<RefRoute> = fc
  .record({ name: fc.constantFrom('r1', 'r2', 'r3'), namespace: fc.constantFrom('default', 'default', 'apps'), creationTimestamp: fc.constantFrom(...TIMES) })
  .chain((metadata) =>
    fc.record({
      metadata: fc.constant(metadata),
      spec: fc.record(
        {
          parentRefs: parentRefs(metadata.namespace),
          hostnames: fc.uniqueArray(fc.constantFrom('a.example.com', 'b.a.example.com', '*.example.com', '*.a.example.com', 'example.com', 'other.org', '*.org'), { maxLength: 3 }),
          rules: fc.array(fc.record({ matches: fc.array(match, { maxLength: 3 }) }, { requiredKeys: [] }), { minLength: 1, maxLength: 3 }),
        },
        { requiredKeys: ['parentRefs', 'rules'] },
      ),
    }),
  )
const routes = fc.uniqueArray(route, { maxLength: 6, selector: (r) => `${r.metadata.namespace}/${r.metadata.name}` })

const segment = fc.constantFrom('a', 'b', 'ab', 'A', '', '%61', '%41', 'a%62')
const HOSTS = ['a.example.com', 'A.Example.COM:8080', '[::1]:8080', 'localhost', 'b.a.example.com', 'c.b.a.example.com', 'example.com', 'x.example.com', 'other.org', 'x.other.org', 'a.example.com.', 'unknown.test']

/** Requests for one configuration: mostly on its ports, half of them for its own hostnames (wildcards filled in). */
function requestFor(gw: RefGateway, rs: readonly RefRoute[]): fc.Arbitrary<RefRequest> {
  const own = [...gw.spec.listeners.map((l) => l.hostname), ...rs.flatMap((r) => r.spec.hostnames ?? [])].filter((h): h is string => h !== undefined).map((h) => h.replace(/^\*\./, 'x.'))
  return fc.record({
    port: fc.oneof({ arbitrary: fc.constantFrom(...gw.spec.listeners.map((l) => l.port)), weight: 5 }, { arbitrary: fc.constantFrom(80, 8080, 9999), weight: 1 }),
    host: own.length > 0 ? fc.oneof(fc.constantFrom(...HOSTS), fc.constantFrom(...own)) : fc.constantFrom(...HOSTS),
    method: fc.constantFrom('GET', 'POST', 'HEAD'),
    path: fc.tuple(fc.array(segment, { maxLength: 3 }), fc.boolean()).map(([segs, slash]) => `/${segs.join('/')}${slash && segs.length > 0 ? '/' : ''}`),
    query: fc.array(fc.tuple(fc.constantFrom('animal', 'Animal', 'q'), fc.constantFrom('whale', 'dolphin', 'a+b', 'a%20b', '%zz', 'a+%zz', '%FF', '')), { maxLength: 3 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join('&')),
    headers: fc.array(fc.tuple(fc.constantFrom('version', 'Version', 'color'), fc.constantFrom('one', 'two', 'One', 'one,two')), { maxLength: 3 }),
  })
}
const scenario = fc.tuple(gateway, routes).chain(([gw, rs]) => fc.tuple(fc.constant(gw), fc.constant(rs), fc.array(requestFor(gw, rs), { minLength: 1, maxLength: 12 })))

function yamlOf(gw: RefGateway, rs: readonly RefRoute[]): string {
  const docs: unknown[] = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'switchyard' }, spec: { controllerName: 'switchyard.dev/gateway-controller' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: gw.metadata, spec: { gatewayClassName: 'switchyard', listeners: gw.spec.listeners } },
    ...rs.map((r) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: r.metadata, spec: { ...r.spec, rules: (r.spec.rules ?? []).map((x) => ({ ...x, backendRefs: [] })) } })),
  ]
  return docs.map((d) => JSON.stringify(d)).join('\n---\n')
}

/** The data plane's answer, through the same lookups the proxy makes (proxy/route-request.ts). */
function planRoute(plan: Plan, req: RefRequest): RefAnswer {
  const port = plan.ports.find((p) => p.port === req.port)
  if (port?.kind !== 'http') return { listener: null }
  const host = hostWithoutPort(req.host)
  const listener = lookupHost(port.listeners, host)
  if (!listener) return { listener: null }
  const name = listener.name.split('/')[2]!
  const vhost = lookupHost(listener.virtualHosts, host)
  // node's IncomingMessage.headers: names lower-cased, a repeated header joined with ', '.
  const headers: Record<string, string> = {}
  for (const [n, v] of req.headers) headers[n.toLowerCase()] = headers[n.toLowerCase()] === undefined ? v : `${headers[n.toLowerCase()]}, ${v}`
  // The path is normalised before matching, as route-request.ts does (none of these paths is refused).
  const normalized = normalizePath(req.path)
  assert.ok(normalized.ok)
  const hit = vhost ? lookupRoute(vhost.routes, normalized.path, { method: req.method, headers, query: req.query }) : null
  if (!hit) return { listener: name, route: null }
  const [, ns, route, , rule, , m] = hit.entry.name.split('/')
  return { listener: name, route: `${ns}/${route}`, rule: Number(rule), match: Number(m) }
}

test('the compiled router picks the same listener and route match as the reference, on random configurations', () => {
  const stats = { configs: 0, requests: 0, routed: 0, notFound: 0, noListener: 0 }
  fc.assert(
    fc.property(scenario, ([gw, rs, reqs]) => {
      const result = translateTexts([{ file: 'config.yaml', text: yamlOf(gw, rs) }], { now: NOW })
      const errors = result.diagnostics.filter((d) => d.severity === 'error')
      assert.deepEqual(errors, [], 'the generators make only objects a cluster would admit')
      const plan = compile(result.ir)
      stats.configs++
      for (const req of reqs) {
        const want = referenceRoute(gw, rs, req)
        assert.deepEqual(planRoute(plan, req), want, `request ${JSON.stringify(req)}`)
        stats.requests++
        if (want.listener === null) stats.noListener++
        else if (want.route === null) stats.notFound++
        else stats.routed++
      }
    }),
    propertyOptions(400),
  )
  // Guard: all three outcomes must be common, or the comparison proves little.
  assert.ok(stats.routed > stats.requests / 5 && stats.notFound > stats.requests / 20 && stats.noListener > stats.requests / 20, JSON.stringify(stats))
  process.stdout.write(`# router vs reference: ${stats.configs} configurations, ${stats.requests} requests (${stats.routed} routed, ${stats.notFound} 404, ${stats.noListener} no listener)\n`)
})
