/**
 * dataplane/proxy — serving one HTTP request (or Upgrade) from a compiled PortPlan.
 *
 * Input: a request (HTTP/1.1 or HTTP/2, node's compatibility API), the PortPlan of its port and
 * the scheme. Output: the response, written to the client, and one AccessRecord per request.
 * Invariants: routing follows the plan exactly (404/421/500/503 as gateway-api.md §3, §5.3, §7
 * say); hop-by-hop headers never cross (RFC 9110 §7.6.1); bodies stream with backpressure both
 * ways. May import: ir (types), dataplane/compile.
 */
export { handleRequest, reply, type AccessRecord, type ProxyEnv } from './forward.ts'
export { handleUpgrade } from './websocket.ts'
export { Upstreams, UpstreamError } from './upstream.ts'
export { redirectLocation, rewritePath } from './rewrite.ts'
export { routeRequest, type Routed } from './route-request.ts'
