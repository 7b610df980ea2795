/**
 * Applications.Core/gateways: Radius's validation rules with Radius's own error texts
 * (radius:pkg/corerp/frontend/controller/gateways/validator.go and
 * radius:pkg/corerp/renderers/gateway/render.go, see research/radius.md §2).
 */
import { isGatewayHostname, parseGoDuration } from '../util/index.ts'
import type { RawResource } from './load.ts'
import type { ResourceIndex } from './references.ts'
import { arr, isObj, obj, str, type Reporter } from './report.ts'
import { parseResourceId } from './resource-id.ts'
import { serviceName } from './service-name.ts'
import { RESOURCE_TYPES, type Container, type GatewayRoute, type LegacyGateway, type SecretStore } from './types.ts'

type GatewayParts = Pick<LegacyGateway, 'hostname' | 'routes' | 'tls'>

export function readGateway(raw: RawResource, index: ResourceIndex, stores: ReadonlyMap<string, SecretStore>, containers: readonly Container[], reporter: Reporter): GatewayParts {
  const props = obj(raw.value.properties)
  const o = raw.origin
  const tlsIn = isObj(props.tls) ? props.tls : undefined
  const passthrough = tlsIn?.sslPassthrough === true
  const certRef = str(tlsIn?.certificateFrom)
  const minVersion = str(tlsIn?.minimumProtocolVersion)

  if (props.internal !== undefined) {
    reporter.warn('MODEL_IGNORED_FIELD', '"internal" is accepted but has no effect (Radius does not carry it past its API)', o, ['properties', 'internal'], 'key')
  }
  let hostname: GatewayParts['hostname']
  if (isObj(props.hostname)) {
    const prefix = str(props.hostname.prefix) || undefined
    const fqdn = str(props.hostname.fullyQualifiedHostname) || undefined
    if (!prefix && !fqdn) {
      reporter.error('GATEWAY_HOSTNAME_REQUIRED', 'getting hostname failed with error: must provide either prefix or fullyQualifiedHostname if hostname is specified', o, ['properties', 'hostname'])
    }
    if (fqdn && !isGatewayHostname(fqdn, false)) reporter.error('MODEL_INVALID_HOSTNAME', `"${fqdn}" is not a valid fully qualified host name (lower-case RFC 1123 labels)`, o, ['properties', 'hostname', 'fullyQualifiedHostname'])
    if (prefix && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(prefix)) reporter.error('MODEL_INVALID_HOSTNAME', `prefix "${prefix}" must be one lower-case DNS label`, o, ['properties', 'hostname', 'prefix'])
    hostname = { ...(prefix ? { prefix } : {}), ...(fqdn ? { fullyQualifiedHostname: fqdn } : {}) }
  }

  let tls: GatewayParts['tls']
  if (tlsIn) {
    if (passthrough && certRef) {
      reporter.error('GATEWAY_TLS_CONFLICT', 'Only one of $.properties.tls.certificateFrom and $.properties.tls.sslPassthrough can be specified at a time.', o, ['properties', 'tls'])
    }
    if (minVersion && !certRef) {
      reporter.error('GATEWAY_MIN_TLS_REQUIRES_CERT', 'Field $.properties.tls.certificateFrom is required when $.properties.tls.minimumProtocolVersion is set.', o, ['properties', 'tls', 'minimumProtocolVersion'])
    }
    let certificateFrom: string | undefined
    if (certRef) certificateFrom = checkCertificate(certRef, raw, index, stores, reporter)
    tls = { sslPassthrough: passthrough, ...(certificateFrom ? { certificateFrom } : {}), minimumProtocolVersion: minVersion === '1.3' ? '1.3' : '1.2' }
  }

  const routesIn = arr(props.routes)
  if (Array.isArray(props.routes) && routesIn.length < 1) {
    reporter.error('GATEWAY_NO_ROUTES', 'must have at least one route when declaring a Gateway resource', o, ['properties', 'routes'])
  }
  if (passthrough && routesIn.length > 1) {
    reporter.error('GATEWAY_PASSTHROUGH_MULTIPLE_ROUTES', 'cannot support multiple routes with sslPassthrough set to true', o, ['properties', 'routes'])
  }
  const routes: GatewayRoute[] = []
  routesIn.forEach((rv, i) => {
    const route = readGatewayRoute(obj(rv), i, passthrough, raw, containers, reporter)
    if (route) routes.push(route)
  })
  return { ...(hostname ? { hostname } : {}), routes, ...(tls ? { tls } : {}) }
}

function checkCertificate(ref: string, raw: RawResource, index: ResourceIndex, stores: ReadonlyMap<string, SecretStore>, reporter: Reporter): string | undefined {
  const o = raw.origin
  const at = ['properties', 'tls', 'certificateFrom']
  const parsed = ref.startsWith('/') ? parseResourceId(ref) : { name: ref }
  if (!parsed) {
    reporter.error('MODEL_INVALID_RESOURCE_ID', `${JSON.stringify(ref)} is not a valid resource ID (expected /planes/radius/local/resourceGroups/<group>/providers/Applications.Core/secretStores/<name>)`, o, at)
    return undefined
  }
  const id = parsed.name
  const entry = index.get(RESOURCE_TYPES.secretStore, id)
  if (!entry) {
    const other = [...Object.values(RESOURCE_TYPES)].some((t) => index.get(t, id))
    if (other) reporter.error('GATEWAY_CERT_NOT_SECRET_STORE', 'certificateFrom must reference a secretStore resource', o, at)
    else reporter.error('GATEWAY_CERT_NOT_FOUND', `secretStore resource ${ref} not found`, o, at)
    return undefined
  }
  const store = stores.get(id)
  if (!store) return undefined
  if (store.storeType !== 'certificate') {
    reporter.error('GATEWAY_CERT_NOT_CERTIFICATE', 'certificateFrom must reference a secretStore resource with type certificate', o, at)
    return undefined
  }
  for (const key of ['tls.crt', 'tls.key']) {
    if (!(key in store.data)) {
      reporter.error('GATEWAY_CERT_MISSING_KEY', `certificateFrom must reference a secretStore resource with ${key}`, o, at)
      return undefined
    }
  }
  return id
}

function readGatewayRoute(r: Record<string, unknown>, i: number, passthrough: boolean, raw: RawResource, containers: readonly Container[], reporter: Reporter): GatewayRoute | undefined {
  const o = raw.origin
  const at = ['properties', 'routes', i]
  const path = str(r.path)
  const replacePrefix = str(r.replacePrefix)
  if (passthrough && (path || replacePrefix)) {
    reporter.error('GATEWAY_PASSTHROUGH_PATH', 'cannot support `path` or `replacePrefix` in routes with sslPassthrough set to true', o, [...at, path ? 'path' : 'replacePrefix'], 'key')
  } else if (!passthrough && r.path === undefined) {
    reporter.error('MODEL_REQUIRED_FIELD', 'missing required field "path" (it may be left out only when tls.sslPassthrough is true)', o, at)
  }
  if (path && !path.startsWith('/')) reporter.error('MODEL_INVALID_PATH', `path "${path}" must start with "/"`, o, [...at, 'path'])
  if (replacePrefix && !replacePrefix.startsWith('/')) reporter.error('MODEL_INVALID_PATH', `replacePrefix "${replacePrefix}" must start with "/"`, o, [...at, 'replacePrefix'])

  const timeoutPolicy = readTimeouts(r.timeoutPolicy, raw, [...at, 'timeoutPolicy'], reporter)
  const destination = str(r.destination)
  if (destination === undefined) {
    if (r.destination === undefined) reporter.error('MODEL_REQUIRED_FIELD', 'missing required field "destination" (a URL such as http://backend:80)', o, at)
    return undefined
  }
  const dest = parseDestination(destination)
  if (typeof dest === 'string') {
    reporter.error('GATEWAY_INVALID_DESTINATION', dest, o, [...at, 'destination'])
    return undefined
  }
  checkDestinationHost(dest.hostname, dest.port, containers, raw, [...at, 'destination'], reporter)
  return {
    ...(path ? { path } : {}),
    destination: { url: destination, ...dest },
    ...(replacePrefix ? { replacePrefix } : {}),
    enableWebsockets: r.enableWebsockets === true,
    ...(timeoutPolicy ? { timeoutPolicy } : {}),
  }
}

/** Radius's parseURL: explicit port, else 80 for http and 443 for https; Go's texts on failure. */
function parseDestination(destination: string): { scheme: string; hostname: string; port: number } | string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d*))?(?:[/?#].*)?$/.exec(destination)
  if (!m) return `destination "${destination}" is not a URL of the form [scheme]://[serviceName]:[port], e.g. http://backend:80`
  const scheme = m[1]!.toLowerCase()
  let port: number
  if (m[3]) port = Number(m[3])
  else if (scheme === 'http') port = 80
  else if (scheme === 'https') port = 443
  else return `strconv.Atoi: parsing "": invalid syntax (destination "${destination}" needs a port for scheme ${scheme})`
  if (port > 65535) return `port ${port} is out of range`
  return { scheme, hostname: m[2]!.toLowerCase(), port }
}

/**
 * A destination host usually names a container's Service. When it does, the port must be one the
 * Service exposes; when it names nothing in the app, it may be an outside service, so that is a
 * warning, not an error.
 */
function checkDestinationHost(host: string, port: number, containers: readonly Container[], raw: RawResource, at: (string | number)[], reporter: Reporter): void {
  for (const c of containers) {
    for (const [cname, spec] of Object.entries(c.containers)) {
      if (serviceName(c, cname) !== host) continue
      const ports = Object.values(spec.ports).filter((p) => p.protocol === 'TCP')
      if (!ports.some((p) => p.port === port)) {
        const exposed = ports.map((p) => p.port).join(', ') || 'no TCP ports'
        reporter.error('MODEL_PORT_NOT_EXPOSED', `container "${c.name}" does not expose port ${port} (its Service exposes ${exposed})`, raw.origin, at)
      }
      return
    }
  }
  reporter.warn('MODEL_UNRESOLVED_REFERENCE', `destination host "${host}" names no container in the app; traffic will be sent to "${host}" as given`, raw.origin, at)
}

function readTimeouts(v: unknown, raw: RawResource, at: (string | number)[], reporter: Reporter): GatewayRoute['timeoutPolicy'] {
  if (!isObj(v)) return undefined
  const o = raw.origin
  const request = str(v.request)
  const backend = str(v.backendRequest)
  const requestMs = request ? parseGoDuration(request) : undefined
  const backendMs = backend ? parseGoDuration(backend) : requestMs
  // Values that break the schema's pattern were reported by the schema check; these are the
  // render-time rules, where an empty request timeout also fails (time.ParseDuration("")).
  if (!request) {
    reporter.error('GATEWAY_INVALID_TIMEOUT', 'invalid request timeout duration', o, [...at, 'request'])
    return undefined
  }
  if (requestMs === undefined || backendMs === undefined) return undefined
  if (requestMs < backendMs) {
    reporter.error('GATEWAY_INVALID_TIMEOUT', 'request timeout must be greater than or equal to backend request timeout', o, [...at, 'backendRequest'])
    return undefined
  }
  return { requestMs, backendRequestMs: backendMs }
}
