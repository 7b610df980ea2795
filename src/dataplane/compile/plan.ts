import type * as ir from '../../ir/index.ts'
import type { HostTable } from './host-table.ts'
import type { RouteTable } from './route-table.ts'

/**
 * What the runtime serves: one PortPlan per bind address + port + transport. Immutable; a reload
 * compiles a new Plan and swaps it in per port.
 */
export interface Plan {
  /** Sorted by key, TCP before UDP. */
  readonly ports: readonly PortPlan[]
}

export type PortPlan = HTTPPortPlan | TLSPortPlan | TCPPortPlan | UDPPortPlan

interface PortPlanBase {
  /** `<address or *>:<port>` as in the IR (before any port offset); a TCP and a UDP port may share it. */
  readonly key: string
  /** null: the runtime's default bind address. */
  readonly address: string | null
  /** The listener port as written (status and redirects keep it). */
  readonly port: number
}

/** Cleartext HTTP: HTTP/1.1, and HTTP/2 with prior knowledge (h2c, RFC 9113 §3.3). */
export interface HTTPPortPlan extends PortPlanBase {
  readonly kind: 'http'
  /** Listeners by Host; most specific wins, no fallback (gateway-api.md §4.3). */
  readonly listeners: HostTable<ListenerPlan>
  /** Every listener, in IR order, for describing the plan. */
  readonly listenerList: readonly ListenerPlan[]
}

/** A TCP port that speaks TLS: HTTPS, TLS Passthrough and TLS Terminate listeners, chosen by SNI. */
export interface TLSPortPlan extends PortPlanBase {
  readonly kind: 'tls'
  /** Listeners by SNI (and, for HTTPS, by Host when detecting misdirected requests). */
  readonly listeners: HostTable<TLSListenerPlan>
  readonly listenerList: readonly TLSListenerPlan[]
  /**
   * The listener for a ClientHello without SNI: the hostname-less one, else the first HTTPS one
   * (so a client that dials an IP address still gets a certificate and is routed by Host).
   */
  readonly withoutSNI: TLSListenerPlan | null
  /** After choosing a listener by SNI, choose again by Host: another listener → 421 (§5.3). */
  readonly detectMisdirectedRequests: boolean
}

/** TCP and UDP: the port's one route (or none) and its weighted backends (gateway-api.md §6). */
export interface L4PortPlan<K extends 'tcp' | 'udp'> extends PortPlanBase {
  readonly kind: K
  /** `<gwNs>/<gwName>/<listenerName>`. */
  readonly listener: string
  /** `<kind>route/<ns>/<name>/rule/0`, or null: every connection (datagram) is rejected. */
  readonly route: string | null
  readonly backends: WeightedBackends<ir.L4Backend>
}

export type TCPPortPlan = L4PortPlan<'tcp'>
export type UDPPortPlan = L4PortPlan<'udp'>

/** An HTTP or HTTPS listener: virtual hosts by Host, then routes. */
export interface ListenerPlan {
  readonly kind: 'http' | 'https'
  readonly name: string
  readonly hostname: string | null
  readonly scheme: 'http' | 'https'
  readonly tls: TLSPlan | null
  /** Virtual hosts by Host header. */
  readonly virtualHosts: HostTable<VirtualHostPlan>
  readonly virtualHostList: readonly VirtualHostPlan[]
}

/** A TLS listener that carries TLSRoutes: by SNI to a route, then to a backend (gateway-api.md §6). */
export interface SNIListenerPlan {
  readonly kind: 'tls'
  /** Passthrough splices the client's TLS bytes; Terminate decrypts and sends plain TCP. */
  readonly mode: 'passthrough' | 'terminate'
  readonly name: string
  readonly hostname: string | null
  /** Terminate only. */
  readonly tls: TLSPlan | null
  /** Routes by SNI, most specific first; no match → close the connection. */
  readonly routes: HostTable<SNIRoutePlan>
  readonly routeList: readonly SNIRoutePlan[]
}

export type TLSListenerPlan = ListenerPlan | SNIListenerPlan

export interface SNIRoutePlan {
  /** `tlsroute/<ns>/<name>/rule/<i>`. */
  readonly name: string
  readonly hostname: string
  readonly backends: WeightedBackends<ir.L4Backend>
}

export interface TLSPlan {
  /** By SNI, longest match (gateway-api.md §5.3); `any` is the first certificate, for no SNI. */
  readonly certificates: HostTable<ir.Certificate>
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3'
  /** ALPN protocols offered, in preference order; empty: no ALPN. */
  readonly alpn: readonly string[]
}

export interface VirtualHostPlan {
  readonly hostname: string
  /** The less specific virtual host tried next when no route here matches (its routes are `routes.fallback`). */
  readonly fallback: string | null
  readonly routes: RouteTable
}

/**
 * A weighted choice over backends, precomputed: `cumulative[i]` is the sum of the weights up to
 * and including backend i. `total` 0 → every request answers 500, every connection is rejected
 * (gateway-api.md §6, §7).
 */
export interface WeightedBackends<B extends { readonly weight: number } = ir.HTTPBackend> {
  readonly backends: readonly B[]
  readonly cumulative: readonly number[]
  readonly total: number
}
