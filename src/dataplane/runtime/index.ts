/**
 * dataplane/runtime — sockets: one server per bind address + port, atomic plan swaps, drain.
 *
 * Input: compiled Plans (`apply`, once per reload). Output: listening ports serving the plan,
 * metrics (Prometheus text) and access records. Invariants: new ports open before handlers swap;
 * a failed bind changes nothing; removed ports stop accepting and drain; requests in flight finish
 * on the plan they started with. May import: diag, ir (types), dataplane/compile, dataplane/proxy.
 */
export { Metrics } from './metrics.ts'
export { Runtime, type BoundPort, type RuntimeOptions } from './runtime.ts'
