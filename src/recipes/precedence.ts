import type { App, Destination, Route, RouteMatch } from '../model/index.ts'
import { k8sName } from '../util/index.ts'
import { legacyOrigin } from './legacy-routes.ts'
import { listenerFor, routeHostnames, type PlatformListener } from './listeners.ts'

/** One (rule, match) pair of an HTTP route: the unit platforms with ordered rules evaluate. */
export interface FlatMatch {
  readonly route: Route
  readonly ruleIndex: number
  readonly matchIndex: number
  readonly match: RouteMatch
  readonly destination: Destination
}

/** The matches a request for one hostname is routed by, in precedence order. */
export interface HostGroup {
  /** A hostname, a `*.` wildcard, or null for routes without hostnames (any host). */
  readonly hostname: string | null
  readonly matches: readonly FlatMatch[]
}

/** The HTTP routes on one listener port, grouped by hostname, most specific hostname first. */
export interface HttpListenerPlan {
  readonly listener: PlatformListener
  /** Every route on the port with the listener it attached to, in app order: their TLS settings must agree. */
  readonly members: readonly { readonly route: Route; readonly listener: PlatformListener }[]
  readonly groups: readonly HostGroup[]
}

/**
 * Orders two matches; negative when `a` takes precedence (gateway-api.md §3.3). The model has only
 * PathPrefix paths: the longer prefix; a method over none; more header matches; more query
 * matches; then the Route first by name (rendered together, every Route is equally old, so the
 * creationTimestamp step ties), then rule order, then match order.
 */
export function compareMatches(a: FlatMatch, b: FlatMatch): number {
  const pa = (a.match.path ?? '/').length
  const pb = (b.match.path ?? '/').length
  if (pa !== pb) return pb - pa
  const ma = a.match.method ? 1 : 0
  const mb = b.match.method ? 1 : 0
  if (ma !== mb) return mb - ma
  if (a.match.headers.length !== b.match.headers.length) return b.match.headers.length - a.match.headers.length
  if (a.match.queryParams.length !== b.match.queryParams.length) return b.match.queryParams.length - a.match.queryParams.length
  const ra = k8sName(a.route.name)
  const rb = k8sName(b.route.name)
  if (ra !== rb) return ra < rb ? -1 : 1
  return a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex
}

/**
 * Orders hostnames by Gateway API specificity (gateway-api.md §3.2, §4.3): exact names first, then
 * wildcards with the longer suffix, then the hostname-less catch-all. A request is routed by the
 * most specific group that matches its host alone; it does not fall through to a less specific one.
 */
export function compareHostnames(a: string | null, b: string | null): number {
  const rank = (h: string | null) => (h === null ? 2 : h.startsWith('*.') ? 1 : 0)
  return rank(a) - rank(b) || (b?.length ?? 0) - (a?.length ?? 0) || (a ?? '').localeCompare(b ?? '')
}

/** Whether a request for `host` (an exact name or wildcard of a more specific group) also matches `group`. */
export function groupCovers(group: string | null, host: string): boolean {
  if (group === null) return true
  if (!group.startsWith('*.')) return false
  const suffix = group.slice(1)
  return host.endsWith(suffix) && host.length > suffix.length && host !== group
}

/** Every (rule, match) of a route, in written order. */
export function flatten(route: Route): FlatMatch[] {
  return route.rules.flatMap((rule, ruleIndex) => rule.matches.map((match, matchIndex) => ({ route, ruleIndex, matchIndex, match, destination: rule.destination })))
}

/**
 * Plans the app's HTTP routes per listener port: each hostname group holds every match of every
 * route serving that hostname (a route without hostnames serves the catch-all group), sorted by
 * match precedence, and groups are sorted most specific first.
 */
export function planHttp(app: App): HttpListenerPlan[] {
  type Slot = { listener: PlatformListener; members: { route: Route; listener: PlatformListener }[]; hosts: Map<string | null, FlatMatch[]> }
  const byPort = new Map<number, Slot>()
  for (const route of app.routes) {
    if (route.routeKind !== 'HTTP') continue
    const listener = listenerFor(app, route)
    const slot: Slot = byPort.get(listener.port) ?? { listener, members: [], hosts: new Map() }
    slot.members.push({ route, listener })
    byPort.set(listener.port, slot)
    const own = routeHostnames(app, route)
    const hostnames = own.length ? own : listener.hostname ? [listener.hostname] : [null]
    for (const h of hostnames) slot.hosts.set(h, [...(slot.hosts.get(h) ?? []), ...flatten(route)])
  }
  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { listener, members, hosts }]) => ({
      listener,
      members,
      groups: [...hosts.entries()].sort(([a], [b]) => compareHostnames(a, b)).map(([hostname, matches]) => ({ hostname, matches: [...matches].sort(compareMatches) })),
    }))
}

/** A match as rule descriptions name it: `shop rules[1].matches[0]`, or `gateway public routes[1]`. */
export function matchName(m: FlatMatch): string {
  const legacy = legacyOrigin(m.route)
  return legacy ? `gateway ${m.route.name} routes[${legacy.routeIndex[m.ruleIndex]}]` : `${m.route.name} rules[${m.ruleIndex}].matches[${m.matchIndex}]`
}

/** A match's words for identifiers: `shop rule 1 match 0`, or `public gateway route 1`. */
export function matchIdParts(m: FlatMatch): (string | number)[] {
  const legacy = legacyOrigin(m.route)
  return legacy ? [m.route.name, 'gateway', 'route', legacy.routeIndex[m.ruleIndex]!] : [m.route.name, 'rule', m.ruleIndex, 'match', m.matchIndex]
}

/**
 * For platforms that reach an app on one port (Container Apps route configs, Cloud Run), the port
 * each container resource is reached on: the first HTTP route rule naming it, in written order.
 */
export function firstHttpDestinations(app: App): Map<string, Destination> {
  const first = new Map<string, Destination>()
  for (const route of app.routes) if (route.routeKind === 'HTTP') for (const rule of route.rules) if (!first.has(rule.destination.resource)) first.set(rule.destination.resource, rule.destination)
  return first
}
