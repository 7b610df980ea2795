import { readFileSync } from 'node:fs'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { parse } from 'yaml'

/** The Gateway API kinds that have a CRD, and the file holding it (copied; see crds/README.md). */
export const CRD_FILES = {
  GatewayClass: 'gateway.networking.k8s.io_gatewayclasses.yaml',
  Gateway: 'gateway.networking.k8s.io_gateways.yaml',
  HTTPRoute: 'gateway.networking.k8s.io_httproutes.yaml',
  TLSRoute: 'gateway.networking.k8s.io_tlsroutes.yaml',
  TCPRoute: 'gateway.networking.k8s.io_tcproutes.yaml',
  UDPRoute: 'gateway.networking.k8s.io_udproutes.yaml',
  ReferenceGrant: 'gateway.networking.k8s.io_referencegrants.yaml',
} as const
export type CRDKind = keyof typeof CRD_FILES

export interface SchemaError {
  readonly path: readonly (string | number)[]
  readonly message: string
}

const cache = new Map<CRDKind, ValidateFunction>()

/**
 * Validates `value` (mutated: the schema's defaults are filled in, as an API server's defaulting
 * would) against the storage version's openAPIV3Schema of the kind. Every served apiVersion of a
 * Gateway API kind has the same structure for the fields we read, so one schema serves them all.
 */
export function validateAgainstCRD(kind: CRDKind, value: unknown): SchemaError[] {
  const validate = compiled(kind)
  if (validate(value)) return []
  return dedupe((validate.errors ?? []).map(toSchemaError))
}

function compiled(kind: CRDKind): ValidateFunction {
  let v = cache.get(kind)
  if (!v) {
    const text = readFileSync(new URL(`./crds/${CRD_FILES[kind]}`, import.meta.url), 'utf8')
    const crd = parse(text) as { spec: { versions: { storage: boolean; schema: { openAPIV3Schema: object } }[] } }
    const version = crd.spec.versions.find((x) => x.storage) ?? crd.spec.versions[0]!
    // strict: false — the schemas carry x-kubernetes-* keywords Ajv does not know. Formats such as
    // int32 are Kubernetes-specific and not checked by the API server either.
    const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true, validateFormats: false })
    v = ajv.compile(version.schema.openAPIV3Schema)
    cache.set(kind, v)
  }
  return v
}

function toSchemaError(e: ErrorObject): SchemaError {
  const path: (string | number)[] = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
  const params = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'required':
      return { path: [...path, String(params.missingProperty)], message: `${String(params.missingProperty)} is required` }
    case 'enum':
      return { path, message: `must be one of ${(params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}` }
    default:
      return { path, message: e.message ?? e.keyword }
  }
}

function dedupe(errors: SchemaError[]): SchemaError[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const k = JSON.stringify(e)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
