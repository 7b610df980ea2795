import { createHash } from 'node:crypto'

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

/**
 * A container port name (IANA_SVC_NAME: at most 15 characters, lower case, at least one letter),
 * or undefined when the model's port name cannot be one; the name is optional on container ports.
 */
export function containerPortName(name: string): string | undefined {
  const n = name.toLowerCase()
  return n.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n) && /[a-z]/.test(n) && !n.includes('--') ? n : undefined
}

/** `CONNECTION_<NAME>_<KEY>`: upper case, anything but letters and digits becomes `_`. */
export function connectionVar(connection: string, key: string): string {
  return `CONNECTION_${connection.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${key}`
}
