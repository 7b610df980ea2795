/**
 * dataplane/explain — why a request goes where it goes.
 *
 * Input: a compiled Plan, one request (method, URL, headers, SNI) or connection (`tls://`,
 * `tcp://`, `udp://`) and optionally the `/status` objects. Output: an `Explanation` (plain data, stable for tools: `switchyard explain -o json`,
 * `GET /explain`) and its text form. Invariants: pure; every choice is the data plane's own
 * (compile's lookups, SNI lookups included; proxy's routeRequest, path normalisation and hostname
 * fallback included), so explain never disagrees with serving silently;
 * the reasons follow gateway-api.md §3-§7, in the order the gateway decides.
 * May import: ir (types), dataplane/compile, dataplane/proxy.
 */
export { explain } from './explain.ts'
export { formatExplanation } from './format-text.ts'
export { EXPLAIN_SCHEMA, PRECEDENCE_STEPS, type Answer, type Explanation, type ExplainContext, type ExplainRequest, type PrecedenceStep, type StatusObject } from './types.ts'
