import type * as ir from '../ir/index.ts'
import { RouteReason, type HTTPHeaderFilter, type HTTPPathModifier, type HTTPRoute, type HTTPRouteFilter, type HTTPRouteMatch, type HTTPRouteRule } from '../k8s/index.ts'
import { normalizePath, parseGatewayDuration } from '../util/index.ts'
import { resolveBackend } from './backends.ts'
import type { Context } from './context.ts'
import { normalizePrefix } from './precedence.ts'
import { Problems } from './status/index.ts'

/** A redirect before it meets a listener (scheme and port defaults depend on the listener). */
export interface PendingRedirect {
  readonly scheme: 'http' | 'https' | null
  readonly hostname: string | null
  readonly port: number | null
  readonly path: ir.PathRewrite | null
  readonly statusCode: ir.HTTPRedirect['statusCode']
}

export interface LoweredRule {
  readonly index: number
  readonly matches: readonly ir.HTTPMatch[]
  readonly filters: readonly ir.HTTPFilter[]
  readonly redirect: PendingRedirect | null
  readonly backends: readonly ir.HTTPBackend[]
  readonly timeouts: ir.HTTPTimeouts
  readonly retry: ir.HTTPRetry | null
}

export interface LoweredHTTPRoute {
  readonly route: HTTPRoute
  /** The rules we implement, in spec order. */
  readonly rules: readonly LoweredRule[]
  /** Rules left out, with the Accepted reason (UnsupportedValue, IncompatibleFilters). */
  readonly dropped: readonly { readonly index: number; readonly reason: string; readonly message: string }[]
  /** ResolvedRefs problems across all backends and mirrors. */
  readonly refs: Problems
}

class RuleError {
  readonly reason: string
  readonly message: string
  constructor(reason: string, message: string) {
    this.reason = reason
    this.message = message
  }
}

/**
 * Lowers an HTTPRoute's rules (gateway-api.md §2, §7), independent of listeners. A rule that uses a
 * value we do not implement (regular expressions, CORS, ExtensionRef) is dropped with
 * UnsupportedValue; a RequestRedirect among backend filters is dropped with IncompatibleFilters.
 * Invalid backends stay, as `invalid` shares that answer 500.
 */
export function lowerHTTPRoute(ctx: Context, route: HTTPRoute): LoweredHTTPRoute {
  const refs = new Problems()
  const rules: LoweredRule[] = []
  const dropped: { index: number; reason: string; message: string }[] = []
  const base = `httproute/${route.metadata.namespace}/${route.metadata.name}`
  route.spec.rules.forEach((rule, i) => {
    const lowered = lowerRule(ctx, route, rule, i, `${base}/rule/${i}`, refs)
    if (lowered instanceof RuleError) dropped.push({ index: i, reason: lowered.reason, message: `rule ${i}: ${lowered.message}` })
    else rules.push(lowered)
  })
  return { route, rules, dropped, refs }
}

function lowerRule(ctx: Context, route: HTTPRoute, rule: HTTPRouteRule, index: number, name: string, refs: Problems): LoweredRule | RuleError {
  const matches: ir.HTTPMatch[] = []
  for (const m of rule.matches.length > 0 ? rule.matches : [{ path: { type: 'PathPrefix', value: '/' } } as HTTPRouteMatch]) {
    const lowered = lowerMatch(m)
    if (lowered instanceof RuleError) return lowered
    matches.push(lowered)
  }
  const prefix = matches.length === 1 && matches[0]!.path.kind === 'prefix' ? matches[0]!.path.value : null
  const filters: ir.HTTPFilter[] = []
  let redirect: PendingRedirect | null = null
  for (const [f, filter] of (rule.filters ?? []).entries()) {
    if (filter.type === 'RequestRedirect') {
      const r = filter.requestRedirect!
      const path = lowerPath(r.path, prefix)
      if (path instanceof RuleError) return path
      redirect = { scheme: (r.scheme as 'http' | 'https' | undefined) ?? null, hostname: r.hostname ?? null, port: r.port ?? null, path, statusCode: r.statusCode as 302 }
      continue
    }
    const lowered = lowerFilter(ctx, route, filter, `${name}/filter/${f}`, prefix, refs)
    if (lowered instanceof RuleError) return lowered
    if (lowered) filters.push(lowered)
  }
  const backends: ir.HTTPBackend[] = []
  for (const [k, ref] of (rule.backendRefs ?? []).entries()) {
    const bname = `${name}/backend/${k}`
    const bfilters: ir.HTTPFilter[] = []
    for (const [f, filter] of (ref.filters ?? []).entries()) {
      if (filter.type === 'RequestRedirect') return new RuleError(RouteReason.IncompatibleFilters, `backendRefs[${k}]: a RequestRedirect filter cannot apply to one backend`)
      const lowered = lowerFilter(ctx, route, filter, `${bname}/filter/${f}`, prefix, refs)
      if (lowered instanceof RuleError) return lowered
      if (lowered) bfilters.push(lowered)
    }
    const r = resolveBackend(ctx, 'HTTPRoute', route.metadata.namespace, ref)
    if (r.ok) backends.push({ kind: 'service', name: bname, weight: ref.weight, service: r.service, endpoints: r.endpoints, appProtocol: r.appProtocol, filters: bfilters })
    else {
      refs.add(r.reason, r.message)
      backends.push({ kind: 'invalid', name: bname, weight: ref.weight, reason: r.reason })
    }
  }
  const ms = (s: string | undefined) => {
    if (s === undefined) return null
    const v = parseGatewayDuration(s)
    return v === undefined || v === 0 ? null : v
  }
  const retry: ir.HTTPRetry | null = rule.retry
    ? { attempts: rule.retry.attempts ?? 1, codes: [...(rule.retry.codes ?? [])].sort((a, b) => a - b), backoffMs: ms(rule.retry.backoff) }
    : null
  return { index, matches, filters, redirect, backends, timeouts: { requestMs: ms(rule.timeouts?.request), backendRequestMs: ms(rule.timeouts?.backendRequest) }, retry }
}

function lowerMatch(m: HTTPRouteMatch): ir.HTTPMatch | RuleError {
  if (m.path.type === 'RegularExpression') return new RuleError(RouteReason.UnsupportedValue, 'path match type RegularExpression is not supported')
  const headers: ir.HeaderValue[] = []
  for (const h of m.headers ?? []) {
    if (h.type === 'RegularExpression') return new RuleError(RouteReason.UnsupportedValue, 'header match type RegularExpression is not supported')
    // Equivalent header names: only the first entry counts (gateway-api.md §2.5).
    const name = h.name.toLowerCase()
    if (!headers.some((x) => x.name === name)) headers.push({ name, value: h.value })
  }
  const queryParams: { name: string; value: string }[] = []
  for (const q of m.queryParams ?? []) {
    if (q.type === 'RegularExpression') return new RuleError(RouteReason.UnsupportedValue, 'query param match type RegularExpression is not supported')
    if (!queryParams.some((x) => x.name === q.name)) queryParams.push({ name: q.name, value: q.value })
  }
  const kind = m.path.type === 'Exact' ? 'exact' : 'prefix'
  const value = canonicalPath(m.path.value)
  return { path: { kind, value: kind === 'prefix' ? normalizePrefix(value) : value }, method: m.method ?? null, headers, queryParams }
}

/**
 * A path match value in the form request paths are matched in (normalizePath, docs/reliability.md
 * "Path normalisation"). The CRD admits percent-encoded octets in values
 * (`^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$`), and RFC 3986 §6.2.2 makes `/%61pi`
 * and `/api` the same path; requests are normalised before matching, so values must be too, or a
 * value written with an escape would never match. A value normalizePath refuses (`%00`, `%5C`, …)
 * stays as written: requests spelled that way are refused with 400, so it matches nothing either way.
 */
function canonicalPath(value: string): string {
  const n = normalizePath(value)
  return n.ok ? n.path : value
}

/** Visible ASCII (RFC 3986 §2: anything else is percent-encoded); the CRD bounds only the length. */
const PATH_VALUE = /^[\x21-\x7e]*$/

/**
 * A path modifier. Its value is checked here, once: it is written into the request line (a
 * rewrite) or a Location header (a redirect) without another check, where a space, CR or LF would
 * split the message.
 */
function lowerPath(p: HTTPPathModifier | undefined, prefix: string | null): ir.PathRewrite | null | RuleError {
  if (!p) return null
  const value = p.type === 'ReplaceFullPath' ? p.replaceFullPath : p.replacePrefixMatch
  if (value !== undefined && !PATH_VALUE.test(value)) return new RuleError(RouteReason.UnsupportedValue, `path ${JSON.stringify(value)} holds a space or control character; percent-encode it`)
  if (p.type === 'ReplaceFullPath') return { kind: 'full', value: p.replaceFullPath ?? '/' }
  // Admission guarantees exactly one PathPrefix match for ReplacePrefixMatch (CEL); `prefix` is it.
  void prefix
  return { kind: 'prefix', replacement: p.replacePrefixMatch ?? '' }
}

/** A field value (RFC 9110 §5.5): visible ASCII, obs-text, SP and HTAB; no CR, LF, NUL or other control characters. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * A header filter's names lower-cased. Its values are checked here, once: the CRD bounds only
 * their length, and a CR or LF in one would split the message it is written into. The data plane
 * writes header values without checking them again (every value is checked where it enters:
 * here, or by the parser or HTTP/2 session that read it; docs/reliability.md).
 */
function headerModifier(h: HTTPHeaderFilter): ir.HeaderModifier | RuleError {
  const bad = [...(h.set ?? []), ...(h.add ?? [])].find((x) => !FIELD_VALUE.test(x.value))
  if (bad) return new RuleError(RouteReason.UnsupportedValue, `header ${bad.name} value ${JSON.stringify(bad.value)} holds a control character (CR, LF, NUL or another), which no HTTP message can carry`)
  const lower = (xs: readonly { name: string; value: string }[] | undefined) => (xs ?? []).map((x) => ({ name: x.name.toLowerCase(), value: x.value }))
  return { set: lower(h.set), add: lower(h.add), remove: (h.remove ?? []).map((r) => r.toLowerCase()) }
}

function headerFilter(kind: 'request-headers' | 'response-headers', h: HTTPHeaderFilter | undefined): ir.HTTPFilter | RuleError {
  const modifier = headerModifier(h ?? {})
  return modifier instanceof RuleError ? modifier : { kind, modifier }
}

function lowerFilter(ctx: Context, route: HTTPRoute, f: HTTPRouteFilter, name: string, prefix: string | null, refs: Problems): ir.HTTPFilter | null | RuleError {
  switch (f.type) {
    case 'RequestHeaderModifier':
      return headerFilter('request-headers', f.requestHeaderModifier)
    case 'ResponseHeaderModifier':
      return headerFilter('response-headers', f.responseHeaderModifier)
    case 'URLRewrite': {
      const path = lowerPath(f.urlRewrite?.path, prefix)
      if (path instanceof RuleError) return path
      return { kind: 'url-rewrite', hostname: f.urlRewrite?.hostname ?? null, path }
    }
    case 'RequestMirror': {
      const m = f.requestMirror!
      const r = resolveBackend(ctx, 'HTTPRoute', route.metadata.namespace, m.backendRef)
      // An invalid mirror is reported and not configured (gateway-api.md §7 RequestMirror).
      if (!r.ok) {
        refs.add(r.reason, `mirror: ${r.message}`)
        return null
      }
      const fraction = m.percent !== undefined ? { numerator: m.percent, denominator: 100 } : m.fraction ? { numerator: m.fraction.numerator, denominator: m.fraction.denominator } : { numerator: 100, denominator: 100 }
      return {
        kind: 'mirror',
        fraction,
        backend: { kind: 'service', name: `${name}/mirror`, weight: 1, service: r.service, endpoints: r.endpoints, appProtocol: r.appProtocol, filters: [] },
      }
    }
    default:
      return new RuleError(RouteReason.UnsupportedValue, `filter type ${f.type} is not supported`)
  }
}
