import type { Diagnostic } from '../../diag/index.ts'
import { matchName, type FlatMatch, type HttpListenerPlan } from '../precedence.ts'
import { matchPath, routeProblem } from '../route-diagnostics.ts'
import { backendServiceUrl, gcpName } from './names.ts'
import { routeRuleParts } from './route-action.ts'

/** URL-map quotas for external Application Load Balancers, not increasable (platforms.md §3.2). */
const MAX_ROUTE_RULES = 1000
const MAX_PREDICATES = 1000
const PRIORITY_STEP = 10

/**
 * One match → URL-map match rules (platforms.md §3.3). PathPrefix `/p` is element-wise, so it is
 * two OR-ed match rules: `fullPathMatch: /p` and `prefixMatch: /p/` (a URL-map prefix is a plain
 * string prefix), each repeating the method, header and query predicates. The method is the
 * `:method` pseudo-header; header names are lower case, as the load balancer sees them.
 */
export function matchRules(m: FlatMatch): Record<string, unknown>[] {
  const headerMatches = [
    ...(m.match.method ? [{ headerName: ':method', exactMatch: m.match.method }] : []),
    ...m.match.headers.map((h) => ({ headerName: h.name.toLowerCase(), exactMatch: h.value })),
  ]
  const queryParameterMatches = m.match.queryParams.map((q) => ({ name: q.name, exactMatch: q.value }))
  const predicates = { ...(headerMatches.length ? { headerMatches } : {}), ...(queryParameterMatches.length ? { queryParameterMatches } : {}) }
  const path = m.match.path ?? '/'
  return path === '/' ? [{ prefixMatch: '/', ...predicates }] : [{ fullPathMatch: path, ...predicates }, { prefixMatch: `${path}/`, ...predicates }]
}

/**
 * The HTTP routes of one listener → a URL map: a host rule and path matcher per hostname (the
 * catch-all group as `*`), route rules in Gateway API precedence order with priorities 10, 20, …,
 * and the 404 backend as the default of every path matcher and of the map, so an unmatched request
 * gets 404 and a hostname never falls through to a less specific one.
 */
export function renderUrlMap(name: string, plan: HttpListenerPlan, serviceOf: (m: FlatMatch) => string | undefined, notFound: string): { body: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const hostRules: unknown[] = []
  const pathMatchers: unknown[] = []
  for (const group of plan.groups) {
    const matcher = gcpName(63, group.hostname === null ? 'any-host' : group.hostname.replace(/^\*\./, 'wildcard.'))
    const routeRules: unknown[] = []
    let predicates = 0
    for (const m of group.matches) {
      const service = serviceOf(m)
      if (!service) continue
      const rules = matchRules(m)
      const { parts, diagnostics: problems } = routeRuleParts(m, rules)
      diagnostics.push(...problems)
      predicates += rules.length * (1 + (m.match.method ? 1 : 0) + m.match.headers.length + m.match.queryParams.length)
      if (routeRules.length + parts.length > MAX_ROUTE_RULES || predicates > MAX_PREDICATES) {
        const what = routeRules.length + parts.length > MAX_ROUTE_RULES ? `more than ${MAX_ROUTE_RULES} route rules` : `more than ${MAX_PREDICATES} predicates`
        diagnostics.push(routeProblem('RENDER_LIMIT', 'error', m.route, matchPath(m.ruleIndex, m.matchIndex), `the routes for ${group.hostname ?? 'any host'} need ${what} in one URL-map path matcher, the limit for external Application Load Balancers`))
        break
      }
      for (const part of parts) {
        routeRules.push({ priority: (routeRules.length + 1) * PRIORITY_STEP, description: matchName(m), matchRules: part.matchRules, service: backendServiceUrl(service), ...(part.routeAction ? { routeAction: part.routeAction } : {}) })
      }
    }
    hostRules.push({ hosts: [group.hostname ?? '*'], pathMatcher: matcher })
    pathMatchers.push({ name: matcher, defaultService: backendServiceUrl(notFound), routeRules })
  }
  return {
    body: { kind: 'compute#urlMap', name, description: `Switchyard: HTTP routes on port ${plan.listener.port}`, defaultService: backendServiceUrl(notFound), hostRules, pathMatchers },
    diagnostics,
  }
}
