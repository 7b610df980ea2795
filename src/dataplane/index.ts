/**
 * dataplane — Switchyard's own Gateway API data plane: HTTP (with h2c), HTTPS, TLS passthrough and
 * terminate, TCP and UDP, served from the IR.
 *
 * Input: `ir.Snapshot` (validated). Output: `compile` → Plan (pure, golden-tested), `Runtime`
 * (sockets, atomic swap per port, drain, metrics, access records), `explain` (why a request goes
 * where it goes, on a Plan).
 * Invariants: knows nothing but the IR (no Gateway API, no app model); behaviour follows
 * ../../shared/research/gateway-api.md §2-§7. May import: ir, util, diag (through their index.ts).
 */
export { compile, describePlan, type Plan } from './compile/index.ts'
export { explain, formatExplanation, EXPLAIN_SCHEMA, type Explanation, type ExplainContext, type ExplainRequest, type StatusObject } from './explain/index.ts'
export type { AccessRecord, ConnectionRecord } from './proxy/index.ts'
export { cpuQuota, DEFAULT_LIMITS, Runtime, type BoundPort, type Limits, type RuntimeOptions } from './runtime/index.ts'
