import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import type * as ir from '../../ir/index.ts'

import { HOP_BY_HOP } from './h1-response-parser.ts'

/**
 * A copy of `headers` without hop-by-hop fields, without the fields the `Connection` header lists,
 * and without HTTP/2 pseudo-headers. `keepUpgrade` keeps `Connection: upgrade` and `Upgrade` for a
 * WebSocket handshake (RFC 9110 §7.8).
 */
export function endToEnd(headers: IncomingHttpHeaders, keepUpgrade = false): Record<string, string | string[]> {
  // Most requests name no fields in Connection (or only keep-alive/close): no set to build then.
  const conn = headers.connection
  const listed = typeof conn === 'string' ? connectionTokens(conn) : null
  const out: Record<string, string | string[]> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value === undefined || name.charCodeAt(0) === 0x3a) continue
    if ((HOP_BY_HOP.has(name) || (listed !== null && listed.has(name))) && !(keepUpgrade && (name === 'upgrade' || name === 'connection'))) continue
    out[name] = value
  }
  // `TE: trailers` is the one TE value a proxy may pass on (RFC 9110 §10.1.4).
  if (typeof headers.te === 'string' && headers.te.split(',').some((t) => t.trim().toLowerCase() === 'trailers')) out.te = 'trailers'
  return out
}

/** The field names a Connection header lists (RFC 9110 §7.6.1), or null when it lists only keep-alive / close. */
function connectionTokens(conn: string): Set<string> | null {
  const lower = conn.toLowerCase()
  if (lower === 'keep-alive' || lower === 'close') return null
  const listed = new Set<string>()
  for (const t of lower.split(',')) listed.add(t.trim())
  return listed
}

/** Response headers safe to send downstream (hop-by-hop removed, as for requests). */
export function responseHeaders(headers: IncomingHttpHeaders | OutgoingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const conn = headers.connection
  const listed = typeof conn === 'string' ? connectionTokens(conn) : null
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':') || HOP_BY_HOP.has(name) || (listed !== null && listed.has(name))) continue
    out[name] = typeof value === 'number' ? String(value) : value
  }
  return out
}

/** The fields `addForwarded` sets, in its order: a client's own are extended or replaced, never passed on as they came. */
export const FORWARDING_FIELDS: readonly string[] = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded']

/**
 * Adds the forwarding headers (de-facto `X-Forwarded-*`, and RFC 7239 `Forwarded`): the client
 * address is appended to any chain the client sent, proto and host describe this hop.
 */
export function addForwarded(h: Record<string, string | string[]>, client: string, proto: 'http' | 'https', authority: string): void {
  const prior = h['x-forwarded-for']
  h['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${client}` : client
  h['x-forwarded-proto'] = proto
  h['x-forwarded-host'] = authority
  const element = hop(client, proto, authority).element
  const fwd = h.forwarded
  h.forwarded = fwd ? `${Array.isArray(fwd) ? fwd.join(', ') : fwd}, ${element}` : element
}

/**
 * This hop's forwarding fields as head lines, then the head's final CRLF: exactly what
 * `addForwarded` sets, in its order, on a request that brought none of them.
 */
export function forwardingLines(client: string, proto: 'http' | 'https', authority: string): string {
  return hop(client, proto, authority).lines
}

/** What this hop adds for one client, scheme and host. */
interface Hop {
  readonly client: string
  readonly proto: string
  readonly authority: string
  /** The RFC 7239 forwarded-element. */
  readonly element: string
  /** `forwardingLines`. */
  readonly lines: string
}

// The last hop built: a keep-alive connection's requests share client, proto and host, so the
// regex and the concatenations run once per run of equal requests, not once per request. (No
// request has the empty proto, so the first call always builds.)
let lastHop: Hop = { client: '', proto: '', authority: '', element: '', lines: '' }

function hop(client: string, proto: string, authority: string): Hop {
  const last = lastHop
  if (client === last.client && proto === last.proto && authority === last.authority) return last
  // RFC 7239 §6: IPv6 addresses are quoted and bracketed.
  const node = client.includes(':') ? `"[${client}]"` : client
  const element = `for=${node};host=${quoteIfNeeded(authority)};proto=${proto}`
  const lines = `x-forwarded-for: ${client}\r\nx-forwarded-proto: ${proto}\r\nx-forwarded-host: ${authority}\r\nforwarded: ${element}\r\n\r\n`
  return (lastHop = { client, proto, authority, element, lines })
}

function quoteIfNeeded(v: string): string {
  return /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`
}

/**
 * Applies a header modifier in place (gateway-api.md §7): `set` replaces all values, `add`
 * appends (seen as `old,new`), `remove` deletes. Names are already lower-cased in the IR.
 */
export function modifyHeaders(h: Record<string, string | string[]>, m: ir.HeaderModifier): void {
  for (const { name, value } of m.set) h[name] = value
  for (const { name, value } of m.add) {
    const old = h[name]
    h[name] = old === undefined ? value : `${Array.isArray(old) ? old.join(',') : old},${value}`
  }
  for (const name of m.remove) delete h[name]
}
