import { formatPath, type Diagnostic, type DiagCode, type SourcePos } from '../../diag/index.ts'
import type { K8sObject, ObjectMeta } from '../../k8s/index.ts'
import { parseYamlDocuments, splitYamlDocuments, type YamlDoc } from '../../util/index.ts'
import { celErrors } from './cel-rules.ts'
import { loadConfigMap, loadEndpointSlice, loadNamespace, loadSecret, loadService, type CoreResult } from './core-objects.ts'
import { CRD_FILES, validateAgainstCRD, type CRDKind, type SchemaError } from './crd-schemas.ts'
import type { LoadCache } from './load-cache.ts'

export interface InputText {
  readonly file: string
  readonly text: string
}

export interface LoadOptions {
  /** RFC 3339 "now", stamped as creationTimestamp on objects that have none (DESIGN.md §5). */
  readonly now: string
  /**
   * Documents admitted by earlier loads, by their text: a reload parses and validates only the
   * documents that changed (a 10,000-route file with one route edited parses one document).
   */
  readonly cache?: LoadCache
}

export interface LoadResult {
  /** In input order (file, then document), admitted objects only. */
  readonly objects: readonly K8sObject[]
  readonly diagnostics: readonly Diagnostic[]
}

type J = Record<string, unknown>
const obj = (v: unknown): J => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {})

const GATEWAY_VERSIONS = new Set(['v1', 'v1beta1', 'v1alpha2', 'v1alpha3'])
const CLUSTER_SCOPED = new Set(['GatewayClass', 'Namespace'])
const CORE_KINDS: Record<string, string> = { Namespace: 'v1', Service: 'v1', Secret: 'v1', ConfigMap: 'v1', EndpointSlice: 'discovery.k8s.io/v1' }
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/**
 * Text → typed objects, as an API server would admit them: apiVersion and kind checked, metadata
 * normalized (namespace `default`, generation 1, creationTimestamp stamped), Gateway API objects
 * validated against their CRD schema (defaults filled) and CEL rules. An object a cluster would
 * refuse gets a diagnostic with file:line:col and is left out; the rest load. Never throws.
 */
export function loadObjects(inputs: readonly InputText[], options: LoadOptions): LoadResult {
  const objects: K8sObject[] = []
  const out: Diagnostic[] = []
  const seen = new Set<string>()
  const cache = options.cache
  cache?.startLoad()
  for (const input of inputs) {
    // Per file, its syntax problems first, then its objects' in document order (as a parse of the
    // whole file has them, duplicates reported where they are met).
    const syntax: Diagnostic[] = []
    const diagnostics: Diagnostic[] = []
    for (const piece of cache ? splitYamlDocuments(input.text) : [{ text: input.text, line: 1 }]) {
      const admit = (object: K8sObject, at: Locate | null) => {
        const key = `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`
        if (seen.has(key)) {
          // A remembered document has no positions at hand: parse it again for this diagnostic.
          const where = at ?? locateAgain(input.file, piece.text, piece.line, options, object)
          diagnostics.push(diag('K8S_DUPLICATE_OBJECT', 'error', `${key} is defined more than once; this definition is left out`, '', key, where(['metadata', 'name'])))
          return
        }
        seen.add(key)
        objects.push(object)
      }
      const remembered = cache?.take(piece.text, options.now)
      if (remembered) for (const object of remembered) admit(object, null)
      else loadPiece(input.file, piece.text, piece.line, options, { syntax, diagnostics }, admit, cache)
    }
    out.push(...syntax, ...diagnostics)
  }
  cache?.endLoad()
  return { objects, diagnostics: out }
}

/** Field path → position in the file. */
type Locate = (path: readonly (string | number)[]) => SourcePos

/**
 * Parses one piece of a file and admits its objects one by one (`admit`); remembers the piece when
 * it loaded without a word.
 */
function loadPiece(file: string, text: string, line: number, options: LoadOptions, sinks: { syntax: Diagnostic[]; diagnostics: Diagnostic[] }, admit: (object: K8sObject, at: Locate) => void, cache: LoadCache | undefined): void {
  const { diagnostics } = sinks
  const parsed = parseYamlDocuments(text, file, line)
  sinks.syntax.push(...parsed.diagnostics)
  const loaded: K8sObject[] = []
  let clean = parsed.diagnostics.length === 0
  for (const doc of parsed.docs) {
    for (const { value, prefix } of items(doc.value)) {
      const at: Locate = (path) => doc.locate([...prefix, ...path])
      const n = diagnostics.length
      const object = loadOne(value, at, options, diagnostics)
      if (diagnostics.length !== n) clean = false
      if (!object) continue
      loaded.push(object)
      admit(object, at)
    }
  }
  // Admission problems count; a duplicate does not (it is about other documents, checked again each load).
  if (cache && clean) cache.put(text, loaded, options.now)
}

function locateAgain(file: string, text: string, line: number, options: LoadOptions, object: K8sObject): Locate {
  let found: Locate | null = null
  const same = (o: K8sObject) => o.kind === object.kind && o.metadata.name === object.metadata.name && o.metadata.namespace === object.metadata.namespace
  loadPiece(file, text, line, options, { syntax: [], diagnostics: [] }, (o, at) => (found ??= same(o) ? at : null), undefined)
  return found ?? (() => ({ file, line, col: 1, length: 1 }))
}

/** A document is one object, a `kind: List` or a YAML sequence of objects. */
function items(value: unknown): { value: unknown; prefix: (string | number)[] }[] {
  if (Array.isArray(value)) return value.map((v, i) => ({ value: v, prefix: [i] }))
  const o = obj(value)
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) return o.items.map((v, i) => ({ value: v, prefix: ['items', i] }))
  return [{ value, prefix: [] }]
}

function diag(code: DiagCode, severity: 'error' | 'warning', message: string, path: string, resource: string | undefined, source: Diagnostic['source']): Diagnostic {
  return resource === undefined ? { code, severity, message, path, source } : { code, severity, message, path, resource, source }
}

function loadOne(value: unknown, at: YamlDoc['locate'], options: LoadOptions, out: Diagnostic[]): K8sObject | undefined {
  const raw = obj(value)
  if (typeof raw.apiVersion !== 'string' || typeof raw.kind !== 'string') {
    out.push(diag('K8S_MISSING_KIND', 'error', 'every object needs a string apiVersion and kind', typeof raw.kind === 'string' ? 'apiVersion' : 'kind', undefined, at([])))
    return undefined
  }
  const { apiVersion, kind } = raw
  const isGatewayKind = kind in CRD_FILES
  if (!isGatewayKind && !(kind in CORE_KINDS)) {
    out.push(diag('K8S_UNKNOWN_KIND', 'warning', `${apiVersion} ${kind} is not a kind Switchyard reads; it is ignored`, 'kind', undefined, at(['kind'])))
    return undefined
  }
  const versionOk = isGatewayKind
    ? apiVersion.startsWith('gateway.networking.k8s.io/') && GATEWAY_VERSIONS.has(apiVersion.slice('gateway.networking.k8s.io/'.length))
    : apiVersion === CORE_KINDS[kind]
  if (!versionOk) {
    const want = isGatewayKind ? 'gateway.networking.k8s.io/v1, v1beta1, v1alpha2 or v1alpha3' : CORE_KINDS[kind]
    out.push(diag('K8S_UNSUPPORTED_API_VERSION', 'error', `${kind} is read at apiVersion ${want}, not ${apiVersion}`, 'apiVersion', kind, at(['apiVersion'])))
    return undefined
  }
  const metadata = loadMetadata(kind, raw.metadata, options, (path, message) =>
    out.push(diag('K8S_INVALID_METADATA', 'error', message, path.join('.'), kind, at(path))),
  )
  if (!metadata) return undefined
  const resource = CLUSTER_SCOPED.has(kind) ? `${kind}/${metadata.name}` : `${kind}/${metadata.namespace}/${metadata.name}`
  const report = (code: DiagCode, errors: readonly SchemaError[]) => {
    for (const e of errors) out.push(diag(code, 'error', e.message, formatPath(e.path), resource, at(e.path)))
  }
  if (isGatewayKind) {
    // Validate a copy: Ajv fills defaults in place. metadata is checked above, not by the schema.
    const clone = structuredClone({ ...raw, metadata: {} }) as J
    const schemaErrors = validateAgainstCRD(kind as CRDKind, clone)
    if (schemaErrors.length > 0) return void report('K8S_SCHEMA_VIOLATION', schemaErrors)
    const ruleErrors = celErrors(kind, clone)
    if (ruleErrors.length > 0) return void report('K8S_VALIDATION_RULE', ruleErrors)
    return { ...(clone as object), apiVersion, kind, metadata } as unknown as K8sObject
  }
  let result: CoreResult<K8sObject>
  switch (kind) {
    case 'Namespace':
      result = loadNamespace(apiVersion, metadata)
      break
    case 'Service':
      result = loadService(apiVersion, metadata, raw)
      break
    case 'EndpointSlice':
      result = loadEndpointSlice(apiVersion, metadata, raw)
      break
    case 'Secret':
      result = loadSecret(apiVersion, metadata, raw)
      break
    default:
      result = loadConfigMap(apiVersion, metadata, raw)
  }
  if (!result.ok) return void report('K8S_INVALID_CORE_OBJECT', result.errors)
  return result.value
}

function loadMetadata(kind: string, value: unknown, options: LoadOptions, err: (path: (string | number)[], message: string) => void): ObjectMeta | undefined {
  const m = obj(value)
  let ok = true
  const fail = (path: (string | number)[], message: string) => {
    ok = false
    err(path, message)
  }
  const name = m.name
  if (typeof name !== 'string' || name === '') fail(['metadata', 'name'], 'metadata.name is required')
  else if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) fail(['metadata', 'name'], `"${name}" is not a valid name: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit`)
  let namespace = CLUSTER_SCOPED.has(kind) ? '' : 'default'
  if (m.namespace !== undefined && !CLUSTER_SCOPED.has(kind)) {
    if (typeof m.namespace !== 'string' || m.namespace.length > 63 || !DNS_LABEL.test(m.namespace)) fail(['metadata', 'namespace'], 'metadata.namespace must be a DNS label')
    else namespace = m.namespace
  }
  const labels = stringMap(m.labels, ['metadata', 'labels'], fail)
  const annotations = stringMap(m.annotations, ['metadata', 'annotations'], fail)
  let generation = 1
  if (m.generation !== undefined) {
    if (!Number.isInteger(m.generation) || (m.generation as number) < 1) fail(['metadata', 'generation'], 'metadata.generation must be a positive integer')
    else generation = m.generation as number
  }
  let creationTimestamp = options.now
  if (m.creationTimestamp !== undefined) {
    const t = m.creationTimestamp instanceof Date ? m.creationTimestamp.toISOString() : m.creationTimestamp
    // Kubernetes keeps whole seconds (metav1.Time is RFC 3339 without fractions), and one fixed
    // format lets "oldest first" tie-breaks compare the text: `…00.500Z` sorted before `…00Z`.
    const ms = typeof t === 'string' ? Date.parse(t) : Number.NaN
    const iso = Number.isNaN(ms) ? '' : new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString()
    if (iso === '') fail(['metadata', 'creationTimestamp'], 'metadata.creationTimestamp must be an RFC 3339 time')
    else if (!/^\d{4}-/.test(iso)) fail(['metadata', 'creationTimestamp'], 'metadata.creationTimestamp must fall in the years 0000 to 9999')
    else creationTimestamp = iso.replace('.000Z', 'Z')
  }
  if (!ok) return undefined
  return { name: name as string, namespace, labels, annotations, creationTimestamp, generation }
}

function stringMap(v: unknown, path: string[], fail: (p: string[], m: string) => void): Record<string, string> {
  if (v === undefined || v === null) return {}
  const o = obj(v)
  const out: Record<string, string> = {}
  for (const [k, x] of Object.entries(o)) {
    if (typeof x !== 'string') fail([...path, k], `${path.join('.')} values must be strings`)
    else out[k] = x
  }
  return out
}
