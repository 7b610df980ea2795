import type * as ir from '../../ir/index.ts'
import type { L4PortPlan, SNIListenerPlan, TLSListenerPlan, TLSPortPlan, WeightedBackends } from '../compile/index.ts'
import { certificateForSNI, listenerForSNI, routeForSNI } from '../compile/index.ts'
import { decideHost } from './hosts.ts'
import type { Req } from './request.ts'
import type { Answer, BackendOutcome, ConnectionDecision, ConnectionMode, Explanation, HostDecision, TLSDecision } from './types.ts'

/** What a connection's explanation adds to the port decision. */
export type ConnectionStage = Pick<Explanation, 'tls' | 'listener' | 'answer'> & { readonly connection?: ConnectionDecision; readonly listeners: readonly string[] }

/** How a TLS port refuses a ClientHello it cannot route (stream-port.ts, RFC 6066 §3, RFC 8446 §6). */
const UNRECOGNIZED_NAME = 'the gateway answers the ClientHello with a fatal unrecognized_name alert (RFC 6066 §3) and closes the connection'

/**
 * A TLS connection by its ClientHello (gateway-api.md §4.3, §6): the listener by SNI (without SNI,
 * the port's `withoutSNI`), then for a TLS listener the TLSRoute by the same SNI and its weighted
 * backends; for an HTTPS listener, the certificate (the requests inside are explained by https://).
 * Every choice is the one serving makes (`listenerForSNI`, `routeForSNI`, `certificateForSNI`).
 */
export function explainTLSConnection(port: TLSPortPlan, req: Req): ConnectionStage {
  const { decision, listener } = sniListener(port, req.sni)
  const chooses = req.sni === null ? 'without SNI, the ClientHello goes to' : `SNI ${req.sni} chooses`
  const tls = (why: string, certificate: ir.Certificate | null = null, plan: TLSListenerPlan['tls'] = null): TLSDecision => ({ sni: req.sni, listener: decision, certificate: certificate?.name ?? null, minVersion: certificate && plan ? plan.minVersion : null, misdirected: null, why })
  const refuse = (why: string): Answer => ({ kind: 'refused', why: `the connection is refused: ${why}; ${UNRECOGNIZED_NAME}` })
  if (!listener) {
    const why = req.sni === null ? 'no SNI, and no listener takes a ClientHello without SNI' : `no listener serves SNI ${req.sni} (gateway-api.md §6)`
    return { tls: tls(why), listener: decision, answer: refuse(why), listeners: port.listenerList.map((l) => l.name) }
  }
  const listeners = [listener.name]
  const cert = listener.tls ? certificateForSNI(listener.tls, req.sni) : null
  const serves = cert ? `serves certificate ${cert.name} (${cert.dnsNames.join(', ') || 'no DNS names'}), TLS ${listener.tls!.minVersion.replace('TLSv', '')} or later` : ''
  if (listener.kind !== 'tls') {
    const why = `${chooses} listener ${listener.name}, an HTTPS listener, which ${serves || 'has no certificate'}`
    if (!cert) return { tls: tls(why), listener: decision, answer: { kind: 'refused', why: `the TLS handshake fails: listener ${listener.name} has no certificate` }, listeners }
    const connection: ConnectionDecision = { mode: 'https', listener: listener.name, routes: null, route: null, why: 'the connection carries HTTP requests, each routed by its Host through the listener\'s HTTPRoutes' }
    const next = `GET https://${req.sni ?? req.host}:${req.port}/`
    return { tls: tls(why, cert, listener.tls), listener: decision, connection, answer: { kind: 'connect', mode: 'https', backends: [], why: `terminated with certificate ${cert.name}, then HTTP requests, each routed by its Host: explain one with \`${next}\`` }, listeners }
  }
  const how = listener.mode === 'passthrough' ? 'a TLS Passthrough listener: the bytes go on as they are, never decrypted' : `a TLS Terminate listener, which ${serves || 'has no certificate'}, then sends the plain bytes on`
  const t = tls(`${chooses} listener ${listener.name}, ${how}; the TLSRoute is chosen by the same SNI`, cert, listener.tls)
  const route = routeForSNI(listener, req.sni)
  const routes = sniRoutes(listener, req.sni, route)
  const why = route ? `${route.name}: ${routes.candidates.find((c) => c.chosen)!.why}` : req.sni === null ? 'no SNI to choose a TLSRoute by' : `no TLSRoute attached to listener ${listener.name} serves SNI ${req.sni}`
  const connection: ConnectionDecision = { mode: listener.mode, listener: listener.name, routes, route: route?.name ?? null, why }
  if (!route) return { tls: t, listener: decision, connection, answer: refuse(why), listeners }
  if (listener.mode === 'terminate' && !cert) return { tls: t, listener: decision, connection, answer: { kind: 'refused', why: `the TLS handshake fails: listener ${listener.name} has no certificate` }, listeners }
  const inner = req.scheme === 'https' ? ' and answers the HTTP request itself' : ''
  const verb = listener.mode === 'passthrough' ? 'passed through' : `terminated with certificate ${cert!.name}, then plain TCP`
  const tail = listener.mode === 'passthrough' ? `, still encrypted: the backend terminates TLS${inner} (the gateway never decrypts)` : ''
  return { tls: t, listener: decision, connection, answer: carried(listener.mode, route.backends, verb, tail, 'connection'), listeners }
}

/** A TCP or UDP port: its one listener, the route it carries (or none) and that route's weighted backends. */
export function explainL4Port(port: L4PortPlan<'tcp' | 'udp'>, _req: Req): ConnectionStage {
  const unit = port.kind === 'udp' ? 'flow' : 'connection'
  const listeners = [port.listener]
  if (port.route === null) {
    const why = `no route is attached to listener ${port.listener}`
    const connection: ConnectionDecision = { mode: port.kind, listener: port.listener, routes: null, route: null, why }
    return { tls: null, listener: null, connection, answer: { kind: 'refused', why: port.kind === 'udp' ? 'no route attached: datagrams are dropped' : 'no route attached: connections are refused (reset)' }, listeners }
  }
  const why = `${port.route} carries every ${unit} of listener ${port.listener} (one route per ${port.kind.toUpperCase()} listener: with several attached, the oldest; gateway-api.md §5.4)`
  const connection: ConnectionDecision = { mode: port.kind, listener: port.listener, routes: null, route: port.route, why }
  const answer = port.kind === 'udp' ? carried('udp', port.backends, 'datagrams forwarded', ', per flow (client address and port); replies go back to that client', 'flow') : carried('tcp', port.backends, 'spliced', ': the bytes flow both ways unchanged', 'connection')
  return { tls: null, listener: null, connection, answer, listeners }
}

/** The listener decision for a ClientHello: by SNI, or without SNI the port's `withoutSNI` (compile decides which). */
function sniListener(port: TLSPortPlan, sni: string | null): { decision: HostDecision; listener: TLSListenerPlan | null } {
  const listener = listenerForSNI(port, sni)
  if (sni !== null) return { decision: decideHost('listener', sni, port.listenerList.map((l) => ({ name: l.name, hostname: l.hostname, value: l })), listener), listener }
  const why = !listener ? 'no SNI, and no listener takes a ClientHello without SNI (none has no hostname, none is HTTPS)'
    : listener.hostname === null ? `no SNI: the listener without hostname, ${listener.name}, takes it`
    : `no SNI and no listener without hostname: the first HTTPS listener, ${listener.name}, takes it (so a client that dials an IP address still gets a certificate)`
  const candidates = port.listenerList.map((l) => ({ name: l.name, hostname: l.hostname, match: l.hostname === null ? ('any' as const) : ('none' as const), chosen: l === listener, why: l === listener ? why : l.hostname === null ? `matches, but ${listener?.name} was taken first` : `${l.hostname} can only match an SNI` }))
  return { decision: { against: '', chosen: listener?.name ?? null, match: listener ? (listener.hostname === null ? 'any' : 'none') : 'none', why, candidates }, listener }
}

function sniRoutes(listener: SNIListenerPlan, sni: string | null, route: SNIListenerPlan['routeList'][number] | null): HostDecision {
  const entries = listener.routeList.map((r) => ({ name: r.name, hostname: r.hostname, value: r }))
  if (sni !== null) return decideHost('TLSRoute', sni, entries, route)
  return { against: '', chosen: null, match: 'none', why: 'no SNI to choose a TLSRoute by', candidates: entries.map((e) => ({ name: e.name, hostname: e.hostname, match: 'none', chosen: false, why: `${e.hostname} can only match an SNI` })) }
}

/**
 * The answer for a connection carried to weighted backends (gateway-api.md §6): one backend per
 * connection (per flow for UDP) by weight, as `pickBackend` does; an unresolved backendRef's or
 * an endpoint-less Service's share is refused, and with no share left the connection is refused.
 */
function carried(mode: ConnectionMode, w: WeightedBackends<ir.L4Backend>, verb: string, tail: string, unit: 'connection' | 'flow'): Answer {
  const refusedShare = unit === 'flow' ? 'its share of flows is dropped' : 'its share of connections is refused (reset)'
  const every = unit === 'flow' ? 'every datagram is dropped' : 'every connection is refused (reset)'
  const rejections: string[] = []
  const backends: BackendOutcome[] = w.backends.map((b) => {
    const share = w.total === 0 ? 0 : Math.max(0, b.weight) / w.total
    const service = b.kind === 'service' ? b.service : null
    const endpoints = b.kind === 'service' ? b.endpoints.map((e) => `${e.address}:${e.port}`) : []
    const common = { name: b.name, service, weight: b.weight, share, endpoints, status: null }
    if (b.weight <= 0) return { ...common, rejected: false, why: 'weight 0: never chosen' }
    const reason = b.kind === 'invalid' ? `the backendRef ${b.name} did not resolve (${b.reason})` : endpoints.length === 0 ? `${b.service} has no ready endpoints` : null
    if (reason !== null) {
      rejections.push(reason)
      return { ...common, rejected: true, why: `${reason}: ${refusedShare}` }
    }
    return { ...common, rejected: false, why: `endpoint${endpoints.length === 1 ? '' : 's'} ${endpoints.join(', ')}${endpoints.length === 1 ? '' : `, one at random per ${unit}`}` }
  })
  if (!backends.some((b) => b.share > 0 && !b.rejected)) {
    const why = backends.length === 0 ? 'the route has no backendRefs' : w.total === 0 ? 'every backend has weight 0' : rejections.join('; ')
    return { kind: 'refused', why: `${why}: ${every}` }
  }
  const to = backends.length === 1 ? `${backends[0]!.service}, ${backends[0]!.why}` : `one backend per ${unit}, in proportion to weight (${backends.map((b) => `${b.service ?? b.name} ${Math.round(b.share * 1000) / 10}%`).join(', ')})`
  return { kind: 'connect', mode, backends, why: `${verb} to ${to}${tail}` }
}
