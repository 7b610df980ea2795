import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkCloudFormation } from '../../../test/platform-schemas/cloudformation.ts'
import { loadApp, platformGoldens } from '../../../test/platform-schemas/goldens.ts'
import { renderEcs } from '../index.ts'

platformGoldens('ecs', renderEcs, checkCloudFormation)

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }
const template = (path: string) => renderEcs(loadApp(path).app).documents[0]!.body as Template
const rules = (t: Template) =>
  Object.entries(t.Resources)
    .filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')
    .sort(([, a], [, b]) => (a.Properties.Priority as number) - (b.Properties.Priority as number))

test('ALB rules follow Gateway API precedence: longer prefix, method, more headers, more query params, route name, then a 404 per shadowed hostname', () => {
  const order = rules(template('src/recipes/testdata/precedence.in.yaml')).map(([id]) => id)
  assert.deepEqual(order, [
    'ShopRule1Match1HostShopExampleCom', // /api/v2
    'ShopRule2Match0HostShopExampleCom', // /api + method
    'ShopRule2Match1HostShopExampleCom', // /api + 2 headers
    'ShopRule2Match2HostShopExampleCom', // /api + 1 header
    'ShopRule2Match3HostShopExampleCom', // /api + query
    'AnotherRule0Match0HostShopExampleCom', // /api, route "another" before "shop"
    'ShopRule1Match0HostShopExampleCom',
    'ShopRule0Match0HostShopExampleCom', // /
    'NotFoundHostShopExampleCom', // shop.example.com does not fall through to *.example.com
    'WildRule0Match0HostWildcardExampleCom',
    'NotFoundHostWildcardExampleCom',
    'CatchAllRule0Match0',
  ])
  const priorities = rules(template('src/recipes/testdata/precedence.in.yaml')).map(([, r]) => r.Properties.Priority)
  assert.deepEqual(priorities, priorities.map((_, i) => (i + 1) * 10))
})

test('a match needing six evaluations is split into an exact and a prefix rule of five; one still too big is an error naming the field counts', () => {
  const { app } = loadApp('src/recipes/testdata/splitting.in.yaml')
  const r = renderEcs(app)
  const t = r.documents[0]!.body as Template
  const ids = rules(t).map(([id]) => id)
  assert.ok(ids.includes('LimitsRule1Match0HostAppExampleComExact') && ids.includes('LimitsRule1Match0HostAppExampleComPrefix'))
  assert.ok(ids.includes('LimitsRule0Match0HostAppExampleCom'), 'four evaluations fit one rule')
  for (const [id, rule] of rules(t)) assert.ok((rule.Properties.Conditions as unknown[]).length <= 5, id)
  const tooMany = r.diagnostics.find((d) => d.code === 'RENDER_LIMIT')
  assert.equal(tooMany?.path, 'properties.rules[2].matches[0]')
  assert.match(tooMany!.message, /at most 5 match evaluations per rule; this match needs 6 even after splitting \(hostname 1 \+ path 1 \+ method 1 \+ 2 headers \+ 1 query parameters\)/)
  assert.ok(!ids.some((id) => id.startsWith('LimitsRule2')), 'the match that cannot be expressed is not half-rendered')
  const escaped = rules(t).find(([id]) => id.startsWith('LimitsRule4'))![1].Properties.Conditions as { QueryStringConfig?: { Values: unknown[] } }[]
  assert.deepEqual(escaped.find((c) => c.QueryStringConfig)!.QueryStringConfig!.Values, [{ Key: 'q', Value: 'what\\?\\*' }])
})

test('a misspelt CloudFormation property is caught by the resource specification check', () => {
  const t = structuredClone(template('examples/shop')) as Template
  const rule = Object.values(t.Resources).find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')!
  const conditions = rule.Properties.Conditions as Record<string, unknown>[]
  conditions[0] = { Field: 'host-header', HostHeaderConfg: { Values: ['shop.localtest.me'] } }
  rule.Properties.Priorty = rule.Properties.Priority
  delete rule.Properties.Priority
  const problems = checkCloudFormation(t)
  assert.ok(problems.some((p) => /Conditions\[0\]\.HostHeaderConfg: no such property/.test(p)), problems.join('\n'))
  assert.ok(problems.some((p) => /\.Priorty: no such property/.test(p)))
  assert.ok(problems.some((p) => /\.Priority: required/.test(p)))
})

test('a wrong value type and a dangling Ref are caught too', () => {
  const t = structuredClone(template('examples/tcp-udp')) as Template
  const listener = Object.values(t.Resources).find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener')!
  listener.Properties.Port = 'five thousand'
  listener.Properties.LoadBalancerArn = { Ref: 'NoSuchBalancer' }
  const problems = checkCloudFormation(t)
  assert.ok(problems.some((p) => /\.Port: expected an integer/.test(p)), problems.join('\n'))
  assert.ok(problems.some((p) => /Ref to unknown NoSuchBalancer/.test(p)))
})

test('legacy gateways share the ALB: one HTTPS listener presents each secret store’s certificate under the TLS 1.2 policy, and prefixes are rewritten by url-rewrite transforms', () => {
  const r = renderEcs(loadApp('src/recipes/testdata/legacy-gateways.in.yaml').app)
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [])
  const t = r.documents[0]!.body as Template & { Parameters: Record<string, unknown> }
  const https = t.Resources.HttpsListener443!.Properties
  assert.deepEqual(https.Certificates, [{ CertificateArn: { Ref: 'ShopTlsCertificateArn' } }])
  assert.equal(https.SslPolicy, 'ELBSecurityPolicy-TLS13-1-2-2021-06')
  assert.deepEqual(t.Resources.HttpsListener443Certificates!.Properties.Certificates, [{ CertificateArn: { Ref: 'AdminTlsCertificateArn' } }])
  assert.ok('ShopTlsCertificateArn' in t.Parameters && 'AdminTlsCertificateArn' in t.Parameters && !('CertificateArn' in t.Parameters))
  const v1 = t.Resources.Port80ApiGatewayRoute1!.Properties
  assert.deepEqual(v1.Transforms, [{ Type: 'url-rewrite', UrlRewriteConfig: { Rewrites: [{ Regex: '^/v1(.*)$', Replace: '/v2$1' }] } }])
  assert.deepEqual(t.Resources.LoadBalancer!.Properties.LoadBalancerAttributes, [{ Key: 'idle_timeout.timeout_seconds', Value: '600' }], 'raised to the longest route timeout')
  assert.ok(r.diagnostics.some((d) => d.code === 'RENDER_APPROXIMATED' && d.path === 'properties.routes[1].timeoutPolicy' && d.resource === 'Applications.Core/gateways/api'))
})

test('a passthrough gateway is an NLB TCP listener on 443; two of them on one port are SNI routing, an error at each gateway’s hostname', () => {
  const t = template('examples/legacy-gateway')
  assert.deepEqual(t.Resources.TCPListener443!.Properties.DefaultActions, [{ Type: 'forward', TargetGroupArn: { Ref: 'Vault8443TCPTargetGroup' } }])
  const r = renderEcs(loadApp('src/recipes/testdata/legacy-conflicts.in.yaml').app)
  assert.deepEqual(
    r.diagnostics.filter((d) => d.code === 'RENDER_SNI_ROUTING').map((d) => [d.resource, d.path]),
    [
      ['Applications.Core/gateways/vault-a', 'properties.hostname.fullyQualifiedHostname'],
      ['Applications.Core/gateways/vault-b', 'properties.hostname.fullyQualifiedHostname'],
    ],
  )
  const conflict = r.diagnostics.find((d) => d.code === 'RENDER_LISTENER_CONFLICT')!
  assert.equal(conflict.resource, 'Applications.Core/gateways/lax')
  assert.equal(conflict.path, 'properties.tls.minimumProtocolVersion')
  assert.match(conflict.message, /gateway "strict" asks for TLS 1\.3 at least, this one for 1\.2/)
})
