/**
 * admin — the admin HTTP API of `switchyard serve` (DESIGN.md §5): `/healthz`, `/readyz`,
 * `/status`, `/config`, `/metrics`, `/explain`.
 *
 * Input: an injected AdminView (status objects, IR, metrics text, readiness, explain). Output: an
 * HTTP server answering JSON (Prometheus text for `/metrics`). Invariants: read-only; private
 * keys never leave (`/config` is `ir.printable`). May import: diag, util, k8s, ir.
 */
export { startAdmin, type AdminServer, type AdminView, type ExplainQuery } from './admin-server.ts'
