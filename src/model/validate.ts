import { sortDiagnostics, type Diagnostic } from '../diag/index.ts'
import { didYouMean } from '../util/index.ts'
import { readContainers, readConnection } from './containers.ts'
import { readEnvironment } from './environments.ts'
import { readGateway } from './gateways.ts'
import { loadResources, type RawResource, type SourceFile } from './load.ts'
import { ResourceIndex } from './references.ts'
import { isObj, obj, opt, Reporter, str } from './report.ts'
import { API_VERSIONS, APP_SCOPED } from './resource-types.ts'
import { readRoute } from './routes.ts'
import { checkSchema } from './schema-check.ts'
import { readSecretStore } from './secret-stores.ts'
import { RESOURCE_TYPES, type App, type Application, type Connection, type Container, type Environment, type LegacyGateway, type ResourceTypeName, type Route, type SecretStore } from './types.ts'

export interface ValidateResult {
  /** The app, when there are no errors (warnings allowed). */
  readonly app?: App
  readonly diagnostics: readonly Diagnostic[]
}

const KNOWN_TYPES = Object.values(RESOURCE_TYPES) as ResourceTypeName[]

/**
 * Parses and validates app files (and an environment, if one is among them) in two layers: each
 * resource against its type's JSON Schema, then the semantic rules (references, ports, Radius's
 * gateway and secret-store rules). Every problem is reported, not only the first; semantic checks
 * run even on resources with schema errors and skip only what is malformed.
 */
export function validateApp(files: readonly SourceFile[]): ValidateResult {
  const loaded = loadResources(files)
  const reporter = new Reporter()
  reporter.diagnostics.push(...loaded.diagnostics)
  const index = new ResourceIndex()
  const typed: { type: ResourceTypeName; version: string; raw: RawResource }[] = []
  const lowered = new Map<string, RawResource>()

  for (const raw of loaded.resources) {
    const type = readType(raw, reporter)
    if (!type) continue
    const value = leniently(type.type, raw, reporter)
    const resource = { ...raw, value }
    checkSchema(type.type, resource, reporter)
    typed.push({ ...type, raw: resource })
    const name = str(value.name)
    if (name === undefined) continue
    // Both kinds of container share one namespace: a route names either by its name alone.
    const key = type.type === RESOURCE_TYPES.legacyContainer ? RESOURCE_TYPES.container : type.type
    const twin = index.add({ type: key, name, raw: resource })
    if (twin) reporter.error('MODEL_DUPLICATE_NAME', `another ${key} is already named "${name}" (${where(twin.raw)})`, raw.origin, ['name'])
    else if (key !== type.type) index.add({ type: type.type, name, raw: resource })
    // Radius lower-cases names for Kubernetes objects (NormalizeResourceName), so names that differ
    // only in case would render to one Deployment, Service or Route.
    const folded = `${key}/${name.toLowerCase()}`
    const caseTwin = !twin && lowered.get(folded)
    if (caseTwin) reporter.error('MODEL_DUPLICATE_NAME', `"${name}" and "${str(caseTwin.value.name)}" (${where(caseTwin)}) differ only in case, and Kubernetes names are lower case: both would become "${name.toLowerCase()}"`, raw.origin, ['name'])
    else if (!lowered.has(folded)) lowered.set(folded, resource)
  }
  if (loaded.resources.length === 0 && loaded.diagnostics.length === 0) {
    reporter.diagnostics.push({ code: 'INPUT_EMPTY', severity: 'error', message: 'no resources found in the files given', path: '' })
  }

  const of = (t: ResourceTypeName) => typed.filter((r) => r.type === t)
  const base = (r: (typeof typed)[number]) => ({
    type: r.type,
    apiVersion: r.version,
    name: str(r.raw.value.name) ?? '',
    source: r.raw.origin.doc.locate(r.raw.origin.base),
  })

  const applications: Application[] = of(RESOURCE_TYPES.application).map((r) => ({ ...base(r), kind: 'application', ...opt('environment', str(obj(r.raw.value.properties).environment)) }))
  if (applications.length > 1) {
    for (const r of of(RESOURCE_TYPES.application).slice(1)) reporter.error('MODEL_DUPLICATE_NAME', `an app is one Applications.Core/applications resource; "${applications[0]!.name}" is already declared`, r.raw.origin, ['name'])
  }
  checkApplicationRefs(typed, applications, index, reporter)

  const containers: Container[] = [...of(RESOURCE_TYPES.container), ...of(RESOURCE_TYPES.legacyContainer)].map((r) => {
    const legacy = r.type === RESOURCE_TYPES.legacyContainer
    const { containers: specs, single } = readContainers(r.raw, legacy, reporter)
    const connections: Record<string, Connection> = {}
    for (const [name, cv] of Object.entries(obj(obj(r.raw.value.properties).connections))) {
      const c = readConnection(cv, r.raw.origin, ['properties', 'connections', name], index, reporter)
      if (c) connections[name] = c
    }
    return { ...base(r), kind: 'container', legacy, single, application: appName(r.raw), containers: specs, connections }
  })
  const containersByName = new Map(containers.map((c) => [c.name, c]))

  const secretStores: SecretStore[] = of(RESOURCE_TYPES.secretStore).map((r) => ({ ...base(r), kind: 'secretStore', ...opt('application', str(obj(r.raw.value.properties).application) === undefined ? undefined : appName(r.raw)), ...readSecretStore(r.raw, reporter) }))
  const storesByName = new Map(secretStores.map((s) => [s.name, s]))

  const routes: Route[] = of(RESOURCE_TYPES.route).map((r) => ({ ...base(r), kind: 'route', application: appName(r.raw), ...readRoute(r.raw, index, containersByName, reporter) }))
  const gateways: LegacyGateway[] = of(RESOURCE_TYPES.gateway).map((r) => ({ ...base(r), kind: 'gateway', application: appName(r.raw), ...readGateway(r.raw, index, storesByName, containers, reporter) }))

  const envs = of(RESOURCE_TYPES.environment)
  for (const r of envs.slice(1)) reporter.error('MODEL_DUPLICATE_NAME', 'give one Radius.Core/environments resource per run', r.raw.origin, ['name'])
  const [environment] = envs.map((r): Environment => ({ ...base(r), kind: 'environment', ...readEnvironment(r.raw, containers.length ? containers : undefined, reporter) }))

  const diagnostics = sortDiagnostics(loaded.incomplete ? withoutEchoes(reporter.diagnostics) : reporter.diagnostics)
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics }
  return { app: { ...opt('application', applications[0]), containers, routes, gateways, secretStores, ...opt('environment', environment) }, diagnostics }
}

/**
 * A document with a YAML syntax error (or a .bicep file with errors) is dropped whole, so
 * resources it held look missing to the reference checks. Those follow-on errors are echoes of
 * the first; leave them out until the file is fixed.
 */
function withoutEchoes(diagnostics: readonly Diagnostic[]): readonly Diagnostic[] {
  return diagnostics.filter((d) => d.code !== 'MODEL_NO_APPLICATION' && d.code !== 'MODEL_UNRESOLVED_REFERENCE')
}

function readType(raw: RawResource, reporter: Reporter): { type: ResourceTypeName; version: string } | undefined {
  const full = raw.value.type
  if (full === undefined) {
    reporter.error('MODEL_MISSING_TYPE', 'missing required field "type" (e.g. Radius.Compute/routes@2025-08-01-preview)', raw.origin, [])
    return undefined
  }
  if (typeof full !== 'string') {
    reporter.error('MODEL_WRONG_TYPE', 'expected "type" to be a string such as Radius.Compute/routes@2025-08-01-preview', raw.origin, ['type'])
    return undefined
  }
  const [name, version] = full.split('@', 2) as [string, string | undefined]
  const type = KNOWN_TYPES.find((t) => t.toLowerCase() === name.toLowerCase())
  if (!type) {
    const guess = didYouMean(name, KNOWN_TYPES)
    reporter.error('MODEL_UNKNOWN_TYPE', `unknown resource type "${name}"${guess ? `; did you mean "${guess}"?` : `; known types: ${KNOWN_TYPES.join(', ')}`}`, raw.origin, ['type'])
    return undefined
  }
  const versions = API_VERSIONS[type]
  if (version === undefined || !versions.includes(version)) {
    const what = version === undefined ? 'has no API version' : `is not supported at API version ${version}`
    reporter.error('MODEL_UNSUPPORTED_API_VERSION', `${type} ${what}; write ${type}@${versions[0]}`, raw.origin, ['type'])
    return undefined
  }
  return { type, version }
}

/**
 * Radius reads `matches: { path: '/' }` (an object where a list belongs, as the Routes design
 * note's example writes it) as a one-element list. So do we, with a warning.
 */
function leniently(type: ResourceTypeName, raw: RawResource, reporter: Reporter): Record<string, unknown> {
  if (type !== RESOURCE_TYPES.route) return raw.value
  const rules = obj(raw.value.properties).rules
  if (!Array.isArray(rules) || !rules.some((r) => isObj(r) && isObj(r.matches))) return raw.value
  const fixed = rules.map((r, i) => {
    if (!isObj(r) || !isObj(r.matches)) return r
    reporter.warn('MODEL_LENIENT_LIST', '"matches" should be a list; this object is read as a list of one match', raw.origin, ['properties', 'rules', i, 'matches'])
    return { ...r, matches: [r.matches] }
  })
  return { ...raw.value, properties: { ...obj(raw.value.properties), rules: fixed } }
}

function checkApplicationRefs(typed: readonly { type: ResourceTypeName; raw: RawResource }[], applications: readonly Application[], index: ResourceIndex, reporter: Reporter): void {
  const scoped = typed.filter((r) => APP_SCOPED.includes(r.type) || (r.type === RESOURCE_TYPES.secretStore && obj(r.raw.value.properties).application !== undefined))
  if (applications.length === 0) {
    const first = scoped[0]
    if (first) reporter.error('MODEL_NO_APPLICATION', 'the app has no Applications.Core/applications resource; add one, e.g. {type: Applications.Core/applications@2023-10-01-preview, name: myapp}', first.raw.origin, [])
    return
  }
  for (const r of scoped) {
    const ref = str(obj(r.raw.value.properties).application)
    if (ref !== undefined) index.resolve(ref, [RESOURCE_TYPES.application], 'application', r.raw.origin, ['properties', 'application'], reporter)
  }
}

function appName(raw: RawResource): string {
  const ref = str(obj(raw.value.properties).application) ?? ''
  return ref.startsWith('/') ? (ref.split('/').pop() ?? '') : ref
}

function where(raw: RawResource): string {
  const at = raw.origin.doc.locate(raw.origin.base)
  return `${at.file}:${at.line}`
}
