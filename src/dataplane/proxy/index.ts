/**
 * dataplane/proxy — serving one HTTP request (or Upgrade), one TCP/TLS connection or one UDP flow
 * from a compiled PortPlan.
 *
 * Input: a request (`ProxyRequest`/`ProxyResponse`: HTTP/1.1 from the runtime's own server, whose
 * bytes `RequestParser` reads, or HTTP/2 through node's compatibility API) or an accepted
 * connection, the PortPlan of its port. Output: the response or the spliced connection, and one
 * AccessRecord per request, one ConnectionRecord per connection or flow.
 * Invariants: routing follows the plan exactly (404/421/500/503 as gateway-api.md §3, §5.3, §7
 * say; TLS/TCP/UDP rejection as §6 says); hop-by-hop headers never cross (RFC 9110 §7.6.1); bodies
 * and streams flow with backpressure both ways; client requests are parsed strictly (RFC 9112);
 * the pure parsers (ClientHello, HTTP/2 preface, HTTP/1.1 requests and responses) never throw.
 * May import: ir (types), dataplane/compile.
 */
export { hostNameOf, readClientHello, MAX_CLIENT_HELLO_BYTES, type ClientHello } from './client-hello.ts'
export type { ProxyEnv } from './env.ts'
export type { BodySink, ProxyRequest, ProxyResponse } from './exchange.ts'
export { handleHTTP2Request, reply, serveRequest, type AccessRecord } from './forward.ts'
export { RequestParser, type RequestHead, type RequestLimits, type RequestRefusal, type RequestSink } from './h1-request-parser.ts'
export { PREFACE_LENGTH, sniffPreface } from './h2-preface.ts'
export { abort, splice } from './splice.ts'
export { forwardStream, recordRefused, refuseStream, type ConnectionRecord, type StreamTarget } from './stream.ts'
export { UDPFlows, type DropReason, type UDPHooks, type UDPLimits } from './udp-flows.ts'
export { handleUpgrade } from './websocket.ts'
export { busyPolling, busyPollStats, setBusyPoll } from './busy-poll.ts'
export { holdUntilTurnEnd } from './write-batch.ts'
export { slabRoom } from './write-slab.ts'
export { Upstreams, UpstreamError } from './upstream.ts'
export { redirectLocation, rewritePath } from './rewrite.ts'
export { routeRequest, type Routed } from './route-request.ts'
