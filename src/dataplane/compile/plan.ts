import type * as ir from '../../ir/index.ts'
import type { HostTable } from './host-table.ts'
import type { RouteTable } from './route-table.ts'

/**
 * What the runtime serves: one PortPlan per bind address + port. Immutable; a reload compiles a
 * new Plan and swaps it in per port.
 */
export interface Plan {
  /** Sorted by key. */
  readonly ports: readonly PortPlan[]
  /** IR listeners this data plane does not serve yet, with why (shown in logs and `/status`). */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[]
}

export type PortPlan = HTTPPortPlan | TLSPortPlan

interface PortPlanBase {
  /** `<address or *>:<port>` as in the IR (before any port offset). */
  readonly key: string
  /** null: the runtime's default bind address. */
  readonly address: string | null
  /** The listener port as written (status and redirects keep it). */
  readonly port: number
  /** Listeners by Host (HTTP) or SNI (TLS); most specific wins, no fallback (gateway-api.md §4.3). */
  readonly listeners: HostTable<ListenerPlan>
  /** Every listener, in IR order, for describing the plan. */
  readonly listenerList: readonly ListenerPlan[]
}

export interface HTTPPortPlan extends PortPlanBase {
  readonly kind: 'http'
}

export interface TLSPortPlan extends PortPlanBase {
  readonly kind: 'tls'
  /** After choosing a listener by SNI, choose again by Host: another listener → 421 (§5.3). */
  readonly detectMisdirectedRequests: boolean
}

export interface ListenerPlan {
  readonly name: string
  readonly hostname: string | null
  readonly scheme: 'http' | 'https'
  readonly tls: TLSPlan | null
  /** Virtual hosts by Host header. */
  readonly virtualHosts: HostTable<VirtualHostPlan>
  readonly virtualHostList: readonly VirtualHostPlan[]
}

export interface TLSPlan {
  /** By SNI, longest match (gateway-api.md §5.3); `any` is the first certificate, for no SNI. */
  readonly certificates: HostTable<ir.Certificate>
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3'
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
 * and including backend i. `total` 0 → every request answers 500 (gateway-api.md §7).
 */
export interface WeightedBackends {
  readonly backends: readonly ir.HTTPBackend[]
  readonly cumulative: readonly number[]
  readonly total: number
}
