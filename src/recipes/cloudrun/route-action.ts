import type { Diagnostic } from '../../diag/index.ts'
import { gatewayDuration, legacyRoute } from '../legacy-routes.ts'
import type { FlatMatch } from '../precedence.ts'
import { routeProblem } from '../route-diagnostics.ts'

/** Cloud Run's request timeout: 300 s unless the service sets another, at most 3600 s (Cloud Run "Request timeout"). */
const CLOUD_RUN_DEFAULT_TIMEOUT_S = 300
const CLOUD_RUN_MAX_TIMEOUT_S = 3600

/** One URL-map route rule's matching and action, before it gets its priority and service. */
export interface RouteRulePart {
  readonly matchRules: readonly Record<string, unknown>[]
  readonly routeAction?: Record<string, unknown>
}

/**
 * A match's route rules. A PathPrefix `/p` is two OR-ed match rules, `fullPathMatch: /p` and
 * `prefixMatch: /p/`, and usually one route rule holds both. A legacy gateway route's
 * `replacePrefix` is a `routeAction.urlRewrite.pathPrefixRewrite`, which replaces the part of the
 * path that the match rule matched — `/p` for the full path, `/p/` for the prefix — so the two
 * need different rewrites and become two route rules (gateway-api.md §7's ReplacePrefixMatch:
 * `/p` → `/x` turns `/p` into `/x` and `/p/a` into `/x/a`). Its `timeoutPolicy.request` is the
 * route action's `timeout`.
 */
export function routeRuleParts(m: FlatMatch, matchRules: readonly Record<string, unknown>[]): { parts: RouteRulePart[]; diagnostics: Diagnostic[] } {
  const r = legacyRoute(m)
  const diagnostics: Diagnostic[] = []
  if (!r) return { parts: [{ matchRules }], diagnostics }
  const at = (field: string) => ['properties', 'rules', m.ruleIndex, field]
  let timeout: Record<string, unknown> | undefined
  if (r.timeoutPolicy) {
    const { requestMs, backendRequestMs } = r.timeoutPolicy
    if (requestMs > CLOUD_RUN_MAX_TIMEOUT_S * 1000) {
      diagnostics.push(routeProblem('RENDER_LIMIT', 'error', m.route, at('timeoutPolicy'), `a request timeout of ${gatewayDuration(requestMs)} is longer than the ${CLOUD_RUN_MAX_TIMEOUT_S}s a Cloud Run service allows`))
    } else if (requestMs > CLOUD_RUN_DEFAULT_TIMEOUT_S * 1000) {
      diagnostics.push(routeProblem('RENDER_APPROXIMATED', 'warning', m.route, at('timeoutPolicy'), `Cloud Run ends a request after the service's own request timeout, ${CLOUD_RUN_DEFAULT_TIMEOUT_S}s unless set: give service "${m.destination.resource}" a timeout of at least ${gatewayDuration(requestMs)}`))
    }
    if (backendRequestMs !== requestMs) {
      diagnostics.push(
        routeProblem(
          'RENDER_APPROXIMATED',
          'warning',
          m.route,
          at('timeoutPolicy'),
          `backendRequest ${gatewayDuration(backendRequestMs)} is not rendered: a URL map's per-attempt timeout (retryPolicy.perTryTimeout) belongs to a retry policy, which would also retry; the request timeout ${gatewayDuration(requestMs)} bounds the whole request`,
        ),
      )
    }
    timeout = { seconds: String(Math.floor(requestMs / 1000)), ...(requestMs % 1000 ? { nanos: (requestMs % 1000) * 1_000_000 } : {}) }
  }
  if (r.enableWebsockets) {
    diagnostics.push(
      routeProblem('RENDER_APPROXIMATED', 'warning', m.route, at('enableWebsockets'), `Cloud Run carries WebSockets as long-running requests and ends each after the service's request timeout (${CLOUD_RUN_DEFAULT_TIMEOUT_S}s unless set, at most ${CLOUD_RUN_MAX_TIMEOUT_S}s)`),
    )
  }
  const action = (rewrite?: string) => (timeout || rewrite !== undefined ? { routeAction: { ...(rewrite !== undefined ? { urlRewrite: { pathPrefixRewrite: rewrite } } : {}), ...(timeout ? { timeout } : {}) } } : {})
  if (r.replacePrefix === undefined) return { parts: [{ matchRules, ...action() }], diagnostics }
  const replacement = r.replacePrefix.endsWith('/') ? r.replacePrefix.slice(0, -1) : r.replacePrefix
  // matchRules is [prefixMatch "/"] for the root, else [fullPathMatch "/p", prefixMatch "/p/"].
  const parts = matchRules.map((rule) => ({ matchRules: [rule], ...action('fullPathMatch' in rule ? replacement || '/' : `${replacement}/`) }))
  return { parts, diagnostics }
}
