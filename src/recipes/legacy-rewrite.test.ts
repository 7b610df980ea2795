import assert from 'node:assert/strict'
import { test } from 'node:test'
import { validateApp } from '../model/index.ts'
import { ruleRoutes } from './aca/legacy.ts'
import { routeRuleParts } from './cloudrun/route-action.ts'
import { matchRules as urlMapMatchRules } from './cloudrun/url-map.ts'
import { urlRewrite } from './ecs/alb-legacy.ts'
import { withLegacyRoutes } from './legacy-routes.ts'
import { planHttp, type FlatMatch } from './precedence.ts'

// gateway-api.md §7, the ReplacePrefixMatch table (the rows a legacy gateway can write: replacePrefix
// starts with "/"), and the same for the root prefix and a gateway path written with a trailing "/".
const table: [request: string, prefix: string, replacement: string, want: string][] = [
  ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
  ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'],
  ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
  ['/foo', '/foo', '/xyz', '/xyz'],
  ['/foo/', '/foo', '/xyz', '/xyz/'],
  ['/foo', '/foo', '/', '/'],
  ['/foo/', '/foo', '/', '/'],
  ['/foo/bar', '/foo', '/', '/bar'],
  ['/foo/bar/baz', '/foo/bar', '/', '/baz'],
  ['/a', '/', '/xyz', '/xyz/a'],
]

/** The one match of a gateway with one route `prefix` → backend, rewritten to `replacement`. */
function gatewayMatch(prefix: string, replacement: string): FlatMatch {
  const text = `
- { type: Applications.Core/applications@2023-10-01-preview, name: rw }
- type: Applications.Core/containers@2023-10-01-preview
  name: backend
  properties: { application: rw, container: { image: b:1, ports: { http: { containerPort: 8080 } } } }
- type: Applications.Core/gateways@2023-10-01-preview
  name: gw
  properties:
    application: rw
    routes: [{ path: "${prefix}", destination: "http://backend:8080", replacePrefix: "${replacement}" }]
`
  const { app } = validateApp([{ file: 'rw.yaml', text }])
  assert.ok(app)
  return planHttp(withLegacyRoutes(app, 'ecs').app)[0]!.groups[0]!.matches[0]!
}

/** Element-wise PathPrefix, what the ALB conditions and the pathSeparatedPrefix match hold. */
const underPrefix = (path: string, prefix: string) => prefix === '/' || path === prefix || path.startsWith(`${prefix}/`)

for (const [request, prefix, replacement, want] of table) {
  const name = `${prefix} rewritten to ${replacement} turns ${request} into ${want}`

  test(`ALB url-rewrite: ${name} (and keeps a query string)`, () => {
    const m = gatewayMatch(prefix, replacement)
    assert.ok(underPrefix(request, m.match.path ?? '/'))
    const { transforms, diagnostics } = urlRewrite(m)
    assert.deepEqual(diagnostics, [])
    // The rewrite's expressions use nothing JavaScript and ALB's regular expressions read differently.
    const apply = (url: string) => transforms.reduce((u, t) => t.UrlRewriteConfig.Rewrites.reduce((v, r) => v.replace(new RegExp(r.Regex), r.Replace), u), url)
    assert.equal(apply(request), want)
    assert.equal(apply(`${request}?q=1`), `${want}?q=1`)
  })

  test(`Cloud Run URL map: ${name}`, () => {
    const m = gatewayMatch(prefix, replacement)
    const { parts } = routeRuleParts(m, urlMapMatchRules(m))
    // The first route rule whose match rule matches; pathPrefixRewrite replaces the part it matched.
    for (const part of parts) {
      const rule = part.matchRules[0] as { fullPathMatch?: string; prefixMatch?: string }
      const matched = rule.fullPathMatch !== undefined ? (request === rule.fullPathMatch ? request : undefined) : request.startsWith(rule.prefixMatch!) ? rule.prefixMatch : undefined
      if (matched === undefined) continue
      const rewrite = (part.routeAction as { urlRewrite: { pathPrefixRewrite: string } }).urlRewrite.pathPrefixRewrite
      assert.equal(rewrite + request.slice(matched.length), want)
      return
    }
    assert.fail(`no route rule matches ${request}`)
  })

  test(`Container Apps route config: ${name}`, () => {
    const routes = ruleRoutes(gatewayMatch(prefix, replacement)) as { match: { path?: string; prefix?: string; pathSeparatedPrefix?: string }; action?: { prefixRewrite: string } }[]
    for (const { match, action } of routes) {
      const matched = match.path !== undefined ? (request === match.path ? request : undefined) : match.prefix !== undefined ? (request.startsWith(match.prefix) ? match.prefix : undefined) : undefined
      if (matched === undefined) continue
      assert.equal(action!.prefixRewrite + request.slice(matched.length), want)
      return
    }
    assert.fail(`no route matches ${request}`)
  })
}
