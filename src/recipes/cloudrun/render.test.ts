import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkComputeResource } from '../../../test/platform-schemas/compute.ts'
import { loadApp, platformGoldens } from '../../../test/platform-schemas/goldens.ts'
import { renderCloudRun } from '../index.ts'

platformGoldens('cloudrun', renderCloudRun, checkComputeResource)

type UrlMap = { hostRules: { hosts: string[]; pathMatcher: string }[]; pathMatchers: { name: string; defaultService: string; routeRules: { priority: number; description: string; matchRules: Record<string, unknown>[] }[] }[]; defaultService: string }
const urlMap = (path: string) => renderCloudRun(loadApp(path).app).documents.find((d) => d.name.startsWith('urlMap-'))!.body as UrlMap

test('the URL map has a path matcher per hostname, most specific first, each defaulting to the 404 backend', () => {
  const map = urlMap('src/recipes/testdata/precedence.in.yaml')
  assert.deepEqual(map.hostRules, [
    { hosts: ['shop.example.com'], pathMatcher: 'shop-example-com' },
    { hosts: ['*.example.com'], pathMatcher: 'wildcard-example-com' },
    { hosts: ['*'], pathMatcher: 'any-host' },
  ])
  for (const m of map.pathMatchers) assert.equal(m.defaultService, map.defaultService)
  assert.match(map.defaultService, /\/backendServices\/prec-not-found$/)
})

test('route rules follow Gateway API precedence with unique priorities, and a prefix is an exact and a "/"-suffixed prefix match', () => {
  const shop = urlMap('src/recipes/testdata/precedence.in.yaml').pathMatchers[0]!
  assert.deepEqual(
    shop.routeRules.map((r) => [r.priority, r.description]),
    [
      [10, 'shop rules[1].matches[1]'],
      [20, 'shop rules[2].matches[0]'],
      [30, 'shop rules[2].matches[1]'],
      [40, 'shop rules[2].matches[2]'],
      [50, 'shop rules[2].matches[3]'],
      [60, 'another rules[0].matches[0]'],
      [70, 'shop rules[1].matches[0]'],
      [80, 'shop rules[0].matches[0]'],
    ],
  )
  assert.deepEqual(shop.routeRules[1]!.matchRules, [
    { fullPathMatch: '/api', headerMatches: [{ headerName: ':method', exactMatch: 'POST' }] },
    { prefixMatch: '/api/', headerMatches: [{ headerName: ':method', exactMatch: 'POST' }] },
  ])
})

test('TCP, UDP and TLS routes are errors on Cloud Run, naming the route and its kind', () => {
  const r = renderCloudRun(loadApp('examples/tcp-udp').app)
  assert.deepEqual(r.documents, [])
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.resource, d.path]), [
    ['RENDER_UNSUPPORTED_KIND', 'Radius.Compute/routes/postgres', 'properties.kind'],
    ['RENDER_UNSUPPORTED_KIND', 'Radius.Compute/routes/dns', 'properties.kind'],
  ])
})

test('a misspelt Compute API field is caught by the vendored Compute v1 types', () => {
  const map = structuredClone(urlMap('examples/shop')) as unknown as { pathMatchers: { routeRules: { matchRules: Record<string, unknown>[] }[] }[] }
  const rule = map.pathMatchers[0]!.routeRules[0]!.matchRules[0]!
  rule.fullPath = rule.fullPathMatch
  delete rule.fullPathMatch
  const problems = checkComputeResource(map)
  assert.ok(problems.some((p) => /matchRules\[0\]\.fullPath: no such field in HttpRouteRuleMatch/.test(p)), problems.join('\n'))
})

test('a wrong enum value and a wrong type are caught too', () => {
  const docs = renderCloudRun(loadApp('examples/shop').app).documents
  const backend = structuredClone(docs.find((d) => d.name.startsWith('backendService-'))!.body) as Record<string, unknown>
  backend.loadBalancingScheme = 'EXTERNAL_MANGED'
  const map = structuredClone(urlMap('examples/shop')) as unknown as { pathMatchers: { routeRules: { priority: unknown }[] }[] }
  map.pathMatchers[0]!.routeRules[0]!.priority = 'first'
  assert.ok(checkComputeResource(backend).some((p) => /loadBalancingScheme: "EXTERNAL_MANGED" is not one of/.test(p)))
  assert.ok(checkComputeResource(map).some((p) => /priority: expected an integer/.test(p)))
})

test('a legacy gateway’s replacePrefix becomes two route rules, each rewriting the part it matched, and its timeout the route action’s', () => {
  const map = urlMap('src/recipes/testdata/legacy-gateways.in.yaml')
  const v1 = map.pathMatchers.find((m) => m.name === 'any-host')!.routeRules.filter((r) => r.description === 'gateway api routes[1]') as unknown as { matchRules: unknown[]; routeAction: unknown }[]
  assert.deepEqual(
    v1.map((r) => [r.matchRules, r.routeAction]),
    [
      [[{ fullPathMatch: '/v1' }], { urlRewrite: { pathPrefixRewrite: '/v2' }, timeout: { seconds: '600' } }],
      [[{ prefixMatch: '/v1/' }], { urlRewrite: { pathPrefixRewrite: '/v2/' }, timeout: { seconds: '600' } }],
    ],
  )
})

test('HTTPS gateways share a target proxy with one certificate placeholder per secret store and an SSL policy; passthrough is an error at tls.sslPassthrough', () => {
  const docs = renderCloudRun(loadApp('src/recipes/testdata/legacy-gateways.in.yaml').app).documents
  const proxy = docs.find((d) => d.name.startsWith('targetHttpsProxy-'))!.body as { sslCertificates: string[]; sslPolicy: string }
  assert.deepEqual(proxy.sslCertificates.map((c) => c.split('/').pop()), ['${SSL_CERTIFICATE_SHOP_TLS}', '${SSL_CERTIFICATE_ADMIN_TLS}'])
  assert.match(proxy.sslPolicy, /\/global\/sslPolicies\/mixed-tls12$/)
  assert.deepEqual(docs.find((d) => d.name === 'sslPolicy-mixed-tls12')!.body, { kind: 'compute#sslPolicy', name: 'mixed-tls12', profile: 'MODERN', minTlsVersion: 'TLS_1_2' })
  const strict = renderCloudRun(loadApp('src/recipes/testdata/legacy-conflicts.in.yaml').app).documents.find((d) => d.name.startsWith('sslPolicy-'))!.body
  assert.deepEqual(strict, { kind: 'compute#sslPolicy', name: 'clash-tls13', profile: 'RESTRICTED', minTlsVersion: 'TLS_1_3' }, 'a TLS 1.3 minimum needs the RESTRICTED profile')
  const r = renderCloudRun(loadApp('examples/legacy-gateway').app)
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.resource, d.path]), [['RENDER_UNSUPPORTED_KIND', 'Applications.Core/gateways/secure', 'properties.tls.sslPassthrough']])
})
