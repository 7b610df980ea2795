import type { HTTPPortPlan, ListenerPlan, Plan, PortPlan, TLSPortPlan, VirtualHostPlan } from '../compile/index.ts'
import { certificateForSNI, listenerForSNI, lookupHost, normalizePath } from '../compile/index.ts'
import { routeRequest } from '../proxy/index.ts'
import { explainL4Port, explainTLSConnection, type ConnectionStage } from './connection.ts'
import { creationTimes, notAttachedTo } from './context.ts'
import { decideHost } from './hosts.ts'
import { outcome } from './outcome.ts'
import { separate, type Ranked } from './precedence.ts'
import { parseRequest, PORT_KIND, unparsedRequest, type Req } from './request.ts'
import { checkMatch, tableEntries, type RequestParts } from './rules.ts'
import { EXPLAIN_SCHEMA, type Answer, type Candidate, type Decision, type ExplainContext, type ExplainRequest, type Explanation, type HostDecision, type TLSDecision } from './types.ts'

/**
 * Which port, listener, hostname, rule and backend a request would take on `plan`, and why, step
 * by step in the Gateway API's order (gateway-api.md §3-§7). Every choice is made by the data
 * plane's own lookups (`lookupHost`, `normalizePath`, the fallback chain `lookupRoute` walks,
 * `routeRequest`; for connections `listenerForSNI`, `routeForSNI`, `certificateForSNI`), so the
 * answer is what serving would do;
 * explain adds the reasons around it (each candidate's checks, the precedence step that decided).
 * `context.objects` (the `/status` objects) adds creation times and routes that did not attach.
 * Pure; never throws.
 */
export function explain(plan: Plan, request: ExplainRequest, context: ExplainContext = {}): Explanation {
  const parsed = parseRequest(request)
  if (typeof parsed === 'string') return base(unparsedRequest(request), { key: null, why: parsed }, { kind: 'refused', why: parsed })
  const req = parsed
  const kind = PORT_KIND[req.scheme]
  const sameNumber = plan.ports.filter((p) => p.port === req.port)
  const ofKind = sameNumber.filter((p) => p.kind === kind)
  const port = ofKind.find((p) => p.address === req.host) ?? ofKind[0]
  if (!port) {
    const other = sameNumber[0]
    const listening = plan.ports.map((p) => `${p.key} (${p.kind.toUpperCase()})`).join(', ') || 'none'
    const why = other ? `port ${req.port} speaks ${SPEAKS[other.kind]}` : `no ${kind.toUpperCase()} listener is served on port ${req.port} (served: ${listening})`
    return base(req, { key: null, why }, { kind: 'refused', why: `the connection is refused: ${why}` })
  }
  const objects = context.objects ?? []
  const notAttached = (names: readonly string[]) => notAttachedTo(objects, names)
  if (port.kind === 'tcp' || port.kind === 'udp') return connection(req, { key: port.key, why: `${port.key} serves ${port.kind.toUpperCase()} on port ${req.port}: listener ${port.listener}` }, explainL4Port(port, req), notAttached)
  const portInfo = { key: port.key, why: `${port.key} serves ${port.kind === 'tls' ? 'TLS (listeners chosen by SNI)' : 'plain HTTP (listeners chosen by Host)'} on port ${req.port}` }
  const allListeners = port.listenerList.map((l) => l.name)

  let tls: TLSDecision | null = null
  let listenerDecision: HostDecision
  let listener: ListenerPlan | null
  if (port.kind === 'tls') {
    // A ClientHello that no HTTPS listener takes never carries HTTP to the gateway: explained as a
    // connection (passed through, terminated to TCP, or refused), as serving treats it.
    const bySNI = listenerForSNI(port, req.sni)
    if (req.scheme === 'tls' || bySNI === null || bySNI.kind === 'tls') return connection(req, portInfo, explainTLSConnection(port, req), notAttached)
    const t = tlsDecision(port, req, bySNI)
    tls = t.decision
    if (t.refused) return { ...base(req, portInfo, { kind: 'refused', why: t.refused }), tls, notAttached: notAttached([bySNI.name]) }
    listenerDecision = t.decision.listener
    listener = t.listener
    if (t.decision.misdirected) {
      const m = t.decision.misdirected
      const answer: Answer = m.hostListener ? { kind: 'status', status: 421, why: m.why } : { kind: 'status', status: 404, why: m.why }
      return check(port, req, { ...base(req, portInfo, answer), tls, listener: listenerDecision, notAttached: notAttached([bySNI.name]) })
    }
  } else {
    listener = lookupHost(port.listeners, req.host)
    listenerDecision = decideHost('listener', req.host, port.listenerList.map((l) => ({ name: l.name, hostname: l.hostname, value: l })), listener)
  }
  if (!listener) {
    const why = `no listener on ${port.key} serves the host ${req.host} (listeners are chosen by hostname, gateway-api.md §4.3)`
    return check(port, req, { ...base(req, portInfo, { kind: 'status', status: 404, why }), tls, listener: listenerDecision, notAttached: notAttached(allListeners) })
  }
  const attachedHere = notAttached([listener.name])
  const vhost = lookupHost(listener.virtualHosts, req.host)
  const chain = fallbackChain(listener, vhost)
  const hostname = withFallbacks(decideHost('hostname', req.host, listener.virtualHostList.map((v) => ({ name: v.hostname, hostname: v.hostname, value: v })), vhost), chain)
  const stage = (answer: Answer) => ({ ...base(req, portInfo, answer), tls, listener: listenerDecision, hostname, notAttached: attachedHere })
  if (!vhost) {
    const served = listener.virtualHostList.map((v) => v.hostname).join(', ')
    const why = `${served ? `no route attached to listener ${listener.name} serves the host ${req.host} (its routes serve ${served})` : `no route is attached to listener ${listener.name}`}; listener isolation: no other listener is tried`
    return check(port, req, stage({ kind: 'status', status: 404, why }))
  }
  // The path is normalised once, after the virtual host and before the rules, as routeRequest does.
  const normalized = normalizePath(req.path)
  if (!normalized.ok) {
    const why = `the path is refused before any rule is tried: ${normalized.reason} (docs/reliability.md, "Path normalisation")`
    return check(port, req, { ...stage({ kind: 'status', status: 400, why }), path: { sent: req.path, matched: null, why: normalized.reason } })
  }
  const path = normalized.path === req.path ? {} : { path: { sent: req.path, matched: normalized.path, why: `path ${req.path} is matched as ${normalized.path}, and the backend sees that path: the gateway resolves dot segments, merges repeated slashes and decodes escaped unreserved characters before matching (docs/reliability.md, "Path normalisation")` } }
  const decided = rules(chain, { ...req, path: normalized.path }, creationTimes(objects))
  return check(port, req, { ...stage(decided.answer), ...path, ...decided })
}

/** What the other kinds of port speak, to say which scheme would reach them. */
const SPEAKS: Record<PortPlan['kind'], string> = { http: 'plain HTTP: use http://', tls: 'TLS: use https:// (HTTP requests) or tls:// (a connection)', tcp: 'TCP: use tcp://', udp: 'UDP: use udp://' }

function connection(req: Req, port: Explanation['port'], c: ConnectionStage, notAttached: (names: readonly string[]) => Explanation['notAttached']): Explanation {
  const { listeners, connection: conn, ...rest } = c
  return { ...base(req, port, c.answer), ...rest, ...(conn ? { connection: conn } : {}), notAttached: notAttached(listeners) }
}

/** The virtual host chosen for the Host, then the less specific ones it falls back to, in the order `lookupRoute` tries them. */
function fallbackChain(listener: ListenerPlan, vhost: VirtualHostPlan | null): VirtualHostPlan[] {
  const chain: VirtualHostPlan[] = []
  for (let v = vhost; v; v = v.fallback === null ? null : (listener.virtualHostList.find((o) => o.hostname === v!.fallback) ?? null)) chain.push(v)
  return chain
}

/** Says of the less specific virtual hosts that match that their rules are still tried, after the chosen one's. */
function withFallbacks(d: HostDecision, chain: readonly VirtualHostPlan[]): HostDecision {
  if (chain.length < 2) return d
  const later = new Map(chain.slice(1).map((v, i) => [v.hostname, chain.slice(0, i + 1).map((c) => c.hostname).join(', ')]))
  const candidates = d.candidates.map((c) => (later.has(c.name) ? { ...c, why: `less specific, it covers ${chain[0]!.hostname}: its rules are tried after those of ${later.get(c.name)} (fallback)` } : c))
  return { ...d, why: `${d.why}; then the rules of ${chain.slice(1).map((v) => v.hostname).join(', then ')}, less specific hosts that cover it`, candidates }
}

function rules(chain: readonly VirtualHostPlan[], req: Req, created: Map<string, string>): Pick<Explanation, 'candidates' | 'decision' | 'filters' | 'answer' | 'inconsistency'> {
  const parts: RequestParts = { path: req.path, method: req.method, headers: req.headers, query: req.query }
  // Each table in precedence order, the tables in the order lookupRoute walks them: the first
  // match is the data plane's choice.
  const evaluated = chain.flatMap((vhost, depth) =>
    tableEntries(vhost.routes).map((plan) => {
      const [, ns, name, , rule, , index] = plan.entry.name.split('/')
      const route = `${ns}/${name}`
      const checks = checkMatch(plan.entry.match, parts)
      const ranked: Ranked = { match: plan.entry.match, route, created: created.get(`HTTPRoute:${route}`) ?? null, rule: Number(rule), index: Number(index), virtualHost: vhost.hostname, depth }
      return { plan, ranked, checks, matched: checks.every((c) => c.ok) }
    }),
  )
  const winner = evaluated.find((e) => e.matched) ?? null
  const contradictions: string[] = []
  // Shown as the user wrote them (route, rule, match) per virtual host; precedence is told by `lostAt` and the decision.
  const asWritten = [...evaluated].sort((a, b) => a.ranked.depth - b.ranked.depth || (a.ranked.route < b.ranked.route ? -1 : a.ranked.route > b.ranked.route ? 1 : a.ranked.rule - b.ranked.rule || a.ranked.index - b.ranked.index))
  const candidates: Candidate[] = asWritten.map((e) => {
    const common = { name: e.plan.entry.name, virtualHost: e.ranked.virtualHost, route: e.ranked.route, rule: e.ranked.rule, match: e.ranked.index, matched: e.matched, checks: e.checks }
    if (!e.matched) return { ...common, outcome: 'no-match', lostAt: null }
    if (e === winner) return { ...common, outcome: 'chosen', lostAt: null }
    const s = separate(winner!.ranked, e.ranked)
    // The data plane's order must agree with the spec's; without creation times the age step
    // cannot be checked.
    const checkable = s.step !== 'oldest-route' && s.step !== 'route-name' ? true : winner!.ranked.created !== null && e.ranked.created !== null
    if (!s.favoursA && checkable) contradictions.push(`${winner!.plan.entry.name} is served before ${e.plan.entry.name}, but ${s.why}`)
    return { ...common, outcome: 'lost', lostAt: { step: s.step, why: s.why } }
  })
  const inconsistency = contradictions.length ? { inconsistency: `the data plane's order contradicts Gateway API precedence: ${contradictions.join('; ')}` } : {}
  if (!winner) {
    const why = `no rule of the routes for ${chain.map((v) => v.hostname).join(' or ')} matches ${req.method} ${req.path}${req.query ? `?${req.query}` : ''}`
    return { candidates, decision: { chosen: null, step: null, why }, filters: [], answer: { kind: 'status', status: 404, why } }
  }
  const runnerUp = evaluated.find((e) => e.matched && e !== winner)
  const decision: Decision = runnerUp
    ? (() => {
        const s = separate(winner.ranked, runnerUp.ranked)
        return { chosen: winner.plan.entry.name, step: s.step, why: `${winner.plan.entry.name} beats ${runnerUp.plan.entry.name}${runnerUp.plan.entry.name === winner.plan.entry.name ? ` (for ${runnerUp.ranked.virtualHost})` : ''}: ${s.why}` }
      })()
    : { chosen: winner.plan.entry.name, step: 'only-match', why: `${winner.plan.entry.name} is the only match` }
  const o = outcome(winner.plan.entry, req.host, req.headers.host!, req.path, req.query)
  return { candidates, decision, filters: o.filters, answer: o.answer, ...inconsistency }
}

/** SNI → HTTPS listener and certificate (RFC 6066 §3; gateway-api.md §5.3, §6), then the 421 check. */
function tlsDecision(port: TLSPortPlan, req: Req, bySNI: ListenerPlan): { decision: TLSDecision; listener: ListenerPlan | null; refused: string | null } {
  const sni = req.sni
  const entries = port.listenerList.map((l) => ({ name: l.name, hostname: l.hostname, value: l }))
  const cert = bySNI.tls && certificateForSNI(bySNI.tls, sni)
  if (sni !== null) {
    const decision = decideHost('listener', sni, entries, bySNI)
    if (!cert) {
      const why = `the TLS handshake fails: listener ${bySNI.name} has no certificate`
      return { decision: { sni, listener: decision, certificate: null, minVersion: null, misdirected: null, why }, listener: null, refused: why }
    }
    const why = `SNI ${sni} chooses listener ${bySNI.name}, which serves certificate ${cert.name} (${cert.dnsNames.join(', ') || 'no DNS names'}), TLS ${bySNI.tls!.minVersion.replace('TLSv', '')} or later`
    let misdirected: TLSDecision['misdirected'] = null
    if (port.detectMisdirectedRequests) {
      const byHost = lookupHost(port.listeners, req.host)
      if (byHost !== bySNI)
        misdirected = byHost
          ? { hostListener: byHost.name, why: `the Host ${req.host} belongs to listener ${byHost.name}, not ${bySNI.name} that the SNI chose (Misdirected Request, gateway-api.md §5.3)` }
          : { hostListener: null, why: `no listener serves the Host ${req.host}` }
    }
    return { decision: { sni, listener: decision, certificate: cert.name, minVersion: bySNI.tls!.minVersion, misdirected, why }, listener: bySNI, refused: null }
  }
  // No SNI: the port's withoutSNI listener (an HTTPS one here) serves its default certificate;
  // the requests are then routed by Host, over every listener of the port (routeRequest).
  const chosen = lookupHost(port.listeners, req.host)
  const listener = chosen && chosen.kind === 'https' ? chosen : null
  const decision = decideHost('listener', req.host, entries, chosen)
  const why = `no SNI: listener ${bySNI.name} takes the ClientHello and serves its default certificate${cert ? ` ${cert.name}` : ''}, and each request's listener is chosen by its Host ${req.host}`
  return { decision: { sni, listener: decision, certificate: cert?.name ?? null, minVersion: bySNI.tls?.minVersion ?? null, misdirected: null, why }, listener, refused: null }
}

/** Cross-checks explain's reasoning with the data plane's own routing; a difference is reported, never hidden. */
function check(port: HTTPPortPlan | TLSPortPlan, req: Req, e: Explanation): Explanation {
  const routed = routeRequest(port, req.headers.host, req.sni, req.method, req.path + (req.query ? `?${req.query}` : ''), req.headers)
  const a = e.answer
  const mine = e.decision?.chosen ?? (a.kind === 'status' ? `status ${a.status}` : a.kind)
  const theirs = routed.kind === 'route' ? routed.route.entry.name : `status ${routed.status}`
  if (mine === theirs) return e
  return { ...e, inconsistency: [e.inconsistency, `explain reasoned ${mine}, the data plane routes to ${theirs}`].filter(Boolean).join('; ') }
}

function base(request: Req, port: Explanation['port'], answer: Answer): Explanation {
  return { schema: EXPLAIN_SCHEMA, request, port, tls: null, listener: null, hostname: null, candidates: [], decision: null, filters: [], answer, notAttached: [] }
}
