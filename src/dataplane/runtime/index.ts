/**
 * dataplane/runtime — sockets: one listening socket per bind address + port + transport, one
 * accept layer that peeks each connection's first bytes (the HTTP/2 preface, the TLS ClientHello)
 * and hands it on, atomic plan swaps, drain.
 *
 * Input: compiled Plans (`apply`, once per reload). Output: listening ports serving the plan,
 * metrics (Prometheus text), access records. Invariants: new ports open before plans swap; a
 * failed bind changes nothing; removed ports stop accepting and drain; requests and connections in
 * flight finish on the plan they started with. May import: diag, ir (types), dataplane/compile,
 * dataplane/proxy.
 */
export { cpuQuota } from './cpu-quota.ts'
export { DEFAULT_LIMITS, resolveLimits, type Limits } from './limits.ts'
export { Metrics } from './metrics.ts'
export { Runtime, type BoundPort, type RuntimeOptions } from './runtime.ts'
