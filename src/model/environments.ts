import { isGatewayHostname } from '../util/index.ts'
import type { RawResource } from './load.ts'
import { hostnameProblem } from './routes.ts'
import { arr, isObj, num, obj, opt, str, type Reporter } from './report.ts'
import type { CertificateSource, Container, Environment, LocalRun, ParentRef } from './types.ts'

type EnvironmentParts = Pick<Environment, 'namespace' | 'routes' | 'gateways' | 'certificates' | 'local'>

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/

/**
 * Reads the platform engineer's environment. `containers` is the app's, when the app was given in
 * the same run, so `local` entries can be checked against it.
 */
export function readEnvironment(raw: RawResource, containers: readonly Container[] | undefined, reporter: Reporter): EnvironmentParts {
  const props = obj(raw.value.properties)
  const o = raw.origin
  const namespace = str(obj(obj(props.providers).kubernetes).namespace) ?? 'default'

  const params = obj(obj(props.recipeParameters)['Radius.Compute/routes'])
  const paramsAt = ['properties', 'recipeParameters', 'Radius.Compute/routes']
  let parentRef: ParentRef | undefined
  if (isObj(params.parentRef)) {
    if (params.gatewayName !== undefined || params.gatewayNamespace !== undefined) {
      reporter.error('ENV_INVALID_PARENT_REF', 'give "parentRef" (the design note’s parameter) or "gatewayName"/"gatewayNamespace" (the shipped recipe’s), not both', o, [...paramsAt, 'parentRef'], 'key')
    }
    const p = params.parentRef
    const name = str(p.name)
    if (name) parentRef = { name, ...opt('namespace', str(p.namespace)), ...opt('sectionName', str(p.sectionName)), ...opt('port', num(p.port)) }
  } else if (str(params.gatewayName)) {
    parentRef = { name: str(params.gatewayName)!, ...opt('namespace', str(params.gatewayNamespace)) }
  } else if (params.gatewayNamespace !== undefined) {
    reporter.error('ENV_INVALID_PARENT_REF', '"gatewayNamespace" is given without "gatewayName"', o, [...paramsAt, 'gatewayNamespace'], 'key')
  }
  const hostnames: string[] = []
  arr(params.hostnames).forEach((h, i) => {
    if (typeof h !== 'string') return
    if (!isGatewayHostname(h)) reporter.error('MODEL_INVALID_HOSTNAME', hostnameProblem(h), o, [...paramsAt, 'hostnames', i])
    hostnames.push(h)
  })

  const certificates: Record<string, CertificateSource> = {}
  for (const [name, cv] of Object.entries(obj(props.certificates))) {
    const c = obj(cv)
    const at = ['properties', 'certificates', name]
    const sources = [c.certFile !== undefined || c.keyFile !== undefined, c.cert !== undefined || c.key !== undefined, c.localCA === true].filter(Boolean).length
    if (sources !== 1) {
      reporter.error(sources === 0 ? 'MODEL_REQUIRED_FIELD' : 'MODEL_CONFLICTING_FIELDS', 'give exactly one of: certFile and keyFile, cert and key (PEM), or localCA: true', o, at)
    } else if ((c.certFile !== undefined) !== (c.keyFile !== undefined) || (c.cert !== undefined) !== (c.key !== undefined)) {
      reporter.error('MODEL_REQUIRED_FIELD', 'a certificate needs both halves: certFile with keyFile, or cert with key', o, at)
    }
    certificates[name] = {
      localCA: c.localCA === true,
      ...opt('namespace', str(c.namespace)),
      ...opt('certFile', str(c.certFile)),
      ...opt('keyFile', str(c.keyFile)),
      ...opt('cert', str(c.cert)),
      ...opt('key', str(c.key)),
    }
  }

  const local: Record<string, LocalRun> = {}
  for (const [name, lv] of Object.entries(obj(props.local))) {
    const run = readLocal(name, obj(lv), raw, containers, reporter)
    if (run) local[name] = run
  }
  return { namespace, routes: { hostnames, ...(parentRef ? { parentRef } : {}) }, gateways: arr(props.gateways).filter(isObj), certificates, local }
}

function readLocal(name: string, l: Record<string, unknown>, raw: RawResource, containers: readonly Container[] | undefined, reporter: Reporter): LocalRun | undefined {
  const o = raw.origin
  const at = ['properties', 'local', name]
  const [resource, containerName] = name.split('/', 2) as [string, string | undefined]
  if (containers) {
    const c = containers.find((x) => x.name === resource)
    if (!c || (containerName !== undefined && !(containerName in c.containers))) {
      const known = containers.flatMap((x) => (x.single ? [x.name] : Object.keys(x.containers).map((k) => `${x.name}/${k}`)))
      reporter.error('ENV_UNKNOWN_LOCAL_CONTAINER', `"${name}" names no container in the app; it has: ${known.join(', ') || 'none'}`, o, at, 'key')
    }
  }
  const given = (['command', 'address', 'addresses', 'standIn'] as const).filter((k) => l[k] !== undefined)
  if (given.length !== 1) {
    reporter.error('ENV_INVALID_LOCAL', `give exactly one of command, address, addresses or standIn (got ${given.join(', ') || 'none'})`, o, at)
    return undefined
  }
  switch (given[0]) {
    case 'command': {
      const command = Array.isArray(l.command) ? l.command.filter((s): s is string => typeof s === 'string') : (str(l.command) ?? '')
      const env = Object.fromEntries(Object.entries(obj(l.env)).filter((e): e is [string, string] => typeof e[1] === 'string'))
      return { kind: 'command', command, env, ...opt('cwd', str(l.cwd)), ...localPorts(l) }
    }
    case 'address':
    case 'addresses': {
      const addresses: Record<string, string> = given[0] === 'address' ? { '*': str(l.address) ?? '' } : (obj(l.addresses) as Record<string, string>)
      for (const [port, addr] of Object.entries(addresses)) {
        if (typeof addr !== 'string' || !HOST_PORT.test(addr) || Number(HOST_PORT.exec(addr)![2]) > 65535) {
          reporter.error('ENV_INVALID_LOCAL', `address ${JSON.stringify(addr)} must be host:port, e.g. 127.0.0.1:8080`, o, given[0] === 'address' ? [...at, 'address'] : [...at, 'addresses', port])
        }
      }
      return { kind: 'address', addresses }
    }
    default:
      return { kind: 'standIn', ...localPorts(l) }
  }
}

/** `ports: {<port name>: <local port>}`, when given (the schema checks the numbers). */
function localPorts(l: Record<string, unknown>): { ports?: Record<string, number> } {
  if (!isObj(l.ports)) return {}
  return { ports: Object.fromEntries(Object.entries(l.ports).filter((e): e is [string, number] => Number.isInteger(e[1]))) }
}
