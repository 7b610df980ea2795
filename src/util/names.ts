import { createHash } from 'node:crypto'

/** Radius resource names (radius:typespec/radius/v1/resources.tsp, `ResourceNameString`). */
export const RADIUS_NAME_PATTERN = /^[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?$/
export const RADIUS_NAME_MAX = 63

/** An RFC 1123 DNS label: what Kubernetes object names and Service names must be. */
export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s)
}

/**
 * A hostname as the Gateway API accepts it (`Hostname`): RFC 1123 labels, lower case, optionally
 * led by a single `*.` wildcard label, no IP addresses, at most 253 characters.
 */
export function isGatewayHostname(s: string, allowWildcard = true): boolean {
  if (s.length === 0 || s.length > 253) return false
  const body = allowWildcard && s.startsWith('*.') ? s.slice(2) : s
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(body)) return false
  if (body.split('.').some((label) => label.length > 63)) return false
  return !/^\d+(\.\d+){3}$/.test(body)
}

/**
 * A DNS-label-safe Kubernetes name (RFC 1123: lower case, letters, digits and hyphens, at most 63
 * characters) made from parts joined by `-`. Names that fit are kept readable; a longer one keeps
 * its head and gets a short hash of the whole, so two long names never collide and the same
 * input always gives the same name.
 */
export function k8sName(...parts: string[]): string {
  const joined = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
  const safe = joined || 'x'
  if (safe.length <= 63) return safe
  const hash = createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 8)
  return `${safe.slice(0, 54).replace(/-+$/, '')}-${hash}`
}
