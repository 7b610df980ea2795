/** One address the data plane may connect to: an EndpointSlice endpoint at the resolved port. */
export interface Endpoint {
  readonly address: string
  readonly port: number
}

/**
 * How to speak to an HTTP backend, from the Service port's `appProtocol` (gateway-api.md §7):
 * `http1` (default), `h2c` (`kubernetes.io/h2c`, HTTP/2 prior knowledge), `ws` (`kubernetes.io/ws`,
 * HTTP/1.1 with WebSocket upgrades).
 */
export type AppProtocol = 'http1' | 'h2c' | 'ws'

/**
 * A backend that resolved to a Service. `endpoints` may be empty: the Service exists but has no
 * ready endpoints, and requests for it SHOULD answer 503 (gateway-api.md §7).
 */
export interface ServiceBackend {
  readonly kind: 'service'
  /** `<route>/rule/<i>/backend/<k>`. */
  readonly name: string
  readonly weight: number
  /** `<namespace>/<service>:<port>`, for logs and metrics. */
  readonly service: string
  readonly endpoints: readonly Endpoint[]
}

/**
 * A backendRef that did not resolve (missing, wrong kind, not permitted). It keeps its weight: its
 * share of traffic answers 500 (HTTP) or is rejected (TLS/TCP/UDP) (gateway-api.md §7, §6).
 */
export interface InvalidBackend {
  readonly kind: 'invalid'
  readonly name: string
  readonly weight: number
  /** The ResolvedRefs reason, for `explain`. */
  readonly reason: string
}

export type L4Backend = ServiceBackend | InvalidBackend
