import type { Diagnostic } from '../../diag/index.ts'
import type { RouteMatch } from '../../model/index.ts'
import type { FlatMatch } from '../precedence.ts'
import { matchPath, routeProblem } from '../route-diagnostics.ts'

/** An ALB rule condition as CloudFormation writes it (AWS::ElasticLoadBalancingV2::ListenerRule RuleCondition). */
export type Condition =
  | { readonly Field: 'host-header'; readonly HostHeaderConfig: { readonly Values: readonly string[] } }
  | { readonly Field: 'path-pattern'; readonly PathPatternConfig: { readonly Values: readonly string[] } }
  | { readonly Field: 'http-request-method'; readonly HttpRequestMethodConfig: { readonly Values: readonly string[] } }
  | { readonly Field: 'http-header'; readonly HttpHeaderConfig: { readonly HttpHeaderName: string; readonly Values: readonly string[] } }
  | { readonly Field: 'query-string'; readonly QueryStringConfig: { readonly Values: readonly { readonly Key: string; readonly Value: string }[] } }

/** ALB quotas, not adjustable (platforms.md §1.3, ALB "Quotas"): per rule. */
export const MAX_EVALUATIONS = 5
export const MAX_WILDCARDS = 5

/** Characters an ALB path pattern may hold besides the `*` and `?` wildcards (platforms.md §1.3). */
const PATH_CHARS = /^[A-Za-z0-9_\-.$/~"'@:+&]+$/
/** ALB rules compare visible ASCII only (0x21–0x7e). */
const VISIBLE_ASCII = /^[\x21-\x7e]*$/
const MAX_VALUE = 128

/** The ALB rules one match becomes: each a list of conditions; empty when it cannot be expressed. */
export interface MatchRules {
  readonly rules: readonly { readonly suffix: string; readonly conditions: readonly Condition[] }[]
  readonly diagnostics: readonly Diagnostic[]
}

/**
 * One match → ALB conditions (platforms.md §1.3). A PathPrefix `/p` is the two patterns `/p` and
 * `/p/*` (element-wise prefix); `/` needs no path condition. Values inside one condition are ORed
 * and conditions ANDed, so when the match needs more than 5 evaluations the OR-ed path values are
 * split into one rule each, which keeps the meaning; headers, query parameters and the method are
 * ANDed and cannot be split, so a match that is still too big is an error.
 */
export function matchRules(m: FlatMatch, hostname: string | null): MatchRules {
  const diagnostics: Diagnostic[] = []
  const at = (...rest: (string | number)[]) => matchPath(m.ruleIndex, m.matchIndex, ...rest)
  const fail = (path: (string | number)[], why: string, code: 'RENDER_INVALID_VALUE' | 'RENDER_LIMIT' = 'RENDER_INVALID_VALUE') => diagnostics.push(routeProblem(code, 'error', m.route, path, why))
  const match: RouteMatch = m.match
  const path = match.path && match.path !== '/' ? match.path : undefined
  if (path !== undefined && (!PATH_CHARS.test(path) || path.length > MAX_VALUE - 2)) {
    fail(at('httpPath'), `path "${path}" cannot be an ALB path pattern (allowed: A-Z a-z 0-9 _ - . $ / ~ " ' @ : + &; at most ${MAX_VALUE - 2} characters, as "/*" is appended)`)
  }
  match.headers.forEach((h, i) => {
    if (h.name.toLowerCase() === 'host') fail(at('httpHeaders', i, 'name'), 'an ALB http-header condition cannot test Host; give the route hostnames instead')
    else if (h.name.length > 40) fail(at('httpHeaders', i, 'name'), `header name "${h.name}" is longer than the 40 characters an ALB http-header condition allows`)
    if (/[*?]/.test(h.value)) fail(at('httpHeaders', i, 'value'), `ALB treats * and ? in header values as wildcards and documents no escape, so an exact match on "${h.value}" cannot be expressed`)
    else if (!VISIBLE_ASCII.test(h.value) || h.value.length > MAX_VALUE) fail(at('httpHeaders', i, 'value'), `header value "${h.value}" is not visible ASCII of at most ${MAX_VALUE} characters, which ALB conditions require`)
  })
  match.queryParams.forEach((q, i) => {
    if (!VISIBLE_ASCII.test(q.name + q.value) || escapeQuery(q.name).length > MAX_VALUE || escapeQuery(q.value).length > MAX_VALUE) {
      fail(at('httpQueryParams', i), `query parameter "${q.name}=${q.value}" is not visible ASCII of at most ${MAX_VALUE} characters, which ALB conditions require`)
    }
  })
  if (diagnostics.length) return { rules: [], diagnostics }

  const fixed: Condition[] = [
    ...(match.method ? [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: [match.method] } } as const] : []),
    ...match.headers.map((h) => ({ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: h.name, Values: [h.value] } }) as const),
    ...match.queryParams.map((q) => ({ Field: 'query-string', QueryStringConfig: { Values: [{ Key: escapeQuery(q.name), Value: escapeQuery(q.value) }] } }) as const),
  ]
  const host: Condition[] = hostname ? [{ Field: 'host-header', HostHeaderConfig: { Values: [hostname] } }] : []
  const pathValues = path ? [path, `${path}/*`] : []
  const needed = host.length + (path ? 1 : 0) + fixed.length
  if (needed > MAX_EVALUATIONS) {
    const parts = [hostname ? 'hostname 1' : '', path ? 'path 1' : '', match.method ? 'method 1' : '', match.headers.length ? `${match.headers.length} headers` : '', match.queryParams.length ? `${match.queryParams.length} query parameters` : ''].filter(Boolean)
    fail(at(), `AWS ALB allows at most ${MAX_EVALUATIONS} match evaluations per rule; this match needs ${needed} even after splitting (${parts.join(' + ')})`, 'RENDER_LIMIT')
    return { rules: [], diagnostics }
  }
  // Split the OR-ed path values only when together they break the per-rule limit.
  const split = host.length + pathValues.length + fixed.length > MAX_EVALUATIONS
  const pathSets: { suffix: string; values: string[] }[] = !path ? [{ suffix: '', values: [] }] : split ? [{ suffix: 'Exact', values: [path] }, { suffix: 'Prefix', values: [`${path}/*`] }] : [{ suffix: '', values: pathValues }]
  const rules = pathSets.map(({ suffix, values }) => {
    const conditions: Condition[] = [...host, ...(values.length ? [{ Field: 'path-pattern', PathPatternConfig: { Values: values } } as const] : []), ...fixed]
    // A rule needs at least one condition: match every path.
    return { suffix, conditions: conditions.length ? conditions : [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } } as const] }
  })
  for (const r of rules) {
    const wildcards = countWildcards(r.conditions)
    if (wildcards > MAX_WILDCARDS) {
      fail(at(), `AWS ALB allows at most ${MAX_WILDCARDS} wildcard characters per rule; this match needs ${wildcards}`, 'RENDER_LIMIT')
      return { rules: [], diagnostics }
    }
  }
  return { rules, diagnostics }
}

/** ALB query-string values treat `*` and `?` as wildcards; `\` escapes them (platforms.md §1.3). */
function escapeQuery(s: string): string {
  return s.replace(/[\\*?]/g, (c) => `\\${c}`)
}

/** Unescaped `*` and `?` across every value of a rule. */
export function countWildcards(conditions: readonly Condition[]): number {
  const count = (s: string) => (s.replace(/\\./g, '').match(/[*?]/g) ?? []).length
  let n = 0
  for (const c of conditions) {
    if (c.Field === 'host-header') n += c.HostHeaderConfig.Values.reduce((a, v) => a + count(v), 0)
    else if (c.Field === 'path-pattern') n += c.PathPatternConfig.Values.reduce((a, v) => a + count(v), 0)
    else if (c.Field === 'http-header') n += c.HttpHeaderConfig.Values.reduce((a, v) => a + count(v), 0)
    else if (c.Field === 'query-string') n += c.QueryStringConfig.Values.reduce((a, v) => a + count(v.Key) + count(v.Value), 0)
  }
  return n
}

/**
 * ALB host-header values (platforms.md §1.3): at most 128 characters of A-Z a-z 0-9 - . * ?, with
 * at least one dot and only letters after the last one. Why `h` breaks that, or undefined.
 */
export function albHostnameProblem(h: string): string | undefined {
  if (h.length > MAX_VALUE) return `hostname "${h}" is longer than the ${MAX_VALUE} characters an ALB host-header condition allows`
  if (!h.includes('.') || !/\.[A-Za-z]+$/.test(h)) return `hostname "${h}" cannot be an ALB host-header value: it needs a dot and a top-level domain of letters only`
  return undefined
}
