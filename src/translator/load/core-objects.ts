import type { ConfigMap, EndpointSlice, Namespace, ObjectMeta, Secret, Service } from '../../k8s/index.ts'
import type { SchemaError } from './crd-schemas.ts'

/**
 * Core kinds have no CRD: check by hand the fields the translator reads, and fill the API
 * server's defaults (Service port protocol TCP, Secret type Opaque, `stringData` folded into
 * `data`). Returns the typed object, or errors.
 */

type J = Record<string, unknown>
const obj = (v: unknown): J => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {})
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535
const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP'])

export type CoreResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: SchemaError[] }

export function loadNamespace(apiVersion: string, metadata: ObjectMeta): CoreResult<Namespace> {
  // Kubernetes labels every Namespace with its own name; selectors rely on it (gateway-api.md §1).
  const labels = { ...metadata.labels, 'kubernetes.io/metadata.name': metadata.name }
  return { ok: true, value: { kind: 'Namespace', apiVersion, metadata: { ...metadata, labels } } }
}

export function loadService(apiVersion: string, metadata: ObjectMeta, raw: J): CoreResult<Service> {
  const spec = obj(raw.spec)
  const errors: SchemaError[] = []
  if (spec.ports !== undefined && !Array.isArray(spec.ports)) errors.push({ path: ['spec', 'ports'], message: 'must be a list' })
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).map((p, i) => {
    const o = obj(p)
    if (!isPort(o.port)) errors.push({ path: ['spec', 'ports', i, 'port'], message: 'must be an integer in 1-65535' })
    const protocol = o.protocol ?? 'TCP'
    if (typeof protocol !== 'string' || !PROTOCOLS.has(protocol)) errors.push({ path: ['spec', 'ports', i, 'protocol'], message: 'must be one of "TCP", "UDP", "SCTP"' })
    for (const f of ['name', 'appProtocol'] as const)
      if (o[f] !== undefined && typeof o[f] !== 'string') errors.push({ path: ['spec', 'ports', i, f], message: 'must be a string' })
    const targetPort = typeof o.targetPort === 'string' || typeof o.targetPort === 'number' ? o.targetPort : undefined
    return { name: o.name as string | undefined, protocol: protocol as 'TCP', port: o.port as number, targetPort, appProtocol: o.appProtocol as string | undefined }
  })
  if (errors.length > 0) return { ok: false, errors }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  return {
    ok: true,
    value: { kind: 'Service', apiVersion, metadata, spec: { type: str(spec.type), ports, clusterIP: str(spec.clusterIP), externalName: str(spec.externalName) } },
  }
}

export function loadEndpointSlice(apiVersion: string, metadata: ObjectMeta, raw: J): CoreResult<EndpointSlice> {
  const errors: SchemaError[] = []
  const addressType = raw.addressType
  if (addressType !== 'IPv4' && addressType !== 'IPv6' && addressType !== 'FQDN') errors.push({ path: ['addressType'], message: 'must be one of "IPv4", "IPv6", "FQDN"' })
  const endpoints = (Array.isArray(raw.endpoints) ? raw.endpoints : []).map((e, i) => {
    const o = obj(e)
    const addresses = Array.isArray(o.addresses) ? o.addresses : []
    if (addresses.length === 0 || addresses.some((a) => typeof a !== 'string' || a === ''))
      errors.push({ path: ['endpoints', i, 'addresses'], message: 'must be a non-empty list of addresses' })
    const c = obj(o.conditions)
    const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined)
    return { addresses: addresses as string[], conditions: { ready: bool(c.ready), serving: bool(c.serving), terminating: bool(c.terminating) } }
  })
  const ports = (Array.isArray(raw.ports) ? raw.ports : []).map((p, i) => {
    const o = obj(p)
    if (!isPort(o.port)) errors.push({ path: ['ports', i, 'port'], message: 'must be an integer in 1-65535' })
    const protocol = o.protocol ?? 'TCP'
    if (typeof protocol !== 'string' || !PROTOCOLS.has(protocol)) errors.push({ path: ['ports', i, 'protocol'], message: 'must be one of "TCP", "UDP", "SCTP"' })
    return { name: typeof o.name === 'string' ? o.name : undefined, port: o.port as number, protocol: protocol as 'TCP', appProtocol: typeof o.appProtocol === 'string' ? o.appProtocol : undefined }
  })
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: { kind: 'EndpointSlice', apiVersion, metadata, addressType: addressType as 'IPv4', endpoints, ports } }
}

export function loadSecret(apiVersion: string, metadata: ObjectMeta, raw: J): CoreResult<Secret> {
  const errors: SchemaError[] = []
  const data: Record<string, string> = {}
  for (const [k, v] of Object.entries(obj(raw.data))) {
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(v)) errors.push({ path: ['data', k], message: 'must be a base64 string' })
    else data[k] = v.replace(/\s/g, '')
  }
  // The API server folds stringData into data (stringData wins).
  for (const [k, v] of Object.entries(obj(raw.stringData))) {
    if (typeof v !== 'string') errors.push({ path: ['stringData', k], message: 'must be a string' })
    else data[k] = Buffer.from(v, 'utf8').toString('base64')
  }
  const type = raw.type ?? 'Opaque'
  if (typeof type !== 'string') errors.push({ path: ['type'], message: 'must be a string' })
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: { kind: 'Secret', apiVersion, metadata, type: type as string, data } }
}

export function loadConfigMap(apiVersion: string, metadata: ObjectMeta, raw: J): CoreResult<ConfigMap> {
  const data: Record<string, string> = {}
  const errors: SchemaError[] = []
  for (const [k, v] of Object.entries(obj(raw.data))) {
    if (typeof v !== 'string') errors.push({ path: ['data', k], message: 'must be a string' })
    else data[k] = v
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, value: { kind: 'ConfigMap', apiVersion, metadata, data } }
}
