import type * as ir from '../../ir/index.ts'

/**
 * Applies a URLRewrite/RequestRedirect path modifier (gateway-api.md §7). ReplacePrefixMatch
 * replaces the matched prefix element-wise: `/foo/bar` with prefix `/foo` and replacement `/xyz`
 * → `/xyz/bar`; a trailing `/` on prefix or replacement is ignored; an empty result is `/`.
 */
export function rewritePath(path: string, match: ir.HTTPMatch['path'], rewrite: ir.PathRewrite): string {
  if (rewrite.kind === 'full' || match.kind !== 'prefix') return rewrite.kind === 'full' ? rewrite.value : rewrite.replacement || '/'
  const prefix = stripSlash(match.value)
  const rest = path.slice(prefix.length)
  const out = stripSlash(rewrite.replacement) + rest
  return out === '' ? '/' : out
}

function stripSlash(v: string): string {
  return v.endsWith('/') ? v.slice(0, -1) : v
}

/**
 * The redirect's Location (gateway-api.md §7): scheme, hostname (default: the request host without
 * port), port (already resolved by the translator: null = omit), path (default unchanged), and
 * the query string kept.
 */
export function redirectLocation(r: ir.HTTPRedirect, host: string, path: string, query: string, match: ir.HTTPMatch['path']): string {
  const p = r.path ? rewritePath(path, match, r.path) : path
  return `${r.scheme}://${r.hostname ?? host}${r.port === null ? '' : `:${r.port}`}${p}${query === '' ? '' : `?${query}`}`
}
