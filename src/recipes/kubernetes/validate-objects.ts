import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway'
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute'
import { TLSRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/TLSRoute'
import { TCPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/TCPRoute'
import { UDPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/UDPRoute'
import { ReferenceGrant } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { Secret } from 'kubernetes-models/v1/Secret'
import { Service } from 'kubernetes-models/v1/Service'
import type { Diagnostic } from '../../diag/index.ts'
import type { Manifest } from '../recipe.ts'

interface Validating {
  validate(): void
}

/**
 * The typed, schema-validating model of each kind we render (generated from the Gateway API CRDs
 * and the Kubernetes OpenAPI). TCPRoute and UDPRoute are served at v1 by the standard-channel CRDs
 * but the model package has them only at v1alpha2, whose schema is the same shape; they are
 * checked with that model and rendered at v1.
 */
const MODELS: Record<string, (o: Manifest) => Validating> = {
  Deployment: (o) => new Deployment(o as never),
  Service: (o) => new Service(o as never),
  Secret: (o) => new Secret(o as never),
  Gateway: (o) => new Gateway(o as never),
  HTTPRoute: (o) => new HTTPRoute(o as never),
  TLSRoute: (o) => new TLSRoute(o as never),
  TCPRoute: (o) => new TCPRoute({ ...o, apiVersion: 'gateway.networking.k8s.io/v1alpha2' } as never),
  UDPRoute: (o) => new UDPRoute({ ...o, apiVersion: 'gateway.networking.k8s.io/v1alpha2' } as never),
  ReferenceGrant: (o) => new ReferenceGrant(o as never),
}

/**
 * Checks each rendered object against its official schema before anything is written: an object a
 * cluster would refuse is a diagnostic naming the object and the field, never a half-applied app.
 */
export function validateObjects(objects: readonly Manifest[]): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const o of objects) {
    const model = MODELS[o.kind]
    const id = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`
    if (!model) {
      out.push({ code: 'RENDER_INVALID_OBJECT', severity: 'error', message: `${id}: no schema to check this kind against`, path: '' })
      continue
    }
    const nameProblem = checkName(o)
    if (nameProblem) out.push({ code: 'RENDER_INVALID_OBJECT', severity: 'error', message: `${id} would be refused by the cluster: ${nameProblem}`, path: '', resource: id })
    try {
      model(o).validate()
    } catch (e) {
      const message = (e as Error).message.replace(/^data\//, '').replace(/\bdata\//g, '')
      out.push({ code: 'RENDER_INVALID_OBJECT', severity: 'error', message: `${id} would be refused by the cluster: ${message}`, path: '', resource: id })
    }
  }
  return out
}

/**
 * Object names are checked by the API server, not by the OpenAPI schemas the models carry: a
 * Service name is an RFC 1035 label, other names RFC 1123 subdomains.
 */
function checkName(o: Manifest): string | undefined {
  const n = o.metadata.name
  if (o.kind === 'Service') {
    return n.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(n) ? undefined : `metadata/name "${n}" must be an RFC 1035 label (lower case, starting with a letter, at most 63 characters)`
  }
  const label = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
  return n.length <= 253 && new RegExp(`^${label}(\\.${label})*$`).test(n) ? undefined : `metadata/name "${n}" must be an RFC 1123 subdomain (lower case, at most 253 characters)`
}
