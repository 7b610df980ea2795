import { createHash } from 'node:crypto'
import { k8sName } from '../../util/index.ts'

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 6)

/**
 * A container app name: 2–32 characters, lower-case letters, digits and hyphens, starting with a
 * letter and not ending with a hyphen (Microsoft.App/containerApps naming rules). Longer names keep
 * their head and get a hash of the whole, so two long names never collide.
 */
export function containerAppName(resource: string): string {
  const base = k8sName(resource)
  const lettered = /^[a-z]/.test(base) ? base : `app-${base}`
  if (lettered.length <= 32) return lettered
  return `${lettered.slice(0, 25).replace(/-+$/, '')}-${hash(resource)}`
}

/**
 * An httpRouteConfig name: `^[a-z][a-z0-9]*$` (Microsoft.App 2025-07-01 ARM schema; no hyphens),
 * made from the app and hostname so each hostname has its one config.
 */
export function routeConfigName(app: string, hostname: string | null): string {
  const alnum = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '')
  const joined = `${alnum(app) || 'app'}${hostname === null ? 'anyhost' : alnum(hostname.replace(/^\*\./, 'wildcard.'))}`
  const lettered = /^[a-z]/.test(joined) ? joined : `r${joined}`
  return lettered.length <= 32 ? lettered : `${lettered.slice(0, 26)}${hash(`${app}/${hostname}`)}`
}

/** ARM template parameter names: letters and digits. */
export function parameterName(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w[0]!.toLowerCase() : w[0]!.toUpperCase()) + w.slice(1))
    .join('')
}
