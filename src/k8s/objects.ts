import type { ConfigMap, EndpointSlice, Namespace, Secret, Service } from './core.ts'
import type { Gateway, GatewayClass, ReferenceGrant, Route } from './gateway-api.ts'

/** Every kind the loader reads (DESIGN.md §5), discriminated by `kind`. */
export type K8sObject = GatewayClass | Gateway | Route | ReferenceGrant | Namespace | Service | EndpointSlice | Secret | ConfigMap
export type K8sKind = K8sObject['kind']

/** `namespace/name`, the key the spec's alphabetical tie-breaks use (gateway-api.md §10). */
export function objectKey(o: { readonly metadata: { readonly namespace: string; readonly name: string } }): string {
  return `${o.metadata.namespace}/${o.metadata.name}`
}
