import { isGatewayHostname } from '../util/index.ts'
import type { RawResource } from './load.ts'
import type { ResourceIndex } from './references.ts'
import { arr, isObj, num, obj, str, type Origin, type PathSeg, type Reporter } from './report.ts'
import { CONTAINER_TYPES } from './resource-types.ts'
import { ROUTE_KINDS, type Container, type Destination, type HTTPMethod, type NameValue, type Protocol, type RouteKind, type RouteMatch, type RouteRule } from './types.ts'

/** An HTTP field name (RFC 9110 §5.1: a token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** What a route's rules and hostnames say, checked against the containers they send traffic to. */
export interface RouteParts {
  readonly routeKind: RouteKind
  readonly hostnames: string[]
  readonly rules: RouteRule[]
}

export function readRoute(raw: RawResource, index: ResourceIndex, containers: ReadonlyMap<string, Container>, reporter: Reporter): RouteParts {
  const props = obj(raw.value.properties)
  const origin = raw.origin
  const kind = props.kind === undefined ? 'HTTP' : (ROUTE_KINDS as readonly unknown[]).includes(props.kind) ? (props.kind as RouteKind) : undefined
  const hostnames: string[] = []
  arr(props.hostnames).forEach((h, i) => {
    if (typeof h !== 'string') return
    if (kind === 'TCP' || kind === 'UDP') return
    if (!isGatewayHostname(h)) reporter.error('MODEL_INVALID_HOSTNAME', hostnameProblem(h), origin, ['properties', 'hostnames', i])
    hostnames.push(h)
  })
  if ((kind === 'TCP' || kind === 'UDP') && arr(props.hostnames).length > 0) {
    reporter.error('MODEL_HOSTNAMES_NOT_ALLOWED', `a ${kind} route cannot match on hostnames; only HTTP (Host header) and TLS (SNI) routes can`, origin, ['properties', 'hostnames'], 'key')
  }
  const rules: RouteRule[] = []
  arr(props.rules).forEach((rv, i) => {
    const at: PathSeg[] = ['properties', 'rules', i]
    const r = obj(rv)
    const matchValues = r.matches === undefined ? [{}] : arr(r.matches)
    const matches = matchValues.map((m, j) => readMatch(m, kind, origin, [...at, 'matches', j], reporter))
    const destination = readDestination(r, kind, origin, at, index, containers, reporter)
    if (destination) rules.push({ matches, destination })
  })
  return { routeKind: kind ?? 'HTTP', hostnames, rules }
}

/** Why `h` is not a Gateway API hostname, in words a user can act on. */
export function hostnameProblem(h: string): string {
  if (h !== h.toLowerCase()) return `hostname "${h}" must be lower case (Gateway API hostnames are RFC 1123 names); write "${h.toLowerCase()}"`
  if (/^\d+(\.\d+){3}$/.test(h)) return `hostname "${h}" is an IP address; routes match DNS names only`
  if (h.includes('*') && !/^\*\.[^*]+$/.test(h)) return `hostname "${h}": a wildcard must be a whole leading label, as in *.example.com`
  return `hostname "${h}" is not a valid DNS name (RFC 1123 labels of letters, digits and hyphens, separated by dots)`
}

function readMatch(v: unknown, kind: RouteKind | undefined, origin: Origin, at: readonly PathSeg[], reporter: Reporter): RouteMatch {
  const m = obj(v)
  const pick = (a: string, b: string): [string, unknown] | undefined => {
    if (m[a] !== undefined && m[b] !== undefined) {
      reporter.error('MODEL_CONFLICTING_FIELDS', `give "${a}" or "${b}" (two spellings of one field), not both`, origin, [...at, b], 'key')
    }
    return m[a] !== undefined ? [a, m[a]] : m[b] !== undefined ? [b, m[b]] : undefined
  }
  const path = pick('path', 'httpPath')
  const query = pick('queryParams', 'httpQueryParams')
  const httpOnly: [string, unknown][] = [path, query, m.httpHeaders !== undefined ? ['httpHeaders', m.httpHeaders] : undefined, m.httpMethod !== undefined ? ['httpMethod', m.httpMethod] : undefined].filter(
    (x): x is [string, unknown] => x !== undefined,
  )
  if (kind !== undefined && kind !== 'HTTP') {
    // TLS routes match on SNI (the hostnames) alone; TCP and UDP routes match every connection
    // on their listener (Gateway API TLSRoute/TCPRoute/UDPRoute have no per-request matches).
    for (const [field] of httpOnly) {
      reporter.error('MODEL_MATCH_NOT_ALLOWED', `"${field}" matches only HTTP requests; a ${kind} route ${kind === 'TLS' ? 'matches by hostnames (SNI) only' : 'takes no matches'}`, origin, [...at, field], 'key')
    }
    return { headers: [], queryParams: [] }
  }
  const out: { path?: string; method?: HTTPMethod; headers: NameValue[]; queryParams: NameValue[] } = { headers: [], queryParams: [] }
  if (path && typeof path[1] === 'string') {
    const p = path[1]
    if (!p.startsWith('/')) reporter.error('MODEL_INVALID_PATH', `path "${p}" must start with "/"`, origin, [...at, path[0]])
    else if (/[\s?#]/.test(p) || /%(?![0-9A-Fa-f]{2})/.test(p)) reporter.error('MODEL_INVALID_PATH', `path "${p}" may not contain spaces, "?", "#" or a bare "%"`, origin, [...at, path[0]])
    // "Trailing space is ignored" in the design note means a trailing slash: /abc/ matches as /abc.
    out.path = p.length > 1 ? p.replace(/\/+$/, '') || '/' : p
  }
  if (typeof m.httpMethod === 'string') out.method = m.httpMethod as HTTPMethod
  out.headers = readNameValues(m.httpHeaders, origin, [...at, 'httpHeaders'], reporter, 'header')
  if (query) out.queryParams = readNameValues(query[1], origin, [...at, query[0]], reporter, 'query')
  return out
}

function readNameValues(v: unknown, origin: Origin, at: readonly PathSeg[], reporter: Reporter, what: 'header' | 'query'): NameValue[] {
  const out: NameValue[] = []
  arr(v).forEach((e, i) => {
    const name = str(obj(e).name)
    const value = str(obj(e).value)
    if (name === undefined || value === undefined) return
    if (what === 'header' && !HEADER_NAME.test(name)) reporter.error('MODEL_INVALID_VALUE', `"${name}" is not a valid HTTP header name`, origin, [...at, i, 'name'])
    out.push({ name, value })
  })
  return out
}

function readDestination(
  r: Record<string, unknown>,
  kind: RouteKind | undefined,
  origin: Origin,
  at: readonly PathSeg[],
  index: ResourceIndex,
  containers: ReadonlyMap<string, Container>,
  reporter: Reporter,
): Destination | undefined {
  if (r.destinationContainerId !== undefined && r.destinationContainer !== undefined) {
    reporter.error('MODEL_CONFLICTING_FIELDS', 'give "destinationContainerId" or "destinationContainer", not both', origin, [...at, 'destinationContainer'], 'key')
    return undefined
  }
  const dc = isObj(r.destinationContainer) ? r.destinationContainer : undefined
  const ref = str(r.destinationContainerId) ?? str(dc?.resourceId)
  const refAt = dc ? [...at, 'destinationContainer', 'resourceId'] : [...at, 'destinationContainerId']
  if (ref === undefined) {
    if (r.destinationContainerId === undefined && r.destinationContainer === undefined) {
      reporter.error('MODEL_REQUIRED_FIELD', 'missing the destination: give "destinationContainerId" (a container resource) or "destinationContainer" {resourceId, containerName, containerPort}', origin, at)
    }
    return undefined
  }
  const entry = index.resolve(ref, CONTAINER_TYPES, 'destination container', origin, refAt, reporter)
  const container = entry ? containers.get(entry.name) : undefined
  if (!container) return undefined
  const protocol: Protocol = kind === 'UDP' ? 'UDP' : 'TCP'
  const wantName = str(dc?.containerName)
  const wantPort = num(dc?.containerPort)
  let names = Object.keys(container.containers)
  if (wantName !== undefined) {
    if (!(wantName in container.containers)) {
      reporter.error('MODEL_UNRESOLVED_REFERENCE', `container resource "${container.name}" has no container named "${wantName}"; it has: ${names.join(', ') || 'none'}`, origin, [...at, 'destinationContainer', 'containerName'])
      return undefined
    }
    names = [wantName]
  }
  const candidates = names.flatMap((cn) => Object.entries(container.containers[cn]!.ports).map(([portName, p]) => ({ cn, portName, p })))
  const exposed = candidates.map((c) => `${c.portName} ${c.p.containerPort}/${c.p.protocol}`).join(', ') || 'no ports'
  const fitting = candidates.filter((c) => c.p.protocol === protocol && (wantPort === undefined || c.p.containerPort === wantPort))
  const portAt = wantPort !== undefined ? [...at, 'destinationContainer', 'containerPort'] : refAt
  if (fitting.length === 0) {
    const what = wantPort !== undefined ? `port ${wantPort}/${protocol}` : `a ${protocol} port`
    reporter.error('MODEL_PORT_NOT_EXPOSED', `container "${container.name}" does not expose ${what} for this ${kind ?? 'HTTP'} route (it exposes ${exposed})`, origin, portAt)
    return undefined
  }
  if (fitting.length > 1) {
    reporter.error(
      'MODEL_AMBIGUOUS_DESTINATION',
      `container "${container.name}" exposes several ${protocol} ports (${fitting.map((c) => `${c.cn}/${c.portName} ${c.p.containerPort}`).join(', ')}); say which with destinationContainer {resourceId, containerName, containerPort}`,
      origin,
      refAt,
    )
    return undefined
  }
  const { cn, portName, p } = fitting[0]!
  return { resource: container.name, containerName: cn, portName, containerPort: p.containerPort, protocol }
}
