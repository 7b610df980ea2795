/**
 * Condition types and reasons, verbatim from the Gateway API (gateway-api.md §8;
 * api:shared_types.go, api:gateway_types.go, api:gatewayclass_types.go). These are spec strings,
 * not Switchyard error codes.
 */
export const ConditionType = {
  Accepted: 'Accepted',
  Programmed: 'Programmed',
  ResolvedRefs: 'ResolvedRefs',
  Conflicted: 'Conflicted',
  PartiallyInvalid: 'PartiallyInvalid',
  SupportedVersion: 'SupportedVersion',
  OverlappingTLSConfig: 'OverlappingTLSConfig',
} as const
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType]

/** Condition types whose healthy status is False (negative polarity, gateway-api.md §8). */
const NEGATIVE: ReadonlySet<string> = new Set([ConditionType.Conflicted, ConditionType.PartiallyInvalid, ConditionType.OverlappingTLSConfig])

/** Whether a condition says something is wrong: a positive one False, or a negative one True. */
export function isUnhealthy(c: { readonly type: string; readonly status: string }): boolean {
  return (c.status === 'True') === NEGATIVE.has(c.type)
}

export const GatewayClassReason = {
  Accepted: 'Accepted',
  InvalidParameters: 'InvalidParameters',
  Unsupported: 'Unsupported',
  SupportedVersion: 'SupportedVersion',
} as const

export const GatewayReason = {
  Accepted: 'Accepted',
  ListenersNotValid: 'ListenersNotValid',
  Invalid: 'Invalid',
  InvalidParameters: 'InvalidParameters',
  UnsupportedAddress: 'UnsupportedAddress',
  Programmed: 'Programmed',
  Pending: 'Pending',
  NoResources: 'NoResources',
  AddressNotAssigned: 'AddressNotAssigned',
  AddressNotUsable: 'AddressNotUsable',
  ResolvedRefs: 'ResolvedRefs',
  RefNotPermitted: 'RefNotPermitted',
  ListenersNotResolved: 'ListenersNotResolved',
} as const

export const ListenerReason = {
  Accepted: 'Accepted',
  PortUnavailable: 'PortUnavailable',
  UnsupportedProtocol: 'UnsupportedProtocol',
  UnsupportedValue: 'UnsupportedValue',
  ProtocolConflict: 'ProtocolConflict',
  HostnameConflict: 'HostnameConflict',
  NoConflicts: 'NoConflicts',
  OverlappingHostnames: 'OverlappingHostnames',
  OverlappingCertificates: 'OverlappingCertificates',
  ResolvedRefs: 'ResolvedRefs',
  InvalidCertificateRef: 'InvalidCertificateRef',
  InvalidRouteKinds: 'InvalidRouteKinds',
  RefNotPermitted: 'RefNotPermitted',
  Programmed: 'Programmed',
  Invalid: 'Invalid',
  Pending: 'Pending',
} as const

export const RouteReason = {
  Accepted: 'Accepted',
  NotAllowedByListeners: 'NotAllowedByListeners',
  NoMatchingListenerHostname: 'NoMatchingListenerHostname',
  NoMatchingParent: 'NoMatchingParent',
  UnsupportedValue: 'UnsupportedValue',
  IncompatibleFilters: 'IncompatibleFilters',
  Pending: 'Pending',
  ResolvedRefs: 'ResolvedRefs',
  BackendNotFound: 'BackendNotFound',
  InvalidKind: 'InvalidKind',
  RefNotPermitted: 'RefNotPermitted',
  UnsupportedProtocol: 'UnsupportedProtocol',
} as const
