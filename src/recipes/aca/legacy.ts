import type { Diagnostic } from '../../diag/index.ts'
import type { App } from '../../model/index.ts'
import { gatewayDuration, legacyOrigin, legacyRoute } from '../legacy-routes.ts'
import type { FlatMatch } from '../precedence.ts'
import { resourceProblem, routeProblem } from '../route-diagnostics.ts'

/** "Container Apps HTTP ingress … request timeout 240 seconds", not configurable (platforms.md §2.2). */
const INGRESS_TIMEOUT_S = 240

/**
 * The `routes` of a route-config rule for one match: `pathSeparatedPrefix` is the element-wise
 * prefix (Envoy's path_separated_prefix), `prefix: "/"` the root. A legacy gateway route's
 * `replacePrefix` is the route's `action.prefixRewrite`, which (Inference: as Envoy's
 * prefix_rewrite, which Container Apps' ingress is) replaces what the match matched: so `/p` is an
 * exact `path: /p` rewritten to the replacement and a `prefix: /p/` rewritten to the replacement
 * and `/`, giving the Gateway API's ReplacePrefixMatch results (gateway-api.md §7).
 */
export function ruleRoutes(m: FlatMatch): Record<string, unknown>[] {
  const path = m.match.path ?? '/'
  const rewrite = legacyRoute(m)?.replacePrefix
  if (rewrite === undefined) return [{ match: path === '/' ? { prefix: '/', caseSensitive: true } : { pathSeparatedPrefix: path, caseSensitive: true } }]
  const replacement = rewrite.endsWith('/') ? rewrite.slice(0, -1) : rewrite
  const prefix = { match: { prefix: path === '/' ? '/' : `${path}/`, caseSensitive: true }, action: { prefixRewrite: `${replacement}/` } }
  return path === '/' ? [prefix] : [{ match: { path, caseSensitive: true }, action: { prefixRewrite: replacement || '/' } }, prefix]
}

/**
 * What Container Apps does differently from a legacy gateway, said per gateway: its ingress has one
 * fixed request timeout, so a route timeout below it is not enforced (a warning) and one above it
 * cannot be had (an error); it accepts TLS 1.2 and 1.3 with no minimum to set; and a TLS gateway
 * without a hostname has no custom domain to present its certificate on.
 */
export function legacyDifferences(app: App): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const route of app.routes) {
    const origin = legacyOrigin(route)
    if (!origin || route.routeKind !== 'HTTP') continue
    const g = origin.gateway
    route.rules.forEach((_, i) => {
      const t = g.routes[origin.routeIndex[i]!]!.timeoutPolicy
      if (!t) return
      const at = ['properties', 'rules', i, 'timeoutPolicy']
      if (t.requestMs > INGRESS_TIMEOUT_S * 1000) out.push(routeProblem('RENDER_LIMIT', 'error', route, at, `Azure Container Apps ingress ends every request after ${INGRESS_TIMEOUT_S}s, which cannot be raised to ${gatewayDuration(t.requestMs)}`))
      else out.push(routeProblem('RENDER_APPROXIMATED', 'warning', route, at, `Azure Container Apps ingress has one fixed request timeout, ${INGRESS_TIMEOUT_S}s, and no per-route one: ${gatewayDuration(t.requestMs)} is not enforced`))
    })
    if (origin.listener.minimumTlsVersion === '1.3') {
      out.push(resourceProblem('RENDER_SEMANTICS_WIDENED', 'warning', g, ['properties', 'tls', 'minimumProtocolVersion'], `gateway "${g.name}": Azure Container Apps ingress accepts TLS 1.2 and 1.3 and has no minimum version to set, so clients on TLS 1.2 are accepted too`))
    }
    if (origin.listener.certificateStore && !origin.listener.hostname) {
      out.push(
        resourceProblem(
          'RENDER_APPROXIMATED',
          'warning',
          g,
          ['properties', 'tls', 'certificateFrom'],
          `gateway "${g.name}" has no hostname to bind a custom domain to: its route config is served at the generated domain with Azure's certificate, not the one in secret store "${origin.listener.certificateStore}"`,
        ),
      )
    }
  }
  return out
}
