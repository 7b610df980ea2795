import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkArmTemplate } from '../../../test/platform-schemas/container-apps.ts'
import { loadApp, platformGoldens } from '../../../test/platform-schemas/goldens.ts'
import { renderAca } from '../index.ts'

platformGoldens('aca', renderAca, checkArmTemplate)

type Template = { resources: { type: string; name: string; properties: Record<string, unknown> }[] }
const template = (path: string) => renderAca(loadApp(path).app).documents[0]!.body as Template

test('route configs hold path matches only: the shop route’s method, header and query match is an error per field', () => {
  const r = renderAca(loadApp('examples/shop').app)
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.path]),
    [
      ['RENDER_UNSUPPORTED_MATCH', 'properties.rules[1].matches[0].httpMethod'],
      ['RENDER_UNSUPPORTED_MATCH', 'properties.rules[1].matches[0].httpHeaders'],
      ['RENDER_UNSUPPORTED_MATCH', 'properties.rules[1].matches[0].httpQueryParams'],
    ],
  )
})

test('one route config per hostname, rules in precedence order, element-wise prefixes as pathSeparatedPrefix', () => {
  const configs = template('src/recipes/testdata/precedence.in.yaml').resources.filter((r) => r.type.endsWith('/httpRouteConfigs'))
  assert.deepEqual(
    configs.map((c) => c.name),
    ["[format('{0}/{1}', parameters('environmentName'), 'precshopexamplecom')]", "[format('{0}/{1}', parameters('environmentName'), 'precwildcardexamplecom')]", "[format('{0}/{1}', parameters('environmentName'), 'precanyhost')]"],
  )
  const shop = configs[0]!.properties as { customDomains: { name: string }[]; rules: { description: string; routes: { match: Record<string, unknown> }[] }[] }
  assert.deepEqual(shop.customDomains.map((d) => d.name), ['shop.example.com'])
  assert.deepEqual(
    shop.rules.map((r) => r.description),
    ['shop rules[1].matches[1]', 'another rules[0].matches[0]', 'shop rules[1].matches[0]', 'shop rules[0].matches[0]'],
  )
  assert.deepEqual(shop.rules[0]!.routes[0]!.match, { pathSeparatedPrefix: '/api/v2', caseSensitive: true })
  assert.deepEqual(shop.rules[3]!.routes[0]!.match, { prefix: '/', caseSensitive: true })
})

test('a misspelt Container Apps property is caught by the SDK type mappers', () => {
  const t = structuredClone(template('examples/tcp-udp'))
  const db = t.resources.find((r) => r.name === 'db')!
  ;(db.properties.configuration as { ingress: Record<string, unknown> }).ingress.exposedPrt = 5432
  ;(db.properties as Record<string, unknown>).enviromentId = 'x'
  const problems = checkArmTemplate(t)
  assert.ok(problems.some((p) => /configuration\.ingress\.exposedPrt: no such property/.test(p)), problems.join('\n'))
  assert.ok(problems.some((p) => /properties\.enviromentId: no such property/.test(p)))
})

// The mappers model Azure's extensible enums (transport: auto, http, http2, tcp) as plain strings,
// so a wrong transport is not caught here; types and read-only fields are.
test('a wrong value type and a read-only property are caught too', () => {
  const t = structuredClone(template('src/recipes/testdata/precedence.in.yaml'))
  const web = t.resources.find((r) => r.name === 'web')!
  const ingress = (web.properties.configuration as { ingress: Record<string, unknown> }).ingress
  ingress.targetPort = '8080'
  const config = t.resources.find((r) => r.type.endsWith('/httpRouteConfigs'))!
  config.properties.fqdn = 'shop.example.com'
  const problems = checkArmTemplate(t)
  assert.ok(problems.some((p) => /ingress\.targetPort: expected a number/.test(p)), problems.join('\n'))
  assert.ok(problems.some((p) => /properties\.fqdn: read-only/.test(p)), problems.join('\n'))
})

test('a legacy gateway’s replacePrefix is an exact and a prefix route with their own prefixRewrite; a timeout past the fixed 240 s ingress timeout is an error', () => {
  const r = renderAca(loadApp('src/recipes/testdata/legacy-gateways.in.yaml').app)
  const config = (r.documents[0]!.body as Template).resources.find((x) => x.name.includes("'mixed80anyhost'"))!
  const rules = config.properties.rules as { description: string; routes: unknown[] }[]
  assert.deepEqual(rules.find((x) => x.description === 'gateway api routes[2]')!.routes, [
    { match: { path: '/old', caseSensitive: true }, action: { prefixRewrite: '/' } },
    { match: { prefix: '/old/', caseSensitive: true }, action: { prefixRewrite: '/' } },
  ])
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.resource, d.path]), [['RENDER_LIMIT', 'Applications.Core/gateways/api', 'properties.routes[1].timeoutPolicy']])
})
