import type { HTTPPortPlan, ListenerPlan, Plan, PortPlan, TLSPortPlan, VirtualHostPlan } from '../compile/index.ts'
import { hostWithoutPort, lookupHost } from '../compile/index.ts'
import { routeRequest } from '../proxy/index.ts'
import { creationTimes, notAttachedTo } from './context.ts'
import { decideHost } from './hosts.ts'
import { outcome } from './outcome.ts'
import { separate, type Ranked } from './precedence.ts'
import { checkMatch, tableEntries, type RequestParts } from './rules.ts'
import { EXPLAIN_SCHEMA, type Answer, type Candidate, type Decision, type ExplainContext, type ExplainRequest, type Explanation, type HostDecision, type TLSDecision } from './types.ts'

type Req = Explanation['request']

/**
 * Which port, listener, hostname, rule and backend a request would take on `plan`, and why, step
 * by step in the Gateway API's order (gateway-api.md §3-§7). Every choice is made by the data
 * plane's own lookups (`lookupHost`, `routeRequest`), so the answer is what serving would do;
 * explain adds the reasons around it (each candidate's checks, the precedence step that decided).
 * `context.objects` (the `/status` objects) adds creation times and routes that did not attach.
 * Pure; never throws.
 */
export function explain(plan: Plan, request: ExplainRequest, context: ExplainContext = {}): Explanation {
  const parsed = parseRequest(request)
  if (typeof parsed === 'string') return base(fallbackRequest(request), { key: null, why: parsed }, { kind: 'refused', why: parsed })
  const req = parsed
  const kind = req.scheme === 'https' ? 'tls' : 'http'
  const sameNumber = plan.ports.filter((p) => p.port === req.port)
  const ofKind = sameNumber.filter((p): p is HTTPPortPlan | TLSPortPlan => p.kind === kind)
  const port = ofKind.find((p) => p.address === req.host) ?? ofKind[0]
  if (!port) {
    const other = sameNumber[0]
    const listening = plan.ports.map((p) => `${p.key} (${p.kind.toUpperCase()})`).join(', ') || 'none'
    const why = other ? `port ${req.port} speaks ${other.kind === 'tls' ? 'TLS: use https://' : other.kind === 'http' ? 'plain HTTP: use http://' : `${other.kind.toUpperCase()}, not HTTP`}` : `no ${kind === 'tls' ? 'HTTPS' : 'HTTP'} listener is served on port ${req.port} (served: ${listening})`
    return base(req, { key: null, why }, { kind: 'refused', why: `the connection is refused: ${why}` })
  }
  const portInfo = { key: port.key, why: `${port.key} serves ${port.kind === 'tls' ? 'TLS (HTTPS listeners, chosen by SNI)' : 'plain HTTP (listeners chosen by Host)'} on port ${req.port}` }
  const objects = context.objects ?? []
  const listenerEntries = port.listenerList.map((l) => ({ name: l.name, hostname: l.hostname, value: l }))
  const notAttached = (names: readonly string[]) => notAttachedTo(objects, names)
  const allListeners = port.listenerList.map((l) => l.name)

  let tls: TLSDecision | null = null
  let listenerDecision: HostDecision
  let listener: ListenerPlan | null
  if (port.kind === 'tls') {
    const t = tlsDecision(port, req)
    tls = t.decision
    if (t.refused) return { ...base(req, portInfo, { kind: 'refused', why: t.refused }), tls, notAttached: notAttached(allListeners) }
    listenerDecision = t.decision.listener
    listener = t.listener
    if (t.decision.misdirected) {
      const m = t.decision.misdirected
      const answer: Answer = m.hostListener ? { kind: 'status', status: 421, why: m.why } : { kind: 'status', status: 404, why: m.why }
      return check(port, req, { ...base(req, portInfo, answer), tls, listener: listenerDecision, notAttached: notAttached([listener!.name]) })
    }
  } else {
    listener = lookupHost(port.listeners, req.host)
    listenerDecision = decideHost('listener', req.host, listenerEntries, listener)
  }
  if (!listener) {
    const why = `no listener on ${port.key} serves the host ${req.host} (listeners are chosen by hostname, gateway-api.md §4.3)`
    return check(port, req, { ...base(req, portInfo, { kind: 'status', status: 404, why }), tls, listener: listenerDecision, notAttached: notAttached(allListeners) })
  }
  const attachedHere = notAttached([listener.name])
  const vhost = lookupHost(listener.virtualHosts, req.host)
  const hostname = decideHost('hostname', req.host, listener.virtualHostList.map((v) => ({ name: v.hostname, hostname: v.hostname, value: v })), vhost)
  const stage = (answer: Answer) => ({ ...base(req, portInfo, answer), tls, listener: listenerDecision, hostname, notAttached: attachedHere })
  if (!vhost) {
    const served = listener.virtualHostList.map((v) => v.hostname).join(', ')
    const why = `${served ? `no route attached to listener ${listener.name} serves the host ${req.host} (its routes serve ${served})` : `no route is attached to listener ${listener.name}`}; listener isolation: no other listener is tried`
    return check(port, req, stage({ kind: 'status', status: 404, why }))
  }
  const decided = rules(vhost, req, creationTimes(objects))
  return check(port, req, { ...stage(decided.answer), ...decided })
}

function rules(vhost: VirtualHostPlan, req: Req, created: Map<string, string>): Pick<Explanation, 'candidates' | 'decision' | 'filters' | 'answer' | 'inconsistency'> {
  const parts: RequestParts = { path: req.path, method: req.method, headers: req.headers, query: req.query }
  const evaluated = tableEntries(vhost.routes).map((plan) => {
    const [, ns, name, , rule, , index] = plan.entry.name.split('/')
    const route = `${ns}/${name}`
    const checks = checkMatch(plan.entry.match, parts)
    const ranked: Ranked = { match: plan.entry.match, route, created: created.get(`HTTPRoute:${route}`) ?? null, rule: Number(rule), index: Number(index) }
    return { plan, ranked, checks, matched: checks.every((c) => c.ok) }
  })
  const winner = evaluated.find((e) => e.matched) ?? null
  const contradictions: string[] = []
  // Shown as the user wrote them (route, rule, match); precedence is told by `lostAt` and the decision.
  const asWritten = [...evaluated].sort((a, b) => (a.ranked.route < b.ranked.route ? -1 : a.ranked.route > b.ranked.route ? 1 : a.ranked.rule - b.ranked.rule || a.ranked.index - b.ranked.index))
  const candidates: Candidate[] = asWritten.map((e) => {
    const common = { name: e.plan.entry.name, route: e.ranked.route, rule: e.ranked.rule, match: e.ranked.index, matched: e.matched, checks: e.checks }
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
    const why = `no rule of the routes for ${vhost.hostname} matches ${req.method} ${req.path}${req.query ? `?${req.query}` : ''}`
    return { candidates, decision: { chosen: null, step: null, why }, filters: [], answer: { kind: 'status', status: 404, why } }
  }
  const runnerUp = evaluated.find((e) => e.matched && e !== winner)
  const decision: Decision = runnerUp
    ? (() => {
        const s = separate(winner.ranked, runnerUp.ranked)
        return { chosen: winner.plan.entry.name, step: s.step, why: `${winner.plan.entry.name} beats ${runnerUp.plan.entry.name}: ${s.why}` }
      })()
    : { chosen: winner.plan.entry.name, step: 'only-match', why: `${winner.plan.entry.name} is the only match` }
  const o = outcome(winner.plan.entry, req.host, req.headers.host!, req.path, req.query)
  return { candidates, decision, filters: o.filters, answer: o.answer, ...inconsistency }
}

/** SNI → listener and certificate (RFC 6066 §3; gateway-api.md §5.3, §6), then the 421 check. */
function tlsDecision(port: TLSPortPlan, req: Req): { decision: TLSDecision; listener: ListenerPlan | null; refused: string | null } {
  const entries = port.listenerList.map((l) => ({ name: l.name, hostname: l.hostname, value: l }))
  const sni = req.sni
  const chosen = lookupHost(port.listeners, sni ?? req.host)
  // Only an HTTPS listener carries HTTP requests; a TLS listener's SNI leads to a TLSRoute.
  const listener = chosen && chosen.kind !== 'tls' ? chosen : null
  const decision = decideHost('listener', sni ?? req.host, entries, chosen)
  const noCert = (why: string) => ({ decision: { sni, listener: decision, certificate: null, minVersion: null, misdirected: null, why }, listener, refused: why })
  if (sni !== null) {
    if (chosen && chosen.kind === 'tls') return noCert(`SNI ${sni} chooses listener ${chosen.name}, a TLS ${chosen.mode === 'passthrough' ? 'Passthrough' : 'Terminate'} listener: it carries TLSRoutes, not HTTP requests (gateway-api.md §6)`)
    if (!listener) return noCert(`the TLS handshake is refused: no listener serves SNI ${sni} (gateway-api.md §6)`)
    const cert = listener.tls && (lookupHost(listener.tls.certificates, sni) ?? listener.tls.certificates.any)
    if (!cert) return noCert(`the TLS handshake is refused: listener ${listener.name} has no certificate`)
    const why = `SNI ${sni} chooses listener ${listener.name}, which serves certificate ${cert.name} (${cert.dnsNames.join(', ') || 'no DNS names'}), TLS ${listener.tls!.minVersion.replace('TLSv', '')} or later`
    let misdirected: TLSDecision['misdirected'] = null
    if (port.detectMisdirectedRequests) {
      const byHost = lookupHost(port.listeners, req.host)
      if (byHost !== listener)
        misdirected = byHost
          ? { hostListener: byHost.name, why: `the Host ${req.host} belongs to listener ${byHost.name}, not ${listener.name} that the SNI chose (Misdirected Request, gateway-api.md §5.3)` }
          : { hostListener: null, why: `no listener serves the Host ${req.host}` }
    }
    return { decision: { sni, listener: decision, certificate: cert.name, minVersion: listener.tls!.minVersion, misdirected, why }, listener, refused: null }
  }
  // No SNI: the handshake gets the default certificate; the listener is then chosen by Host.
  const fallback = port.withoutSNI
  // Serving refuses a ClientHello without SNI when no HTTPS listener takes it (gateway-api.md §6).
  if (!fallback || fallback.kind === 'tls') return noCert(`the connection is refused: no SNI, and ${fallback ? `listener ${fallback.name} routes TLS by SNI` : 'no listener takes a ClientHello without SNI'}`)
  const cert = fallback?.tls?.certificates.any ?? null
  const why = `no SNI: the handshake gets the default certificate${cert ? ` ${cert.name}` : ''} and the listener is chosen by the Host ${req.host}`
  return { decision: { sni, listener: decision, certificate: cert?.name ?? null, minVersion: fallback?.tls?.minVersion ?? null, misdirected: null, why }, listener, refused: null }
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

function parseRequest(r: ExplainRequest): Req | string {
  // Parsed by hand, not with URL: the data plane sees the path as sent (no dot-segment removal).
  const m = /^(https?):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(r.url.trim())
  if (!m) return `not an absolute http:// or https:// URL: ${r.url}`
  const scheme = m[1]!.toLowerCase() as 'http' | 'https'
  const urlAuthority = m[2]!
  if (urlAuthority === '') return `the URL has no host: ${r.url}`
  const portMatch = /:(\d+)$/.exec(urlAuthority)
  const port = portMatch && !urlAuthority.endsWith(']') ? Number(portMatch[1]) : scheme === 'https' ? 443 : 80
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v
  headers.host ??= urlAuthority
  const urlHost = hostWithoutPort(urlAuthority)
  const isIP = /^[\d.]+$/.test(urlHost) || urlHost.startsWith('[')
  const sni = scheme === 'http' ? null : r.sni === undefined ? (isIP ? null : urlHost) : r.sni === null || r.sni === '' ? null : r.sni.toLowerCase()
  return { method: r.method.toUpperCase(), url: r.url, scheme, host: hostWithoutPort(headers.host), port, path: m[3] || '/', query: m[4] ?? '', headers, sni }
}

function fallbackRequest(r: ExplainRequest): Req {
  return { method: r.method.toUpperCase(), url: r.url, scheme: 'http', host: '', port: 0, path: '', query: '', headers: { ...r.headers }, sni: null }
}

function base(request: Req, port: Explanation['port'], answer: Answer): Explanation {
  return { schema: EXPLAIN_SCHEMA, request, port, tls: null, listener: null, hostname: null, candidates: [], decision: null, filters: [], answer, notAttached: [] }
}
