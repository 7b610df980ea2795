import type { Condition, LabelSelector, ObjectMeta } from './meta.ts'

/**
 * Gateway API types (gateway.networking.k8s.io), after the loader has filled every default the
 * CRDs declare (gateway-api.md §1). Field names keep the spec's spelling exactly.
 */

/**
 * Switchyard's listener `tls.options` key for the minimum TLS version ("1.2" or "1.3"): the Gateway
 * API has no field for it and leaves option keys to implementations.
 */
export const MIN_TLS_OPTION = 'switchyard.dev/minimum-tls-version'

export const GATEWAY_GROUP = 'gateway.networking.k8s.io'

export interface GatewayClass {
  readonly kind: 'GatewayClass'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly spec: {
    readonly controllerName: string
    readonly parametersRef?: { readonly group: string; readonly kind: string; readonly name: string; readonly namespace?: string }
    readonly description?: string
  }
}

export type ProtocolType = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP' | (string & {})
export type TLSModeType = 'Terminate' | 'Passthrough'

export interface SecretObjectReference {
  readonly group: string
  readonly kind: string
  readonly name: string
  readonly namespace?: string
}

export interface RouteGroupKind {
  readonly group: string
  readonly kind: string
}

export interface AllowedRoutes {
  readonly namespaces: { readonly from: 'All' | 'Same' | 'Selector' | 'None'; readonly selector?: LabelSelector }
  readonly kinds?: readonly RouteGroupKind[]
}

export interface Listener {
  readonly name: string
  readonly hostname?: string
  readonly port: number
  readonly protocol: ProtocolType
  readonly tls?: {
    readonly mode: TLSModeType
    readonly certificateRefs?: readonly SecretObjectReference[]
    readonly options?: Readonly<Record<string, string>>
  }
  readonly allowedRoutes: AllowedRoutes
}

export interface GatewayAddress {
  readonly type: string
  readonly value: string
}

export interface Gateway {
  readonly kind: 'Gateway'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly spec: {
    readonly gatewayClassName: string
    readonly listeners: readonly Listener[]
    readonly addresses?: readonly GatewayAddress[]
    readonly infrastructure?: {
      readonly labels?: Readonly<Record<string, string>>
      readonly annotations?: Readonly<Record<string, string>>
      readonly parametersRef?: { readonly group: string; readonly kind: string; readonly name: string }
    }
  }
}

export interface ParentReference {
  readonly group: string
  readonly kind: string
  readonly namespace?: string
  readonly name: string
  readonly sectionName?: string
  readonly port?: number
}

export interface BackendRef {
  readonly group: string
  readonly kind: string
  readonly name: string
  readonly namespace?: string
  readonly port?: number
  readonly weight: number
}

export interface HTTPHeader {
  readonly name: string
  readonly value: string
}

export interface HTTPHeaderFilter {
  readonly set?: readonly HTTPHeader[]
  readonly add?: readonly HTTPHeader[]
  readonly remove?: readonly string[]
}

export interface HTTPPathModifier {
  readonly type: 'ReplaceFullPath' | 'ReplacePrefixMatch'
  readonly replaceFullPath?: string
  readonly replacePrefixMatch?: string
}

export interface HTTPRouteFilter {
  readonly type: 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestRedirect' | 'URLRewrite' | 'RequestMirror' | 'CORS' | 'ExtensionRef' | (string & {})
  readonly requestHeaderModifier?: HTTPHeaderFilter
  readonly responseHeaderModifier?: HTTPHeaderFilter
  readonly requestRedirect?: {
    readonly scheme?: string
    readonly hostname?: string
    readonly path?: HTTPPathModifier
    readonly port?: number
    readonly statusCode: number
  }
  readonly urlRewrite?: { readonly hostname?: string; readonly path?: HTTPPathModifier }
  readonly requestMirror?: {
    readonly backendRef: Omit<BackendRef, 'weight'>
    readonly percent?: number
    readonly fraction?: { readonly numerator: number; readonly denominator: number }
  }
  readonly extensionRef?: { readonly group: string; readonly kind: string; readonly name: string }
  readonly cors?: unknown
}

export interface HTTPBackendRef extends BackendRef {
  readonly filters?: readonly HTTPRouteFilter[]
}

export interface HTTPRouteMatch {
  readonly path: { readonly type: 'Exact' | 'PathPrefix' | 'RegularExpression'; readonly value: string }
  readonly headers?: readonly { readonly type: 'Exact' | 'RegularExpression'; readonly name: string; readonly value: string }[]
  readonly queryParams?: readonly { readonly type: 'Exact' | 'RegularExpression'; readonly name: string; readonly value: string }[]
  readonly method?: string
}

export interface HTTPRouteRule {
  readonly name?: string
  readonly matches: readonly HTTPRouteMatch[]
  readonly filters?: readonly HTTPRouteFilter[]
  readonly backendRefs?: readonly HTTPBackendRef[]
  readonly timeouts?: { readonly request?: string; readonly backendRequest?: string }
  readonly retry?: { readonly codes?: readonly number[]; readonly attempts?: number; readonly backoff?: string }
}

export interface RouteParentStatus {
  readonly parentRef: ParentReference
  readonly controllerName: string
  readonly conditions: readonly Condition[]
}

export interface RouteStatus {
  readonly parents: readonly RouteParentStatus[]
}

export interface HTTPRoute {
  readonly kind: 'HTTPRoute'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly spec: {
    /** Optional in the CRD (CommonRouteSpec): a route without parents attaches nowhere. */
    readonly parentRefs?: readonly ParentReference[]
    readonly hostnames?: readonly string[]
    readonly rules: readonly HTTPRouteRule[]
  }
}

/** TLSRoute, TCPRoute and UDPRoute rules: only backends (no matches). */
export interface L4RouteRule {
  readonly name?: string
  readonly backendRefs: readonly BackendRef[]
}

export interface TLSRoute {
  readonly kind: 'TLSRoute'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly spec: { readonly parentRefs?: readonly ParentReference[]; readonly hostnames: readonly string[]; readonly rules: readonly L4RouteRule[] }
}

export interface TCPRoute {
  readonly kind: 'TCPRoute'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly spec: { readonly parentRefs?: readonly ParentReference[]; readonly rules: readonly L4RouteRule[] }
}

export interface UDPRoute {
  readonly kind: 'UDPRoute'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly spec: { readonly parentRefs?: readonly ParentReference[]; readonly rules: readonly L4RouteRule[] }
}

export type Route = HTTPRoute | TLSRoute | TCPRoute | UDPRoute
export type RouteKind = Route['kind']

export interface ReferenceGrant {
  readonly kind: 'ReferenceGrant'
  readonly apiVersion: string
  readonly metadata: ObjectMeta
  readonly spec: {
    readonly from: readonly { readonly group: string; readonly kind: string; readonly namespace: string }[]
    readonly to: readonly { readonly group: string; readonly kind: string; readonly name?: string }[]
  }
}

export interface ListenerStatus {
  readonly name: string
  readonly supportedKinds: readonly RouteGroupKind[]
  readonly attachedRoutes: number
  readonly conditions: readonly Condition[]
}

export interface GatewayStatus {
  readonly addresses?: readonly GatewayAddress[]
  readonly conditions: readonly Condition[]
  readonly listeners: readonly ListenerStatus[]
}

export interface GatewayClassStatus {
  readonly conditions: readonly Condition[]
  readonly supportedFeatures?: readonly { readonly name: string }[]
}
