import { createHash } from 'node:crypto'
import { k8sName } from '../../util/index.ts'
import type { CertificateSource } from '../listener-tls.ts'

/** Placeholders a deployer substitutes (e.g. with envsubst): the Compute API needs full URLs for NEGs. */
export const PROJECT = '${PROJECT_ID}'
export const REGION = '${REGION}'
const BASE = `https://www.googleapis.com/compute/v1/projects/${PROJECT}`

export const backendServiceUrl = (name: string) => `${BASE}/global/backendServices/${name}`
export const negUrl = (name: string) => `${BASE}/regions/${REGION}/networkEndpointGroups/${name}`
export const urlMapUrl = (name: string) => `${BASE}/global/urlMaps/${name}`
export const proxyUrl = (name: string, https: boolean) => `${BASE}/global/${https ? 'targetHttpsProxies' : 'targetHttpProxies'}/${name}`
export const sslCertificateUrl = (name: string) => `${BASE}/global/sslCertificates/${name}`
export const sslPolicyUrl = (name: string) => `${BASE}/global/sslPolicies/${name}`

/**
 * The SSL certificate an HTTPS proxy presents, as a placeholder to substitute: `${SSL_CERTIFICATE}`
 * for the environment's, `${SSL_CERTIFICATE_<STORE>}` for a legacy gateway's certificate secret
 * store (upload its tls.crt and tls.key as a Compute SSL certificate and give its name).
 */
export function certificatePlaceholder(c: CertificateSource): string {
  return c.kind === 'environment' ? '${SSL_CERTIFICATE}' : `\${SSL_CERTIFICATE_${c.store.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}}`
}

/**
 * A name of at most `max` characters, lower-case letters, digits and hyphens, starting with a
 * letter (Compute resources: RFC 1035, 63; Cloud Run services: 49). Longer names keep their head
 * and get a hash of the whole.
 */
export function gcpName(max: number, ...parts: string[]): string {
  const base = k8sName(...parts)
  const lettered = /^[a-z]/.test(base) ? base : `s-${base}`
  if (lettered.length <= max) return lettered
  const hash = createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 6)
  return `${lettered.slice(0, max - 7).replace(/-+$/, '')}-${hash}`
}

/** The Cloud Run service a container resource runs as. */
export const cloudRunService = (resource: string) => gcpName(49, resource)
