import net from 'node:net'
import type { Duplex } from 'node:stream'
import type * as ir from '../../ir/index.ts'
import type { WeightedBackends } from '../compile/index.ts'
import { pickBackend } from '../compile/index.ts'
import type { ProxyEnv } from './env.ts'
import { abort, splice, spliceReader } from './splice.ts'

/** One line of the access log and one sample for the metrics per TCP/TLS connection or UDP flow. */
export interface ConnectionRecord {
  /** When the connection (flow) ended. */
  readonly time: string
  /** `TLS` when the connection was refused before a listener was chosen (no listener for its SNI). */
  readonly protocol: 'TCP' | 'TLS' | 'TLS passthrough' | 'TLS terminate' | 'UDP'
  /** `address:port` of the client. */
  readonly client: string
  /** The SNI the client sent (TLS), else null. */
  readonly sni: string | null
  readonly listener: string | null
  /** The route rule that carried it (`tlsroute/<ns>/<name>/rule/0`, …), or null. */
  readonly route: string | null
  readonly backend: string | null
  readonly endpoint: string | null
  /** Bytes sent on to the backend (TLS passthrough: the encrypted bytes; terminate: the plain ones). */
  readonly bytesIn: number
  /** Bytes the backend sent back to the client. */
  readonly bytesOut: number
  readonly durationMs: number
  /** Why the gateway refused or broke the connection, or null for a clean close. */
  readonly error: string | null
}

/** Where a connection goes: the route the port or the SNI chose, with its backends. */
export interface StreamTarget {
  readonly protocol: 'TCP' | 'TLS' | 'TLS passthrough' | 'TLS terminate'
  readonly listener: string | null
  readonly route: string | null
  readonly backends: WeightedBackends<ir.L4Backend> | null
  readonly sni: string | null
}

/**
 * Sends a client connection to one endpoint of a backend chosen by weight, per connection, and
 * splices the two (gateway-api.md §6). Whatever the client already sent (a replayed ClientHello)
 * is still in its readable buffer and goes first. The client stays paused while the backend
 * connects, so TCP flow control holds its bytes. Rejected — no route, an invalid backend's share,
 * no endpoints, or a connect failure — closes the client at once (reset where it is TCP).
 */
export function forwardStream(env: ProxyEnv, client: Duplex, target: StreamTarget, start = performance.now()): void {
  const observe = observer(env, client, target, start)
  let backend: ir.L4Backend | null = null
  const reject = (reason: string) => {
    abort(client)
    observe(backend, null, 0, 0, reason)
  }
  if (target.route === null || target.backends === null) return reject('no route')
  backend = pickBackend(target.backends, env.random())
  if (backend === null) return reject('no backend has weight')
  if (backend.kind === 'invalid') return reject(`backend invalid: ${backend.reason}`)
  if (backend.endpoints.length === 0) return reject(`${backend.service} has no ready endpoints`)
  const chosen = backend
  const ep = backend.endpoints[Math.floor(env.random() * backend.endpoints.length)]!
  const endpoint = `${ep.address}:${ep.port}`
  const reader = spliceReader(client)
  const upstream = net.connect({ host: ep.address, port: ep.port, allowHalfOpen: true, noDelay: true, onread: reader })
  let settled = false
  const early = (reason: string) => {
    if (settled) return
    settled = true
    upstream.destroy()
    abort(client)
    observe(chosen, endpoint, 0, 0, reason)
  }
  const clientGone = () => early('the client closed before the backend answered')
  client.once('close', clientGone)
  client.on('error', () => {})
  upstream.setTimeout(env.connectTimeoutMs, () => early(`connect ${endpoint}: no answer in ${env.connectTimeoutMs}ms`))
  upstream.once('error', (e) => early(`connect ${endpoint}: ${e.message}`))
  upstream.once('connect', () => {
    if (settled) return
    settled = true
    upstream.setTimeout(0)
    client.off('close', clientGone)
    splice(client, upstream, (e) => observe(chosen, endpoint, upstream.bytesWritten, upstream.bytesRead, e ? e.message : null), reader)
  })
}

/**
 * Refuses a connection before any backend is chosen (no listener or route for its SNI, gateway-api.md
 * §6): `farewell` (a TLS alert) is written first if given, else the connection is reset.
 */
export function refuseStream(env: ProxyEnv, client: Duplex, target: StreamTarget, reason: string, farewell: Uint8Array | null = null, start = performance.now()): void {
  const observe = observer(env, client, target, start)
  client.on('error', () => {})
  if (farewell) client.end(farewell, () => client.destroy())
  else abort(client)
  observe(null, null, 0, 0, reason)
}

/** Records a connection someone else is closing (a failed TLS handshake) as refused. */
export function recordRefused(env: ProxyEnv, client: Duplex, target: StreamTarget, reason: string, start: number): void {
  observer(env, client, target, start)(null, null, 0, 0, reason)
}

function observer(env: ProxyEnv, client: Duplex, target: StreamTarget, start: number) {
  const remote = client as Partial<net.Socket>
  const peer = `${remote.remoteAddress ?? ''}:${remote.remotePort ?? 0}`
  return (backend: ir.L4Backend | null, endpoint: string | null, bytesIn: number, bytesOut: number, error: string | null) =>
    env.observeConnection({ time: new Date().toISOString(), protocol: target.protocol, client: peer, sni: target.sni, listener: target.listener, route: target.route, backend: backend?.name ?? null, endpoint, bytesIn, bytesOut, durationMs: performance.now() - start, error })
}
