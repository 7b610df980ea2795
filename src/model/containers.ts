import type { RawResource } from './load.ts'
import type { ResourceIndex } from './references.ts'
import { isObj, num, obj, str, type Origin, type PathSeg, type Reporter } from './report.ts'
import type { Connection, ContainerSpec, EnvValue, Port, Protocol } from './types.ts'

/** Port names become Service port names: DNS labels once lower-cased (Radius lower-cases them). */
const PORT_NAME = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/

/** Reads one container spec: ports with Radius's defaults, env in either form. */
export function readContainerSpec(v: unknown, origin: Origin, path: readonly PathSeg[], reporter: Reporter): ContainerSpec {
  const c = obj(v)
  const ports: Record<string, Port> = {}
  const seen = new Map<string, string>()
  for (const [name, pv] of Object.entries(obj(c.ports))) {
    const p = obj(pv)
    const at = [...path, 'ports', name]
    if (!PORT_NAME.test(name) || name.length > 63) {
      reporter.error('MODEL_INVALID_NAME', `port name "${name}" must be letters, digits and hyphens, starting and ending with a letter or digit (it becomes a Service port name)`, origin, at, 'key')
    }
    const containerPort = num(p.containerPort)
    if (containerPort === undefined) continue
    if (containerPort === 0) {
      // Radius's own text (radius:pkg/corerp/renderers/container/render.go).
      reporter.error('CONTAINER_PORT_ZERO', 'invalid ports definition: must define a ContainerPort, but ContainerPort is: 0.', origin, [...at, 'containerPort'])
      continue
    }
    const protocol: Protocol = p.protocol === 'UDP' ? 'UDP' : 'TCP'
    const key = `${containerPort}/${protocol}`
    const twin = seen.get(key)
    if (twin !== undefined) {
      reporter.error('MODEL_INVALID_VALUE', `ports "${twin}" and "${name}" both declare ${key}; a port and protocol can be declared once`, origin, [...at, 'containerPort'])
    }
    seen.set(key, name)
    ports[name] = { containerPort, protocol, port: num(p.port) ?? containerPort, ...(str(p.scheme) ? { scheme: str(p.scheme) } : {}) }
  }
  const env: Record<string, EnvValue> = {}
  for (const [name, ev] of Object.entries(obj(c.env))) {
    if (typeof ev === 'string') env[name] = { value: ev }
    else if (isObj(ev)) {
      const ref = obj(obj(ev.valueFrom).secretRef)
      const keyRef = obj(obj(ev.valueFrom).secretKeyRef)
      const source = str(ref.source) ?? str(keyRef.secretName)
      const key = str(ref.key) ?? str(keyRef.key)
      env[name] = { ...(str(ev.value) !== undefined ? { value: str(ev.value) } : {}), ...(source && key ? { secretRef: { source, key } } : {}) }
    }
  }
  const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : undefined)
  const command = strings(c.command)
  const args = strings(c.args)
  return {
    image: str(c.image) ?? '',
    ports,
    env,
    ...(command ? { command } : {}),
    ...(args ? { args } : {}),
    ...(str(c.workingDir) ? { workingDir: str(c.workingDir) } : {}),
  }
}

/**
 * Reads a connection's `source`: a URL with an explicit port, or a resource (by name or ID).
 * Radius's texts: `invalid source: %s. Must be either a URL or a valid resourceID` and
 * `failed to parse source URL: …` (a URL must carry its port, as Go's net.SplitHostPort demands).
 */
export function readConnection(v: unknown, origin: Origin, path: readonly PathSeg[], index: ResourceIndex, reporter: Reporter): Connection | undefined {
  const c = obj(v)
  const source = str(c.source)
  if (source === undefined) return undefined
  const at = [...path, 'source']
  const disableDefaultEnvVars = c.disableDefaultEnvVars === true
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(source)) {
    let url: URL
    try {
      url = new URL(source)
    } catch {
      reporter.error('CONTAINER_INVALID_CONNECTION_SOURCE', `invalid source: ${source}. Must be either a URL or a valid resourceID`, origin, at)
      return undefined
    }
    const explicitPort = /^[^:]+:\/\/(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/]*):(\d+)/.exec(source)?.[1]
    if (!url.hostname || explicitPort === undefined) {
      reporter.error('CONTAINER_INVALID_CONNECTION_SOURCE', `failed to parse source URL: address ${url.host || source}: missing port in address`, origin, at)
      return undefined
    }
    return { source: { kind: 'url', url: source, scheme: url.protocol.slice(0, -1), hostname: url.hostname, port: Number(explicitPort) }, disableDefaultEnvVars }
  }
  if (!source.startsWith('/') && !/^[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?$/.test(source)) {
    reporter.error('CONTAINER_INVALID_CONNECTION_SOURCE', `invalid source: ${source}. Must be either a URL or a valid resourceID`, origin, at)
    return undefined
  }
  const anyType = ['Radius.Compute/containers', 'Applications.Core/containers', 'Applications.Core/gateways', 'Radius.Compute/routes', 'Applications.Core/secretStores'] as const
  const target = index.resolve(source, anyType, 'connection source', origin, at, reporter)
  return target ? { source: { kind: 'resource', name: target.name, type: target.type }, disableDefaultEnvVars } : undefined
}

/** Reads a container resource's containers: the `containers` map, or one `container`. */
export function readContainers(raw: RawResource, legacy: boolean, reporter: Reporter): { containers: Record<string, ContainerSpec>; single: boolean } {
  const props = obj(raw.value.properties)
  const name = str(raw.value.name) ?? ''
  const containers: Record<string, ContainerSpec> = {}
  if (!legacy && props.container !== undefined && props.containers !== undefined) {
    reporter.error('MODEL_CONFLICTING_FIELDS', 'give either "container" (one container) or "containers" (a map by name), not both', raw.origin, ['properties', 'containers'], 'key')
  }
  if (legacy || props.container !== undefined) {
    if (isObj(props.container)) containers[name] = readContainerSpec(props.container, raw.origin, ['properties', 'container'], reporter)
    return { containers, single: true }
  }
  if (props.containers === undefined) {
    reporter.error('MODEL_REQUIRED_FIELD', 'missing required field "containers" (or "container" for a single container)', raw.origin, ['properties'])
  }
  for (const [cname, spec] of Object.entries(obj(props.containers))) {
    containers[cname] = readContainerSpec(spec, raw.origin, ['properties', 'containers', cname], reporter)
  }
  return { containers, single: false }
}
