/**
 * ir — the data-plane intermediate representation.
 *
 * Input: nothing (a leaf; imports nothing of ours). Output: readonly plain-data types split by
 * protocol (http.ts, tls.ts, l4.ts for TCP/UDP, backend.ts, snapshot.ts), `validate()` (invariant
 * errors with stable IR_ codes) and `printable()` (private keys redacted).
 * Invariants: every name encodes its provenance (`<gwNs>/<gwName>/<listener>`,
 * `httproute/<ns>/<name>/rule/<i>/match/<j>`, `…/backend/<k>`); route tables and SNI tables are
 * already sorted in precedence order, so the data plane takes the first match; the data plane
 * needs nothing but this to serve.
 */
export type { AppProtocol, Endpoint, InvalidBackend, L4Backend, ServiceBackend } from './backend.ts'
export type {
  HeaderModifier,
  HeaderValue,
  HTTPAction,
  HTTPBackend,
  HTTPFilter,
  HTTPListener,
  HTTPMatch,
  HTTPPort,
  HTTPRedirect,
  HTTPRetry,
  HTTPRouteEntry,
  HTTPServiceBackend,
  HTTPTimeouts,
  HTTPVirtualHost,
  PathRewrite,
} from './http.ts'
export type { Certificate, HTTPSListener, SNIRoute, TLSListener, TLSPassthroughListener, TLSPort, TLSTerminateListener, TLSTermination } from './tls.ts'
export type { TCPPort, UDPPort } from './l4.ts'
export type { Port, Snapshot } from './snapshot.ts'
export { validate, type IRError, type IRErrorCode } from './validate.ts'
export { printable, REDACTED } from './printable.ts'
