/**
 * k8s — the vocabulary of Gateway API and core Kubernetes objects.
 *
 * Input: nothing (a leaf; imports nothing of ours). Output: types for GatewayClass, Gateway, the
 * four Route kinds, ReferenceGrant, Namespace, Service, EndpointSlice, Secret and ConfigMap as the
 * translator sees them (defaults filled), Condition, and the spec's condition types and reasons.
 * Invariant: type-only apart from constant tables and two tiny pure helpers (an object's key, a
 * condition's health).
 */
export type { Condition, LabelSelector, LabelSelectorRequirement, ObjectMeta, ObjectSource } from './meta.ts'
export type { ConfigMap, Endpoint, EndpointPort, EndpointSlice, Namespace, Secret, Service, ServicePort } from './core.ts'
export type {
  AllowedRoutes,
  BackendRef,
  Gateway,
  GatewayAddress,
  GatewayClass,
  GatewayClassStatus,
  GatewayStatus,
  HTTPBackendRef,
  HTTPHeader,
  HTTPHeaderFilter,
  HTTPPathModifier,
  HTTPRoute,
  HTTPRouteFilter,
  HTTPRouteMatch,
  HTTPRouteRule,
  L4RouteRule,
  Listener,
  ListenerStatus,
  ParentReference,
  ProtocolType,
  ReferenceGrant,
  Route,
  RouteGroupKind,
  RouteKind,
  RouteParentStatus,
  RouteStatus,
  SecretObjectReference,
  TCPRoute,
  TLSModeType,
  TLSRoute,
  UDPRoute,
} from './gateway-api.ts'
export { GATEWAY_GROUP, MIN_TLS_OPTION } from './gateway-api.ts'
export { ConditionType, GatewayClassReason, GatewayReason, isUnhealthy, ListenerReason, RouteReason } from './reasons.ts'
export { objectKey, type K8sKind, type K8sObject } from './objects.ts'
