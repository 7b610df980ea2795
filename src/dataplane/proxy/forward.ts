import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2'
import type { Readable } from 'node:stream'
import type * as ir from '../../ir/index.ts'
import type { HTTPPortPlan, TLSPortPlan } from '../compile/index.ts'
import { pickBackend } from '../compile/index.ts'
import { bufferBody, limitBody } from './body-limit.ts'
import { addForwarded, endToEnd, forwardingLines, modifyHeaders } from './headers.ts'
import { redirectLocation, rewritePath } from './rewrite.ts'
import { routeRequest } from './route-request.ts'
import type { ProxyEnv } from './env.ts'
import type { ProxyRequest, ProxyResponse } from './exchange.ts'
import { settled, UpstreamError, type Attempt, type RequestBody, type UpstreamRequest, type UpstreamResponse } from './upstream.ts'

/** One line of the access log and one sample for the metrics (emitted when the response ends). */
export interface AccessRecord {
  readonly time: string
  readonly method: string
  readonly authority: string
  readonly path: string
  readonly protocol: string
  readonly status: number
  readonly durationMs: number
  readonly listener: string | null
  /** The rule that matched (`httproute/<ns>/<name>/rule/<i>`), or null. */
  readonly route: string | null
  readonly backend: string | null
  readonly endpoint: string | null
  readonly attempts: number
  readonly error: string | null
}

type Res = ProxyResponse

/** The largest body kept in memory so a retry can resend it; larger bodies stream, without retries. */
const RETRY_BUFFER_LIMIT = 1 << 20
const rr = new WeakMap<ir.HTTPServiceBackend, number>()

/** Serves one request from node's HTTP/2 server (HTTP/1.1 has its own, runtime/h1-server.ts). */
export function handleHTTP2Request(env: ProxyEnv, port: HTTPPortPlan | TLSPortPlan, scheme: 'http' | 'https', req: Http2ServerRequest, res: Http2ServerResponse): void {
  const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined || !req.stream?.endAfterHeaders
  serveRequest(env, port, scheme, req, hasBody ? req : null, res)
}

/**
 * Serves one HTTP request on `port` (HTTP/1.1 or HTTP/2): route, filter, forward, observe. `body`
 * is the request's body, or null when it has none (no stream is made for a bodiless request).
 */
export function serveRequest(env: ProxyEnv, port: HTTPPortPlan | TLSPortPlan, scheme: 'http' | 'https', req: ProxyRequest, body: Readable | null, res: ProxyResponse): void {
  const start = performance.now()
  const authority = (req.headers[':authority'] as string | undefined) ?? req.headers.host ?? ''
  const url = req.url || '/'
  const sni = scheme === 'https' ? ((req.socket as { servername?: string | false }).servername || null) : null
  const log: Exchange = { listener: null, route: null, backend: null, endpoint: null, attempts: 0, error: null, current: null, timer: null }
  // One listener per request: the access record, and the end of whatever is still in flight.
  res.once('close', () => {
    if (log.timer !== null) clearTimeout(log.timer)
    // Only an exchange cut short needs an error object (building one per request cost ~4 %).
    if (log.current !== null && !res.writableFinished) log.current.abort(new UpstreamError('reset', 'client went away'))
    const durationMs = performance.now() - start
    env.countRequest(log.listener, log.route, log.backend, res.statusCode, durationMs, log.error)
    // The access record (and its timestamp) only when an access log reads it.
    if (env.observe !== null) env.observe({ time: isoNow(), method: req.method ?? '', authority, path: url, protocol: req.httpVersion === '1.1' ? 'HTTP/1.1' : `HTTP/${req.httpVersion}`, status: res.statusCode, durationMs, listener: log.listener, route: log.route, backend: log.backend, endpoint: log.endpoint === null ? null : `${log.endpoint.address}:${log.endpoint.port}`, attempts: log.attempts, error: log.error })
  })
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > env.maxBodyBytes) {
    return refuseBody(req, res, log, `request body of ${declared} bytes is over the limit of ${env.maxBodyBytes}`)
  }
  const routed = routeRequest(port, authority, sni, req.method ?? 'GET', url, req.headers)
  log.listener = routed.listener?.name ?? null
  if (routed.kind === 'status') {
    log.error = routed.reason
    return reply(res, routed.status, routed.reason)
  }
  const { route, host, query } = routed
  const entry = route.entry
  log.route = route.rule
  const headers = endToEnd(req.headers)
  // Most rules have no filters: their state is made only when one does.
  let f: Filtered | null = null
  if (entry.filters.length > 0) applyFilters(entry.filters, headers, (f = filtered(routed.path, authority)), entry.match.path)
  const action = entry.action
  if (action.kind === 'redirect') {
    const h: Record<string, string | string[]> = { location: redirectLocation(action.redirect, host, routed.path, query, entry.match.path) }
    if (f !== null) for (const m of f.responseMods) modifyHeaders(h, m)
    res.writeHead(action.redirect.statusCode, h)
    res.end()
    return
  }
  const backend = route.weighted && pickBackend(route.weighted, env.random())
  if (!backend || backend.kind === 'invalid') {
    // gateway-api.md §7: the share of an invalid backend (or no backend at all) answers 500.
    log.backend = backend?.name ?? null
    log.error = backend ? `backend invalid: ${backend.reason}` : 'no backend'
    return reply(res, 500, log.error)
  }
  log.backend = backend.name
  if (backend.endpoints.length === 0) {
    log.error = `${backend.service} has no ready endpoints`
    return reply(res, 503, log.error)
  }
  if (backend.filters.length > 0) applyFilters(backend.filters, headers, (f ??= filtered(routed.path, authority)), entry.match.path)
  const path = f === null ? routed.path : f.path
  const responseMods = f === null ? NONE : f.responseMods
  headers.host = f === null ? authority : f.upstreamHost
  const client = req.socket.remoteAddress ?? ''
  addForwarded(headers, client, scheme, authority)
  const target = query === '' ? path : `${path}?${query}`
  const plain = action.retry === null && action.timeouts.requestMs === null && action.timeouts.backendRequestMs === null
  // An unfiltered HTTP/1.1 head whose target routing left as it was goes out as it came, with this
  // hop's forwarding fields, instead of being written again field by field (building it cost about
  // 7 % of throughput, docs/performance.md). Not on the retry path, which may add a Content-Length.
  const head = plain && f === null && req.rawHead && url === target ? req.rawHead + forwardingLines(client, scheme, authority) : null
  const upstreamReq: UpstreamRequest = { method: req.method ?? 'GET', path: target, headers, head }
  // An HTTP/2 body without a declared length is counted as it streams (body-limit.ts); the
  // HTTP/1.1 parser counts chunked bodies itself (h1-request-parser.ts).
  if (body !== null && declared === undefined && req.httpVersion === '2.0') body = limitBody(body, env.maxBodyBytes, () => bodyOverLimit(req, res, log, env.maxBodyBytes))
  if (f !== null) for (const m of f.mirrors) if (env.random() * m.fraction.denominator < m.fraction.numerator) mirror(env, m.backend, upstreamReq, body)
  if (plain) {
    // The common case, without the retry loop's promise machinery.
    const a = send(env, backend, upstreamReq, body, 0, log)
    log.current = a
    a.whenDone(
      (up) => respond(res, up, responseMods, log),
      (e) => {
        log.current = null
        log.error = e.message
        reply(res, statusOf(e), e.message)
      },
    )
    return
  }
  void forward(env, backend, upstreamReq, body, action, res, responseMods, log)
}

type Mirror = Extract<ir.HTTPFilter, { kind: 'mirror' }>
const NONE: readonly ir.HeaderModifier[] = []

/** What a rule's and its backend's filters decided for one request (gateway-api.md §7). */
interface Filtered {
  path: string
  upstreamHost: string
  readonly responseMods: ir.HeaderModifier[]
  readonly mirrors: Mirror[]
}

function filtered(path: string, authority: string): Filtered {
  return { path, upstreamHost: authority, responseMods: [], mirrors: [] }
}

/** Applies filters in order: request headers now, in place; the rest recorded in `f`. */
function applyFilters(filters: readonly ir.HTTPFilter[], headers: Record<string, string | string[]>, f: Filtered, matchPath: ir.HTTPMatch['path']): void {
  for (const filter of filters) {
    switch (filter.kind) {
      case 'request-headers':
        modifyHeaders(headers, filter.modifier)
        break
      case 'response-headers':
        f.responseMods.push(filter.modifier)
        break
      case 'url-rewrite':
        if (filter.hostname !== null) f.upstreamHost = filter.hostname
        if (filter.path !== null) f.path = rewritePath(f.path, matchPath, filter.path)
        break
      case 'mirror':
        f.mirrors.push(filter)
        break
    }
  }
}

/**
 * 413 (RFC 9110 §15.5.14) for a body past the limit. The rest of the body will not be read, so the
 * HTTP/1.1 connection closes after the answer and an HTTP/2 stream is reset with NO_ERROR once the
 * answer is sent (RFC 9113 §8.1: a server may answer before the request is complete, then ask the
 * client to stop sending).
 */
function refuseBody(req: ProxyRequest, res: Res, log: Exchange, reason: string): void {
  log.error = reason
  if (req.httpVersion !== '2.0') res.setHeader('connection', 'close')
  reply(res, 413, reason)
  // With NO_ERROR, close() waits until the answer is written, then sends RST_STREAM.
  if (req.httpVersion === '2.0') (req as Http2ServerRequest).stream.close(0)
}

/** A counted body went past the limit: 413 if no answer has started, else the exchange is cut; either way the upstream attempt ends. */
function bodyOverLimit(req: ProxyRequest, res: Res, log: Exchange, limit: number): void {
  const reason = `request body over the limit of ${limit} bytes`
  const current = log.current
  if (!res.headersSent) refuseBody(req, res, log, reason)
  else {
    log.error = reason
    res.destroy()
  }
  current?.abort(new UpstreamError('reset', reason))
}

/** Per-request state shared by the request's handlers. */
interface Exchange {
  listener: string | null
  route: string | null
  backend: string | null
  /** Formatted only for the access log. */
  endpoint: ir.Endpoint | null
  attempts: number
  error: string | null
  /** What to abort if the client goes away or time runs out. */
  current: { abort(e: Error): void } | null
  timer: NodeJS.Timeout | null
}

function send(env: ProxyEnv, backend: ir.HTTPServiceBackend, upstreamReq: UpstreamRequest, body: RequestBody, attempt: number, log: Exchange): Attempt {
  const ep = backend.endpoints[nextIndex(backend)]!
  log.endpoint = ep
  log.attempts = attempt + 1
  return env.upstreams.send(ep, backend.appProtocol, upstreamReq, body)
}

function statusOf(e: UpstreamError | null): number {
  return e?.kind === 'timeout' ? 504 : e?.kind === 'connect' ? 503 : 502
}

/** With timeouts or retries (gateway-api.md §7). */
async function forward(env: ProxyEnv, backend: ir.HTTPServiceBackend, upstreamReq: UpstreamRequest, stream: Readable | null, action: Extract<ir.HTTPAction, { kind: 'forward' }>, res: Res, responseMods: readonly ir.HeaderModifier[], log: Exchange): Promise<void> {
  const { requestMs, backendRequestMs } = action.timeouts
  const retries = action.retry?.attempts ?? 0
  let expired = false
  // timeouts.request bounds the whole transaction, retries included (gateway-api.md §7).
  if (requestMs !== null)
    log.timer = setTimeout(() => {
      expired = true
      log.current?.abort(new UpstreamError('timeout', `request timeout ${requestMs}ms`))
      if (!res.headersSent) reply(res, 504, 'request timeout')
      else res.destroy()
    }, requestMs)
  const toSend: RequestBody = retries > 0 && stream !== null ? await bufferBody(stream, RETRY_BUFFER_LIMIT) : stream
  const canRetry = retries > 0 && (toSend === null || Buffer.isBuffer(toSend))
  // A buffered chunked body is sent with its length now known (the client's framing is hop-by-hop).
  if (Buffer.isBuffer(toSend) && upstreamReq.headers['content-length'] === undefined) upstreamReq.headers['content-length'] = String(toSend.length)
  let last: UpstreamError | UpstreamResponse | null = null
  // An answer already started (a 413 for the body, a timeout's 504) ends the attempts.
  for (let attempt = 0; attempt <= (canRetry ? retries : 0) && !expired && !res.destroyed && !res.headersSent; attempt++) {
    if (attempt > 0 && action.retry?.backoffMs) await new Promise((r) => setTimeout(r, action.retry!.backoffMs!))
    if (expired || res.destroyed || res.headersSent) break
    const a = send(env, backend, upstreamReq, toSend, attempt, log)
    log.current = a
    const attemptTimer = backendRequestMs === null ? null : setTimeout(() => a.abort(new UpstreamError('timeout', `backend request timeout ${backendRequestMs}ms`)), backendRequestMs)
    try {
      const up = await settled(a)
      if (attemptTimer) clearTimeout(attemptTimer)
      if (attempt < retries && canRetry && action.retry!.codes.includes(up.status)) {
        up.body.discard()
        last = up
        continue
      }
      return respond(res, up, responseMods, log)
    } catch (e) {
      if (attemptTimer) clearTimeout(attemptTimer)
      last = e instanceof UpstreamError ? e : new UpstreamError('reset', String(e))
      log.error = last.message
    }
  }
  log.current = null
  if (expired || res.headersSent || res.destroyed) return
  if (last && !(last instanceof UpstreamError)) return respond(res, last, responseMods, log)
  reply(res, statusOf(last), last?.message ?? 'upstream failed')
}

function respond(res: Res, up: UpstreamResponse, responseMods: readonly ir.HeaderModifier[], log: Exchange): void {
  // The headers are already end-to-end and ours to change (upstream.ts).
  const h = up.headers
  for (const m of responseMods) modifyHeaders(h, m)
  if (res.headersSent || res.destroyed) {
    log.current = null
    return void up.body.abort(new UpstreamError('reset', 'client went away'))
  }
  log.current = up.body
  log.error = null
  // Unmodified HTTP/1.1 fields go to an HTTP/1.1 client as the backend wrote them.
  if (up.raw !== null && responseMods.length === 0 && res.writeHeadRaw !== undefined) res.writeHeadRaw(up.status, h, up.raw)
  else res.writeHead(up.status, h)
  // Backpressure both ways: a slow client pauses the backend's connection.
  up.body.pipe(res, () => res.destroy())
}

let isoMs = 0
let isoText = ''
/** The access record's timestamp; formatted once per millisecond rather than once per request. */
function isoNow(): string {
  const now = Date.now()
  if (now !== isoMs) {
    isoMs = now
    isoText = new Date(now).toISOString()
  }
  return isoText
}

function nextIndex(b: ir.HTTPServiceBackend): number {
  const i = rr.get(b) ?? 0
  rr.set(b, (i + 1) % b.endpoints.length)
  return i % b.endpoints.length
}

/** RequestMirror (gateway-api.md §7): a copy to one endpoint; its response and errors are ignored. */
function mirror(env: ProxyEnv, backend: ir.HTTPServiceBackend, upstreamReq: UpstreamRequest, body: Readable | null): void {
  const ep = backend.endpoints[nextIndex(backend)]
  if (!ep) return
  // Both clients serialise the head in send(), so the mirror and the main request can share it.
  const a = env.upstreams.send(ep, backend.appProtocol, upstreamReq, body)
  a.whenDone((r) => r.body.discard(), () => {})
}

/** A short plain-text answer from the gateway itself. */
export function reply(res: Res, status: number, reason: string): void {
  if (res.headersSent || res.destroyed) return
  const body = `${status} ${reason}\n`
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}
