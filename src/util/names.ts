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
