import type { App, Destination, ParentRef, RouteMatch } from '../../src/model/index.ts'
import { serviceName } from '../../src/model/index.ts'
import type { Identity } from './stand-ins.ts'

/**
 * What the app says should happen to traffic, worked out from the app model alone (never from
 * the rendered objects): for each route rule, requests built from its matches, and which container
 * must answer each. Gateway listeners (platform configuration) say only where to send them.
 * The HTTP precedence here is the Gateway API's (gateway-api.md §4.3): longest path prefix, then a
 * method match, then most header matches, then most query matches, then route name, then rule order.
 */

export interface Listener {
  readonly gateway: { readonly name: string; readonly namespace: string }
  readonly name: string
  readonly port: number
  readonly protocol: string
  readonly hostname?: string
  readonly mode?: string
}

export interface Probe {
  /** Says which rule the probe comes from, for failure messages. */
  readonly what: string
  readonly kind: 'http' | 'https' | 'tls' | 'tcp' | 'udp'
  readonly listener: Listener
  readonly host: string
  readonly method: string
  /** Path and query, as sent. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /** Who answers and, for HTTP, the path it sees; null: no route matches (404). */
  readonly expect: { readonly identity: Identity; readonly path?: string; readonly over?: 'tls' | 'tcp' | 'udp' } | null
}

interface Candidate {
  readonly what: string
  readonly listener: Listener
  readonly hostnames: readonly string[]
  readonly match: RouteMatch
  readonly route: string
  readonly rule: number
  readonly identity: Identity
  readonly replacePrefix?: string
}

/** The container a route destination names. */
export function destinationIdentity(d: Destination): Identity {
  return `${d.resource}/${d.containerName}:${d.containerPort}`.toLowerCase()
}

/** The container behind `http://<service>:<port>` (legacy gateway destinations, connections). */
export function serviceIdentity(app: App, hostname: string, port: number): Identity | undefined {
  for (const c of app.containers)
    for (const [name, spec] of Object.entries(c.containers))
      for (const p of Object.values(spec.ports)) if (serviceName(c, name) === hostname && p.port === port) return `${c.name}/${name}:${p.containerPort}`.toLowerCase()
  return undefined
}

const ROUTE_PROTOCOLS: Record<string, readonly string[]> = { HTTP: ['HTTP', 'HTTPS'], TLS: ['TLS'], TCP: ['TCP'], UDP: ['UDP'] }
/** Radius's default Gateway, as `rad install` creates it, where routes attach without parameters. */
export const DEFAULT_PARENT: ParentRef = { name: 'radius', namespace: 'radius-system' }

/** Every probe for the app's routes and legacy gateways, given the listeners of the Gateways they attach to. */
export function probes(app: App, listeners: readonly Listener[]): Probe[] {
  const http: Candidate[] = []
  const out: Probe[] = []
  const parent = app.environment?.routes.parentRef ?? DEFAULT_PARENT
  for (const r of app.routes) {
    const hostnames = r.routeKind === 'HTTP' || r.routeKind === 'TLS' ? (r.hostnames.length ? r.hostnames : (app.environment?.routes.hostnames ?? [])) : []
    const attached = listeners.filter(
      (l) =>
        l.gateway.name === parent.name &&
        l.gateway.namespace === (parent.namespace ?? 'default') &&
        (!parent.sectionName || parent.sectionName === l.name) &&
        (!parent.port || parent.port === l.port) &&
        ROUTE_PROTOCOLS[r.routeKind]!.includes(l.protocol) &&
        (!l.hostname || hostnames.length === 0 || hostnames.some((h) => hostMatches(l.hostname!, h))),
    )
    for (const listener of attached) {
      r.rules.forEach((rule, i) => {
        const identity = destinationIdentity(rule.destination)
        const what = `route ${r.name} rule ${i} via ${listener.gateway.name}/${listener.name}`
        if (r.routeKind === 'HTTP') {
          const matches = rule.matches.length ? rule.matches : [{ headers: [], queryParams: [] }]
          for (const match of matches) http.push({ what, listener, hostnames, match, route: r.name, rule: i, identity })
          return
        }
        const host = hostnames.find((h) => !listener.hostname || hostMatches(listener.hostname, h)) ?? listener.hostname ?? 'anything.test'
        const kind = r.routeKind === 'TLS' ? 'tls' : r.routeKind === 'TCP' ? 'tcp' : 'udp'
        const over = r.routeKind === 'TLS' ? (listener.mode === 'Terminate' ? 'tcp' : 'tls') : kind === 'udp' ? 'udp' : 'tcp'
        out.push({ what, kind, listener, host, method: '', path: '', headers: {}, expect: { identity, over } })
      })
    }
  }
  for (const g of app.gateways) {
    for (const listener of listeners.filter((l) => l.gateway.name === g.name.toLowerCase())) {
      g.routes.forEach((route, i) => {
        const identity = serviceIdentity(app, route.destination.hostname, route.destination.port)
        if (!identity) throw new Error(`gateway ${g.name}: no container behind ${route.destination.url}`)
        const what = `gateway ${g.name} route ${i} (${route.path ?? 'passthrough'})`
        if (listener.protocol === 'TLS') {
          out.push({ what, kind: 'tls', listener, host: listener.hostname ?? 'anything.test', method: '', path: '', headers: {}, expect: { identity, over: 'tls' } })
          return
        }
        const match: RouteMatch = { headers: [], queryParams: [], ...(route.path ? { path: route.path } : {}) }
        http.push({ what, listener, hostnames: listener.hostname ? [listener.hostname] : [], match, route: g.name, rule: i, identity, ...(route.replacePrefix ? { replacePrefix: route.replacePrefix } : {}) })
      })
    }
  }
  for (const c of http) for (const request of requestsFor(c)) out.push({ ...request, expect: winner(request, http) })
  return out
}

type Request = Omit<Probe, 'expect'>

/** The request a match describes (at its path and one segment below), and one per condition left out. */
function requestsFor(c: Candidate): Request[] {
  const m = c.match
  const host = c.hostnames[0] ?? c.listener.hostname ?? 'anything.test'
  const kind = c.listener.protocol === 'HTTPS' ? 'https' : 'http'
  const base = (over: Partial<{ path: string; method: string; headers: readonly { name: string; value: string }[]; query: readonly { name: string; value: string }[] }>, note: string): Request => {
    const query = over.query ?? m.queryParams
    const qs = query.length ? `?${new URLSearchParams(query.map((q): [string, string] => [q.name, q.value])).toString()}` : ''
    return { what: `${c.what}: ${note}`, kind, listener: c.listener, host, method: over.method ?? m.method ?? 'GET', path: (over.path ?? m.path ?? '/') + qs, headers: Object.fromEntries((over.headers ?? m.headers).map((h) => [h.name, h.value])) }
  }
  const path = m.path ?? '/'
  const out = [base({}, 'as matched'), base({ path: `${path.replace(/\/$/, '')}/deeper` }, 'one segment below')]
  if (m.method) out.push(base({ method: m.method === 'POST' ? 'PUT' : 'POST' }, 'another method'))
  m.headers.forEach((h, i) => out.push(base({ headers: m.headers.filter((_, j) => j !== i) }, `without header ${h.name}`)))
  m.queryParams.forEach((q, i) => out.push(base({ query: m.queryParams.filter((_, j) => j !== i) }, `without query ${q.name}`)))
  if (path !== '/') out.push(base({ path: `${path.replace(/\/$/, '')}x` }, 'a longer segment (no prefix match)'))
  return out
}

function winner(req: Request, candidates: readonly Candidate[]): Probe['expect'] {
  const [path = '/', search = ''] = req.path.split('?')
  const query = new URLSearchParams(search)
  const fits = candidates.filter(
    (c) =>
      c.listener.port === req.listener.port &&
      (c.hostnames.length === 0 || c.hostnames.some((h) => hostMatches(h, req.host))) &&
      prefixMatches(c.match.path ?? '/', path) &&
      (!c.match.method || c.match.method === req.method) &&
      c.match.headers.every((h) => Object.entries(req.headers).some(([k, v]) => k.toLowerCase() === h.name.toLowerCase() && v === h.value)) &&
      c.match.queryParams.every((q) => query.get(q.name) === q.value),
  )
  const score = (c: Candidate) => [-(c.match.path ?? '/').replace(/\/$/, '').length, c.match.method ? 0 : 1, -c.match.headers.length, -c.match.queryParams.length] as const
  fits.sort((a, b) => {
    const [x, y] = [score(a), score(b)]
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
    return a.route.localeCompare(b.route) || a.rule - b.rule
  })
  const best = fits[0]
  if (!best) return null
  return { identity: best.identity, path: best.replacePrefix !== undefined ? replacePrefix(req.path, best.match.path ?? '/', best.replacePrefix) : req.path }
}

/** A path prefix matches whole segments: `/abc` matches `/abc`, `/abc/`, `/abc/def`, not `/abcd`. */
function prefixMatches(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/$/, '')
  return p === '' || path === p || path.startsWith(`${p}/`)
}

/** HTTPRoute URLRewrite ReplacePrefixMatch: `/api/x` with prefix `/api` and replacement `/` is `/x`. */
function replacePrefix(pathAndQuery: string, prefix: string, replacement: string): string {
  const [path = '/', search] = pathAndQuery.split('?')
  const rest = path.slice(prefix.replace(/\/$/, '').length)
  const joined = replacement.endsWith('/') && rest.startsWith('/') ? replacement + rest.slice(1) : replacement + rest
  return (joined || '/') + (search !== undefined ? `?${search}` : '')
}

function hostMatches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : pattern === host
}
