import type { Diagnostic } from '../../diag/index.ts'
import { gatewayDuration, legacyRoute } from '../legacy-routes.ts'
import type { FlatMatch, HttpListenerPlan } from '../precedence.ts'
import { routeProblem } from '../route-diagnostics.ts'

/** An ALB rule transform (AWS::ElasticLoadBalancingV2::ListenerRule Transform). */
export interface Transform {
  readonly Type: 'url-rewrite'
  readonly UrlRewriteConfig: { readonly Rewrites: readonly { readonly Regex: string; readonly Replace: string }[] }
}

/**
 * A legacy gateway route's `replacePrefix` as an ALB `url-rewrite` transform (ALB "Transforms for
 * listener rules": a regular expression matched against the request URL, replaced with a string
 * that may name capture groups `$1`). The rule's conditions already hold the element-wise prefix,
 * so the expression only splits the prefix from the rest and keeps the rest, with the Gateway API's
 * ReplacePrefixMatch results (gateway-api.md §7): `/api` → `/`: `/api/x` → `/x`, `/api` → `/`;
 * `/api` → `/v2`: `/api/x` → `/v2/x`. The rest is `(.*)` to the end, so a query string, whether
 * or not the transform sees it, is carried over unchanged. Empty when the route has no rewrite.
 */
export function urlRewrite(m: FlatMatch): { transforms: Transform[]; diagnostics: Diagnostic[] } {
  const r = legacyRoute(m)
  if (r?.replacePrefix === undefined) return { transforms: [], diagnostics: [] }
  const prefix = stripSlash(m.match.path ?? '/')
  const replacement = stripSlash(r.replacePrefix)
  if (replacement.includes('$')) {
    const why = `replacePrefix "${r.replacePrefix}" holds "$", which an ALB url-rewrite reads as a capture group and documents no escape for`
    return { transforms: [], diagnostics: [routeProblem('RENDER_INVALID_VALUE', 'error', m.route, ['properties', 'rules', m.ruleIndex, 'replacePrefix'], why)] }
  }
  if (prefix === '' && replacement === '') return { transforms: [], diagnostics: [] }
  const rewrite = replacement === '' ? { Regex: `^${escapeRegex(prefix)}/?(.*)$`, Replace: '/$1' } : { Regex: `^${escapeRegex(prefix)}(.*)$`, Replace: `${replacement}$1` }
  return { transforms: [{ Type: 'url-rewrite', UrlRewriteConfig: { Rewrites: [rewrite] } }], diagnostics: [] }
}

function stripSlash(p: string): string {
  return p.endsWith('/') ? p.slice(0, -1) : p
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** `idle_timeout.timeout_seconds` of an ALB: 60 by default, at most 4000 (ALB "Connection idle timeout"). */
const DEFAULT_IDLE_SECONDS = 60
const MAX_IDLE_SECONDS = 4000

/**
 * Legacy gateway route timeouts on an ALB. ALB has no per-route or per-request timeout; what
 * comes closest is the load balancer's idle timeout, which closes a connection (answering 504 to a
 * request waiting on its target) when no data has moved for that long. It is raised to the longest
 * request timeout asked when that exceeds the default, so no route is cut sooner than it asked,
 * and each route with a timeout gets a warning saying what it gets instead.
 */
export function idleTimeout(plans: readonly HttpListenerPlan[]): { seconds?: number; diagnostics: Diagnostic[] } {
  const timed = new Map<string, FlatMatch>()
  for (const plan of plans) for (const g of plan.groups) for (const m of g.matches) if (legacyRoute(m)?.timeoutPolicy) timed.set(`${m.route.name}/${m.ruleIndex}`, m)
  if (!timed.size) return { diagnostics: [] }
  const longest = Math.max(...[...timed.values()].map((m) => Math.ceil(legacyRoute(m)!.timeoutPolicy!.requestMs / 1000)))
  const seconds = Math.min(MAX_IDLE_SECONDS, Math.max(DEFAULT_IDLE_SECONDS, longest))
  const diagnostics: Diagnostic[] = []
  for (const m of timed.values()) {
    const t = legacyRoute(m)!.timeoutPolicy!
    const at = ['properties', 'rules', m.ruleIndex, 'timeoutPolicy']
    if (t.requestMs > MAX_IDLE_SECONDS * 1000) {
      diagnostics.push(routeProblem('RENDER_LIMIT', 'error', m.route, at, `a request timeout of ${t.requestMs / 1000}s is longer than the ${MAX_IDLE_SECONDS}s an ALB idle timeout allows`))
      continue
    }
    diagnostics.push(
      routeProblem(
        'RENDER_APPROXIMATED',
        'warning',
        m.route,
        at,
        `AWS ALB has no per-route timeout: the load balancer's idle timeout (idle_timeout.timeout_seconds, ${seconds}s, for every route on it) ends a request only when no data has moved for that long, not after ${gatewayDuration(t.requestMs)} in all${t.backendRequestMs !== t.requestMs ? `, and there is no per-attempt timeout for backendRequest ${gatewayDuration(t.backendRequestMs)}` : ''}`,
      ),
    )
  }
  return { ...(seconds !== DEFAULT_IDLE_SECONDS ? { seconds } : {}), diagnostics }
}
