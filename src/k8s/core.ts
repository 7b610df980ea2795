import type { ObjectMeta } from './meta.ts'

/** core/v1 Namespace. The loader synthesizes the `kubernetes.io/metadata.name` label. */
export interface Namespace {
  readonly kind: 'Namespace'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
}

export interface ServicePort {
  readonly name?: string
  readonly protocol: 'TCP' | 'UDP' | 'SCTP'
  readonly port: number
  readonly targetPort?: number | string
  readonly appProtocol?: string
}

/** core/v1 Service: only what backend resolution reads. */
export interface Service {
  readonly kind: 'Service'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly spec: {
    readonly type?: string
    readonly ports: readonly ServicePort[]
    readonly clusterIP?: string
    readonly externalName?: string
    readonly selector?: Readonly<Record<string, string>>
  }
}

export interface EndpointPort {
  readonly name?: string
  readonly port: number
  readonly protocol: 'TCP' | 'UDP' | 'SCTP'
  readonly appProtocol?: string
}

export interface Endpoint {
  readonly addresses: readonly string[]
  readonly conditions?: { readonly ready?: boolean; readonly serving?: boolean; readonly terminating?: boolean }
}

/** discovery.k8s.io/v1 EndpointSlice: how a Service resolves to addresses. */
export interface EndpointSlice {
  readonly kind: 'EndpointSlice'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly addressType: 'IPv4' | 'IPv6' | 'FQDN'
  readonly endpoints: readonly Endpoint[]
  readonly ports: readonly EndpointPort[]
}

/** core/v1 Secret; `data` is base64 as in a cluster, `stringData` plain. */
export interface Secret {
  readonly kind: 'Secret'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly type: string
  readonly data: Readonly<Record<string, string>>
}

export interface ConfigMap {
  readonly kind: 'ConfigMap'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly data: Readonly<Record<string, string>>
}
