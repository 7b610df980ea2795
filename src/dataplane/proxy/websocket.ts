import net from 'node:net'
import type { Duplex } from 'node:stream'
import type * as ir from '../../ir/index.ts'
import type { HTTPPortPlan, TLSPortPlan } from '../compile/index.ts'
import { pickBackend } from '../compile/index.ts'
import type { ProxyEnv } from './env.ts'
import type { ProxyRequest } from './exchange.ts'
import { addForwarded, endToEnd, modifyHeaders } from './headers.ts'
import { redirectLocation, rewritePath } from './rewrite.ts'
import { routeRequest } from './route-request.ts'

/**
 * An HTTP/1.1 Upgrade request (WebSocket, RFC 6455 §4): routed exactly as any request, then the
 * handshake is replayed to one endpoint and the two sockets are spliced, so the backend's `101`
 * and every frame pass through untouched. Works for `http1` and `ws` backends alike.
 */
export function handleUpgrade(env: ProxyEnv, port: HTTPPortPlan | TLSPortPlan, scheme: 'http' | 'https', req: ProxyRequest, client: Duplex, head: Buffer): void {
  const start = performance.now()
  const authority = req.headers.host ?? ''
  const url = req.url || '/'
  let status = 101
  const log = { listener: null as string | null, route: null as string | null, backend: null as string | null, endpoint: null as string | null, attempts: 0, error: null as string | null }
  client.once('close', () => {
    const durationMs = performance.now() - start
    env.countRequest(log.listener, log.route, log.backend, status, durationMs, log.error)
    env.observe?.({ time: new Date().toISOString(), method: req.method ?? '', authority, path: url, protocol: `HTTP/${req.httpVersion} upgrade`, status, durationMs, ...log })
  })
  client.on('error', () => client.destroy())
  const fail = (code: number, reason: string, extra = '') => {
    status = code
    log.error = reason
    client.end(`HTTP/1.1 ${code} ${reason.replace(/[\r\n]/g, ' ')}\r\nconnection: close\r\ncontent-length: 0\r\n${extra}\r\n`)
  }
  const sni = scheme === 'https' ? ((req.socket as { servername?: string | false }).servername || null) : null
  const routed = routeRequest(port, authority, sni, req.method ?? 'GET', url, req.headers)
  log.listener = routed.listener?.name ?? null
  if (routed.kind === 'status') return fail(routed.status, routed.reason)
  const entry = routed.route.entry
  log.route = routed.route.rule
  if (entry.action.kind === 'redirect') return fail(entry.action.redirect.statusCode, 'redirect', `location: ${redirectLocation(entry.action.redirect, routed.host, routed.path, routed.query, entry.match.path)}\r\n`)
  const backend = routed.route.weighted && pickBackend(routed.route.weighted, env.random())
  log.backend = backend?.name ?? null
  if (!backend || backend.kind === 'invalid') return fail(500, 'invalid backend')
  const ep = backend.endpoints[Math.floor(env.random() * backend.endpoints.length)]
  if (!ep) return fail(503, 'no endpoints')
  log.endpoint = `${ep.address}:${ep.port}`
  log.attempts = 1
  const headers = endToEnd(req.headers, true)
  let path = routed.path
  let host = authority
  for (const f of [...entry.filters, ...backend.filters] as ir.HTTPFilter[]) {
    if (f.kind === 'request-headers') modifyHeaders(headers, f.modifier)
    else if (f.kind === 'url-rewrite') {
      if (f.hostname !== null) host = f.hostname
      if (f.path !== null) path = rewritePath(path, entry.match.path, f.path)
    }
  }
  headers.host = host
  addForwarded(headers, req.socket.remoteAddress ?? '', scheme, authority)
  const upstream = net.connect({ host: ep.address, port: ep.port })
  upstream.once('error', (e) => {
    if (status === 101 && !upstream.readyState.startsWith('open')) fail(503, `upstream connect error: ${e.message}`)
    else client.destroy()
  })
  upstream.once('connect', () => {
    let text = `${req.method} ${path}${routed.query === '' ? '' : `?${routed.query}`} HTTP/1.1\r\n`
    for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) text += `${k}: ${one}\r\n`
    upstream.write(text + '\r\n')
    if (head.length > 0) upstream.write(head)
    upstream.pipe(client)
    client.pipe(upstream)
  })
  upstream.once('close', () => client.destroy())
  client.once('close', () => upstream.destroy())
}
