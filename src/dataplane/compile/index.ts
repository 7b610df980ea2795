/**
 * dataplane/compile — IR snapshot → Plan (per-port lookup tables). Pure: no I/O, no clock.
 *
 * Input: a validated `ir.Snapshot`. Output: a `Plan` whose lookups (listener by Host or SNI,
 * virtual host by Host, route by path, TLSRoute by SNI, certificate by SNI, backend by weight) cost O(labels,
 * path segments, log backends), never O(routes). Invariant: a lookup returns exactly what a linear
 * scan of the IR's precedence-ordered lists would (gateway-api.md §3, §4.3, §5.3).
 * May import: ir (types only), util (normalizePath).
 */
export { compile } from './compile.ts'
export { describePlan } from './describe.ts'
export { buildHostTable, coversHostname, hostWithoutPort, lookupHost, type HostTable } from './host-table.ts'
// The request side of path normalisation; the translator applies the same function to route values.
export { normalizePath, type NormalizedPath } from '../../util/index.ts'
export type { HTTPPortPlan, L4PortPlan, ListenerPlan, Plan, PortPlan, SNIListenerPlan, SNIRoutePlan, TCPPortPlan, TLSListenerPlan, TLSPlan, TLSPortPlan, UDPPortPlan, VirtualHostPlan, WeightedBackends } from './plan.ts'
export { buildRouteTable, lookupRoute, parseQuery, type MatchInput, type RouteTable, type RoutePlan } from './route-table.ts'
export { certificateForSNI, listenerForSNI, routeForSNI } from './sni-lookup.ts'
export { pickBackend, weighBackends } from './weighted.ts'
