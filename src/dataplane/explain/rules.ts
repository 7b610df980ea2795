import type * as ir from '../../ir/index.ts'
import { parseQuery, type RoutePlan, type RouteTable } from '../compile/index.ts'
import type { Check } from './types.ts'

/** What of the request a match looks at. Header names lower-cased. */
export interface RequestParts {
  readonly path: string
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly query: string
}

/**
 * Every entry of a route table, in an order consistent with Gateway API precedence for any one
 * request: exact paths first, then prefixes longest first, each bucket in its own (IR) order.
 * Entries of different buckets of equal rank can never match the same path, so their relative
 * order is only for display (by path).
 */
export function tableEntries(table: RouteTable): RoutePlan[] {
  const buckets = (m: RouteTable['exact']) => [...m.entries()]
  const exact = buckets(table.exact).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const prefix = buckets(table.prefix).sort(([a], [b]) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
  return [...exact, ...prefix].flatMap(([, list]) => list)
}

/**
 * Checks one match field by field, as the data plane does (gateway-api.md §2): path exact or
 * element-wise prefix, never against the query; method exact; header names case-insensitive and
 * values exact; query names and values exact, first value of a repeated name.
 */
export function checkMatch(m: ir.HTTPMatch, req: RequestParts): Check[] {
  const checks: Check[] = [checkPath(m.path, req.path)]
  if (m.method !== null)
    checks.push({ field: 'method', want: m.method, got: req.method, ok: m.method === req.method, why: m.method === req.method ? `the method is ${m.method}` : `the rule wants ${m.method}, the request is ${req.method}${req.method === 'HEAD' && m.method === 'GET' ? ' (HEAD does not match GET)' : ''}` })
  for (const h of m.headers) checks.push(checkHeader(h, req.headers))
  let query: Map<string, string> | null = null
  for (const q of m.queryParams) checks.push(checkQuery(q, (query ??= parseQuery(req.query)), req.query))
  return checks
}

function checkPath(p: ir.HTTPMatch['path'], path: string): Check {
  if (p.kind === 'exact') {
    const ok = path === p.value
    const near = !ok && (path.replace(/\/$/, '') === p.value.replace(/\/$/, '') ? ' (a trailing / makes a different path)' : path.toLowerCase() === p.value.toLowerCase() ? ' (paths are case-sensitive)' : '')
    return { field: 'path', want: `Exact ${p.value}`, got: path, ok, why: ok ? `${path} is exactly ${p.value}` : `${path} is not exactly ${p.value}${near}` }
  }
  const v = p.value
  const ok = v === '/' || path === v || path.startsWith(v + '/')
  let why: string
  if (ok) why = v === '/' ? 'the prefix / matches every path' : `${path} starts with the segment${v.split('/').length > 2 ? 's' : ''} ${v}`
  else if (path.startsWith(v)) why = `${path} starts with the characters ${v} but not with the whole segment: prefixes match whole path segments`
  else if (path.toLowerCase().startsWith(v.toLowerCase())) why = `${path} does not start with ${v} (paths are case-sensitive)`
  else why = `${path} does not start with ${v}`
  return { field: 'path', want: `PathPrefix ${v}`, got: path, ok, why }
}

function checkHeader(h: ir.HeaderValue, headers: Readonly<Record<string, string>>): Check {
  const v = headers[h.name]
  const field = `header ${h.name}`
  if (v === undefined) return { field, want: h.value, got: null, ok: false, why: `the request has no ${h.name} header` }
  // Same rule as the data plane: the whole value, or the first of a comma-joined list.
  const ok = v === h.value || v.split(',')[0]?.trim() === h.value
  const near = !ok && v.toLowerCase() === h.value.toLowerCase() ? ' (header values are case-sensitive)' : ''
  return { field, want: h.value, got: v, ok, why: ok ? `${h.name} is ${h.value}` : `${h.name} is ${JSON.stringify(v)}, the rule wants ${JSON.stringify(h.value)}${near}` }
}

function checkQuery(q: { readonly name: string; readonly value: string }, query: Map<string, string>, raw: string): Check {
  const v = query.get(q.name)
  const field = `query ${q.name}`
  if (v === undefined) {
    const other = [...query.keys()].find((k) => k.toLowerCase() === q.name.toLowerCase())
    return { field, want: q.value, got: null, ok: false, why: other !== undefined ? `the query has ${other}, not ${q.name} (query parameter names are case-sensitive)` : raw === '' ? 'the request has no query string' : `the query has no ${q.name} parameter` }
  }
  const ok = v === q.value
  return { field, want: q.value, got: v, ok, why: ok ? `${q.name}=${q.value}` : `${q.name} is ${JSON.stringify(v)}, the rule wants ${JSON.stringify(q.value)}${v.toLowerCase() === q.value.toLowerCase() ? ' (values are case-sensitive)' : ''}` }
}
