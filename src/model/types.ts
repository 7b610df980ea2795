/**
 * The app model after validation: normalized, both schema spellings folded into one, defaults
 * filled, references resolved to resource names. Recipes read only this.
 */
import type { SourcePos } from '../diag/index.ts'

export const RESOURCE_TYPES = {
  application: 'Applications.Core/applications',
  container: 'Radius.Compute/containers',
  legacyContainer: 'Applications.Core/containers',
  route: 'Radius.Compute/routes',
  gateway: 'Applications.Core/gateways',
  secretStore: 'Applications.Core/secretStores',
  environment: 'Radius.Core/environments',
} as const

export type ResourceTypeName = (typeof RESOURCE_TYPES)[keyof typeof RESOURCE_TYPES]

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const
export type HTTPMethod = (typeof HTTP_METHODS)[number]
export const ROUTE_KINDS = ['HTTP', 'TLS', 'TCP', 'UDP'] as const
export type RouteKind = (typeof ROUTE_KINDS)[number]
export type Protocol = 'TCP' | 'UDP'

interface ResourceBase {
  /** `Namespace/type` without the version. */
  readonly type: ResourceTypeName
  readonly apiVersion: string
  readonly name: string
  /** Where the resource starts in its file. */
  readonly source: SourcePos
}

export interface Application extends ResourceBase {
  readonly kind: 'application'
  readonly environment?: string
}

export interface Port {
  readonly containerPort: number
  readonly protocol: Protocol
  /** The Service port: `port` if given (Applications.Core), else containerPort. */
  readonly port: number
  readonly scheme?: string
}

export interface EnvValue {
  readonly value?: string
  readonly secretRef?: { readonly source: string; readonly key: string }
}

export interface ContainerSpec {
  readonly image: string
  readonly ports: Readonly<Record<string, Port>>
  readonly env: Readonly<Record<string, EnvValue>>
  readonly command?: readonly string[]
  readonly args?: readonly string[]
  readonly workingDir?: string
}

export interface Connection {
  /** A URL (`http://backend:3000`) or the name of a resource in the app. */
  readonly source: { readonly kind: 'url'; readonly url: string; readonly scheme: string; readonly hostname: string; readonly port: number } | { readonly kind: 'resource'; readonly name: string; readonly type?: string }
  readonly disableDefaultEnvVars: boolean
}

export interface Container extends ResourceBase {
  readonly kind: 'container'
  /** True for Applications.Core/containers. */
  readonly legacy: boolean
  /**
   * True when the resource was written with one `container` rather than a `containers` map: the
   * single container is keyed by the resource name and its Service takes the resource's name.
   */
  readonly single: boolean
  readonly application: string
  readonly containers: Readonly<Record<string, ContainerSpec>>
  readonly connections: Readonly<Record<string, Connection>>
}

export interface NameValue {
  readonly name: string
  readonly value: string
}

export interface RouteMatch {
  /** A path prefix; absent means every path. */
  readonly path?: string
  readonly headers: readonly NameValue[]
  readonly method?: HTTPMethod
  readonly queryParams: readonly NameValue[]
}

export interface Destination {
  /** The container resource's name. */
  readonly resource: string
  readonly containerName: string
  readonly portName: string
  readonly containerPort: number
  readonly protocol: Protocol
}

export interface RouteRule {
  readonly matches: readonly RouteMatch[]
  readonly destination: Destination
}

export interface Route extends ResourceBase {
  readonly kind: 'route'
  readonly routeKind: RouteKind
  readonly application: string
  readonly hostnames: readonly string[]
  readonly rules: readonly RouteRule[]
}

export interface GatewayRoute {
  readonly path?: string
  readonly destination: { readonly url: string; readonly scheme: string; readonly hostname: string; readonly port: number }
  readonly replacePrefix?: string
  readonly enableWebsockets: boolean
  readonly timeoutPolicy?: { readonly requestMs: number; readonly backendRequestMs: number }
}

export interface LegacyGateway extends ResourceBase {
  readonly kind: 'gateway'
  readonly application: string
  readonly hostname?: { readonly prefix?: string; readonly fullyQualifiedHostname?: string }
  readonly routes: readonly GatewayRoute[]
  readonly tls?: {
    readonly sslPassthrough: boolean
    /** Secret store name. */
    readonly certificateFrom?: string
    readonly minimumProtocolVersion: '1.2' | '1.3'
  }
}

export const SECRET_STORE_TYPES = ['generic', 'certificate', 'basicAuthentication', 'azureWorkloadIdentity', 'awsIRSA'] as const
export type SecretStoreType = (typeof SECRET_STORE_TYPES)[number]

export interface SecretValue {
  readonly encoding: 'raw' | 'base64'
  readonly value?: string
}

export interface SecretStore extends ResourceBase {
  readonly kind: 'secretStore'
  readonly application?: string
  readonly storeType: SecretStoreType
  readonly data: Readonly<Record<string, SecretValue>>
  /** An existing Kubernetes secret, `namespace/name` or `name`. */
  readonly resource?: string
}

export interface ParentRef {
  readonly name: string
  readonly namespace?: string
  readonly sectionName?: string
  readonly port?: number
}

/**
 * How a container runs on this machine. `ports` fixes the local port of a container port (by port
 * name); ports not named get an ephemeral one.
 */
export type LocalRun =
  | { readonly kind: 'command'; readonly command: readonly string[] | string; readonly cwd?: string; readonly env: Readonly<Record<string, string>>; readonly ports?: Readonly<Record<string, number>> }
  | { readonly kind: 'address'; readonly addresses: Readonly<Record<string, string>> }
  | { readonly kind: 'standIn'; readonly ports?: Readonly<Record<string, number>> }

export interface CertificateSource {
  readonly namespace?: string
  readonly certFile?: string
  readonly keyFile?: string
  readonly cert?: string
  readonly key?: string
  readonly localCA: boolean
}

export interface Environment extends ResourceBase {
  readonly kind: 'environment'
  readonly namespace: string
  readonly routes: { readonly hostnames: readonly string[]; readonly parentRef?: ParentRef }
  /** Gateway API objects (GatewayClass, Gateway, ReferenceGrant, Secret, …) as written. */
  readonly gateways: readonly Readonly<Record<string, unknown>>[]
  readonly certificates: Readonly<Record<string, CertificateSource>>
  /** By container resource name or `<resource>/<container>`. */
  readonly local: Readonly<Record<string, LocalRun>>
}

export type Resource = Application | Container | Route | LegacyGateway | SecretStore | Environment

export interface App {
  readonly application?: Application
  readonly containers: readonly Container[]
  readonly routes: readonly Route[]
  readonly gateways: readonly LegacyGateway[]
  readonly secretStores: readonly SecretStore[]
  readonly environment?: Environment
}
