/**
 * admin — the admin HTTP API of `switchyard serve` and `run` (DESIGN.md §5) and the dashboard.
 *
 * Input: an injected AdminView (status objects, IR, metrics text, readiness, explain, and
 * optionally the reload history and the traffic graph). Output: an HTTP server answering JSON
 * (`/healthz`, `/readyz`, `/status`, `/config`, `/metrics.json`, `/explain`, `/reloads`, `/graph`),
 * Prometheus text (`/metrics`), server-sent events (`/events`) and the built dashboard at `/`.
 * Invariants: read-only; private keys never leave (`/config` is `ir.printable`); only files of the
 * built dashboard folder are served. May import: diag, util, k8s, ir.
 */
export { startAdmin, type AdminOptions, type AdminServer, type AdminView, type ExplainQuery } from './admin-server.ts'
export { DASHBOARD_DIR } from './assets.ts'
export { metricsJSON, parseMetrics, type Latency, type MetricsJSON, type Sample, type TrafficRow } from './metrics-json.ts'
export { ReloadHistory, type ReloadEntry } from './reload-history.ts'
