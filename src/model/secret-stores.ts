/**
 * Applications.Core/secretStores: Radius's rules and texts
 * (radius:pkg/corerp/frontend/controller/secretstores/kubernetes.go), plus a check Radius leaves to
 * the cluster: a certificate store's tls.crt and tls.key must be PEM and belong together.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto'
import type { RawResource } from './load.ts'
import { obj, str, type Reporter } from './report.ts'
import { SECRET_STORE_TYPES, type SecretStore, type SecretStoreType, type SecretValue } from './types.ts'

const REQUIRED_KEYS: Partial<Record<SecretStoreType, readonly string[]>> = {
  basicAuthentication: ['username', 'password'],
  azureWorkloadIdentity: ['clientId', 'tenantId'],
  awsIRSA: ['roleARN'],
}

const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

type StoreParts = Pick<SecretStore, 'storeType' | 'data' | 'resource'>

export function readSecretStore(raw: RawResource, reporter: Reporter): StoreParts {
  const props = obj(raw.value.properties)
  const o = raw.origin
  const typeIn = str(props.type) ?? ''
  let storeType: SecretStoreType = 'generic'
  if (typeIn !== '') {
    if ((SECRET_STORE_TYPES as readonly string[]).includes(typeIn)) storeType = typeIn as SecretStoreType
    else reporter.error('SECRETSTORE_INVALID_TYPE', `'${typeIn}' is invalid secret type`, o, ['properties', 'type'])
  }
  const resource = str(props.resource) || undefined
  if (resource !== undefined) checkResource(resource, raw, reporter)
  else if (props.application === undefined && props.resource !== undefined) {
    reporter.error('SECRETSTORE_INVALID_RESOURCE', '$.properties.resource cannot be empty for global scoped resource.', o, ['properties', 'resource'])
  }

  const data: Record<string, SecretValue> = {}
  for (const [key, v] of Object.entries(obj(props.data))) {
    const at = ['properties', 'data', key]
    const d = obj(v)
    if (str(obj(d.valueFrom).name)) {
      reporter.error('SECRETSTORE_VALUE_FROM_UNSUPPORTED', `$.properties.data[${key}].valueFrom.Name is specified. Kubernetes secret resource doesn't support secret reference. `, o, [...at, 'valueFrom'])
      continue
    }
    const encIn = str(d.encoding) ?? ''
    let encoding: 'raw' | 'base64' = storeType === 'certificate' ? 'base64' : 'raw'
    if (encIn === 'raw' && storeType === 'certificate') {
      reporter.error('SECRETSTORE_INVALID_ENCODING', `'${key}' encoding is not valid: "certificate type doesn't support raw"`, o, [...at, 'encoding'])
    } else if (encIn === 'raw' || encIn === 'base64') encoding = encIn
    else if (encIn !== '') reporter.error('SECRETSTORE_INVALID_ENCODING', `'${key}' encoding is not valid: "${encIn} is the invalid encoding type"`, o, [...at, 'encoding'])
    const value = str(d.value)
    if (resource === undefined && value === undefined) {
      reporter.error('SECRETSTORE_VALUE_REQUIRED', `$.properties.data[${key}].Value must be given to create the secret.`, o, at)
    }
    if (value !== undefined && encoding === 'base64' && !isBase64(value)) {
      reporter.error('SECRETSTORE_INVALID_BASE64', `the value of "${key}" is marked base64 but is not valid base64`, o, [...at, 'value'])
    }
    data[key] = { encoding, ...(value !== undefined ? { value } : {}) }
  }
  for (const key of REQUIRED_KEYS[storeType] ?? []) {
    if (!(key in data)) reporter.error('SECRETSTORE_MISSING_KEY', `$.properties.data must contain '${key}' key for ${storeType} type.`, o, ['properties', 'data'])
  }
  if (storeType === 'certificate') checkCertificatePair(data, raw, reporter)
  return { storeType, data, ...(resource ? { resource } : {}) }
}

function checkResource(resource: string, raw: RawResource, reporter: Reporter): void {
  const parts = resource.split('/')
  const at = ['properties', 'resource']
  if (parts.length > 2) return reporter.error('SECRETSTORE_INVALID_RESOURCE', `'${resource}' is the invalid resource id`, raw.origin, at)
  const [ns, name] = parts.length === 2 ? parts : ['', parts[0]!]
  if (name && !(OBJECT_NAME.test(name) && name.length <= 63)) {
    reporter.error('SECRETSTORE_INVALID_RESOURCE', `'${name}' is the invalid resource name. This must be at most 63 alphanumeric characters or '-'`, raw.origin, at)
  }
  if (ns && !(OBJECT_NAME.test(ns!) && ns!.length <= 63)) {
    reporter.error('SECRETSTORE_INVALID_RESOURCE', `'${ns}' is the invalid namespace. This must be at most 63 alphanumeric characters or '-'`, raw.origin, at)
  }
}

function isBase64(s: string): boolean {
  const t = s.replace(/\s+/g, '')
  return t.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(t)
}

function decode(v: SecretValue): string | undefined {
  if (v.value === undefined) return undefined
  return v.encoding === 'base64' ? Buffer.from(v.value, 'base64').toString('utf8') : v.value
}

/** A certificate and a key that do not belong together fail at handshake time; say so now. */
function checkCertificatePair(data: Record<string, SecretValue>, raw: RawResource, reporter: Reporter): void {
  const crt = data['tls.crt'] && decode(data['tls.crt'])
  const key = data['tls.key'] && decode(data['tls.key'])
  let cert: X509Certificate | undefined
  if (crt !== undefined) {
    try {
      cert = new X509Certificate(crt)
    } catch {
      reporter.error('SECRETSTORE_INVALID_CERTIFICATE', '"tls.crt" is not a PEM-encoded X.509 certificate', raw.origin, ['properties', 'data', 'tls.crt', 'value'])
    }
  }
  if (key === undefined) return
  let privateKey
  try {
    privateKey = createPrivateKey(key)
  } catch {
    // The message never echoes the key material: private keys stay out of logs and errors.
    reporter.error('SECRETSTORE_INVALID_CERTIFICATE', '"tls.key" is not a PEM-encoded private key', raw.origin, ['properties', 'data', 'tls.key', 'value'])
    return
  }
  if (cert && !cert.checkPrivateKey(privateKey)) {
    reporter.error('SECRETSTORE_INVALID_CERTIFICATE', '"tls.key" is not the private key of the certificate in "tls.crt"', raw.origin, ['properties', 'data', 'tls.key', 'value'])
  }
}
