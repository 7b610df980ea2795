import type { L4Backend } from './backend.ts'
import type { HTTPVirtualHost } from './http.ts'

/** A serving certificate: PEM chain and key. `printable()` redacts the key. */
export interface Certificate {
  /** `<secretNamespace>/<secretName>`. */
  readonly name: string
  readonly certPem: string
  readonly keyPem: string
  /** DNS names from the certificate (SAN, else CN), for choosing among several by SNI. */
  readonly dnsNames: readonly string[]
}

/** TLS termination settings. With several certificates, pick the longest matching SNI (gateway-api.md §5.3). */
export interface TLSTermination {
  readonly certificates: readonly Certificate[]
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3'
  /** ALPN protocols to offer, in preference order. */
  readonly alpn: readonly string[]
}

/** One SNI table entry: TLSRoute hostnames (already intersected with the listener) → backends. */
export interface SNIRoute {
  /** `tlsroute/<ns>/<name>/rule/<i>`. */
  readonly name: string
  /** Exact or `*.` wildcard (a wildcard matches one or more labels). */
  readonly hostname: string
  readonly backends: readonly L4Backend[]
}

interface TLSListenerBase {
  /** `<gwNs>/<gwName>/<listenerName>`. */
  readonly name: string
  /** Matched against SNI; null matches any SNI. */
  readonly hostname: string | null
}

/** HTTPS: terminate, then route HTTP by Host through this listener's virtual hosts. */
export interface HTTPSListener extends TLSListenerBase {
  readonly kind: 'https'
  readonly tls: TLSTermination
  readonly virtualHosts: readonly HTTPVirtualHost[]
}

/** TLS Passthrough: peek the ClientHello SNI, then splice raw bytes (gateway-api.md §6). */
export interface TLSPassthroughListener extends TLSListenerBase {
  readonly kind: 'tls-passthrough'
  /** Sorted most specific first: exact before wildcard, then longer. First match wins; none → reject. */
  readonly routes: readonly SNIRoute[]
}

/** TLS Terminate: terminate, then send the plain TCP stream to the backend (gateway-api.md §6). */
export interface TLSTerminateListener extends TLSListenerBase {
  readonly kind: 'tls-terminate'
  readonly tls: TLSTermination
  readonly routes: readonly SNIRoute[]
}

export type TLSListener = HTTPSListener | TLSPassthroughListener | TLSTerminateListener

/**
 * A TCP port that speaks TLS: HTTPS and TLS listeners, told apart by SNI (mixed Terminate and
 * Passthrough is allowed; gateway-api.md §6 "Mixed").
 *
 * Data plane algorithm: read the ClientHello SNI; choose the first listener in `listeners` whose
 * hostname matches it (the list is sorted most specific first, hostname-less last). No match →
 * reject the handshake. For an `https` listener with `detectMisdirectedRequests`, after TLS, choose
 * the listener for the Host header the same way; if it is a different listener → 421, if none → 404
 * (gateway-api.md §5.3).
 */
export interface TLSPort {
  readonly kind: 'tls'
  /** `<address or *>:<port>`. */
  readonly name: string
  /** null: the runtime's default bind address. */
  readonly address: string | null
  readonly port: number
  readonly listeners: readonly TLSListener[]
  readonly detectMisdirectedRequests: boolean
}
