import { parseGatewayDuration } from '../../util/index.ts'
import type { SchemaError } from './crd-schemas.ts'

/**
 * The CRDs' CEL rules (`x-kubernetes-validations`) that a file-based loader must enforce itself,
 * hand-written (gateway-api.md §1 "Validation that the CRD/CEL layer would have enforced"). Each
 * check runs on the defaulted object and returns errors with the CRD's own messages.
 */

type J = Record<string, unknown>
type Path = (string | number)[]

const obj = (v: unknown): J => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {})
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const has = (o: J, k: string): boolean => o[k] !== undefined && o[k] !== null

export function celErrors(kind: string, value: unknown): SchemaError[] {
  const spec = obj(obj(value).spec)
  const out: SchemaError[] = []
  const err = (path: Path, message: string) => out.push({ path: ['spec', ...path], message })
  switch (kind) {
    case 'Gateway':
      gatewayRules(spec, err)
      break
    case 'HTTPRoute':
      parentRefRules(spec, err)
      httpRouteRules(spec, err)
      break
    case 'TLSRoute':
    case 'TCPRoute':
    case 'UDPRoute':
      parentRefRules(spec, err)
      l4BackendRules(spec, err)
      break
  }
  return out
}

type Err = (path: Path, message: string) => void

// api:gateway_types.go, GatewaySpec.Listeners and ListenerTLSConfig CEL rules.
function gatewayRules(spec: J, err: Err): void {
  const listeners = arr(spec.listeners).map(obj)
  listeners.forEach((l, i) => {
    const p = l.protocol
    if ((p === 'HTTP' || p === 'TCP' || p === 'UDP') && has(l, 'tls')) err(['listeners', i, 'tls'], `tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']`)
    if (p === 'HTTPS' && has(l, 'tls') && obj(l.tls).mode !== 'Terminate') err(['listeners', i, 'tls', 'mode'], 'tls mode must be Terminate for protocol HTTPS')
    if (p === 'TLS' && !has(l, 'tls')) err(['listeners', i], 'tls mode must be set for protocol TLS')
    if ((p === 'TCP' || p === 'UDP') && has(l, 'hostname') && l.hostname !== '') err(['listeners', i, 'hostname'], `hostname must not be specified for protocols ['TCP', 'UDP']`)
    if (has(l, 'tls')) {
      const tls = obj(l.tls)
      if (tls.mode === 'Terminate' && arr(tls.certificateRefs).length === 0 && Object.keys(obj(tls.options)).length === 0)
        err(['listeners', i, 'tls'], 'certificateRefs or options must be specified when mode is Terminate')
    }
    if (listeners.findIndex((m) => m.name === l.name) !== i) err(['listeners', i, 'name'], 'Listener name must be unique within the Gateway')
    const same = listeners.findIndex((m) => m.port === l.port && m.protocol === l.protocol && (m.hostname ?? null) === (l.hostname ?? null))
    if (same !== i) err(['listeners', i], 'Combination of port, protocol and hostname must be unique for each listener')
  })
  const addrs = arr(spec.addresses).map(obj)
  addrs.forEach((a, i) => {
    if (has(a, 'value') && addrs.findIndex((b) => b.type === a.type && b.value === a.value) !== i) err(['addresses', i], `${String(a.type)} values must be unique`)
  })
}

// api:shared_types.go CommonRouteSpec: two refs to one parent must set distinct sectionNames.
function parentRefRules(spec: J, err: Err): void {
  const refs = arr(spec.parentRefs).map(obj)
  const parentKey = (r: J) => `${String(r.group)}/${String(r.kind)}/${String(r.namespace ?? '')}/${String(r.name)}`
  refs.forEach((r, i) => {
    const siblings = refs.filter((s) => parentKey(s) === parentKey(r))
    if (siblings.length < 2) return
    if (siblings.some((s) => !has(s, 'sectionName') || s.sectionName === ''))
      err(['parentRefs', i], 'sectionName must be specified when parentRefs includes 2 or more references to the same parent')
    else if (refs.findIndex((s) => parentKey(s) === parentKey(r) && s.sectionName === r.sectionName) !== i)
      err(['parentRefs', i, 'sectionName'], 'sectionName must be unique when parentRefs includes 2 or more references to the same parent')
  })
}

function servicePortRule(ref: J, path: Path, err: Err): void {
  if ((ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service' && !has(ref, 'port')) err(path, 'Must have port for Service reference')
}

function l4BackendRules(spec: J, err: Err): void {
  arr(spec.rules).forEach((rule, i) => arr(obj(rule).backendRefs).forEach((b, k) => servicePortRule(obj(b), ['rules', i, 'backendRefs', k], err)))
}

const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/
const SINGLETON_FILTERS = ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite']
const FILTER_FIELDS: Record<string, string> = {
  CORS: 'cors',
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
}

// api:httproute_types.go HTTPRouteRule, HTTPPathMatch, HTTPRouteFilter, HTTPRouteTimeouts CEL rules.
function httpRouteRules(spec: J, err: Err): void {
  const rules = arr(spec.rules).map(obj)
  const total = rules.reduce((n, r) => n + arr(r.matches).length, 0)
  if (total > 128) err(['rules'], 'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128')
  rules.forEach((rule, i) => {
    const at: Path = ['rules', i]
    const matches = arr(rule.matches).map(obj)
    matches.forEach((m, j) => {
      const path = obj(m.path)
      const v = typeof path.value === 'string' ? path.value : ''
      if (path.type !== 'Exact' && path.type !== 'PathPrefix') return
      const here: Path = [...at, 'matches', j, 'path', 'value']
      const when = `when type one of ['Exact', 'PathPrefix']`
      if (!v.startsWith('/')) err(here, `value must be an absolute path and start with '/' ${when}`)
      for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#']) if (v.includes(bad)) err(here, `must not contain '${bad}' ${when}`)
      for (const bad of ['/..', '/.']) if (v.endsWith(bad)) err(here, `must not end with '${bad}' ${when}`)
      if (!PATH_CHARS.test(v)) err(here, `must only contain valid characters (matching ${PATH_CHARS.source}) for types ['Exact', 'PathPrefix']`)
    })
    const backendRefs = arr(rule.backendRefs).map(obj)
    const filters = arr(rule.filters).map(obj)
    filterListRules(filters, [...at, 'filters'], err)
    if (backendRefs.length > 0 && filters.some((f) => has(f, 'requestRedirect'))) err(at, 'RequestRedirect filter must not be used together with backendRefs')
    const onePrefix = matches.length === 1 && obj(matches[0]!.path).type === 'PathPrefix'
    const usesPrefixReplace = (fs: J[], field: string) => fs.some((f) => obj(obj(f[field]).path).type === 'ReplacePrefixMatch')
    for (const [field, name] of [['requestRedirect', 'RequestRedirect'], ['urlRewrite', 'URLRewrite']] as const) {
      if (usesPrefixReplace(filters, field) && !onePrefix) err(at, `When using ${name} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified`)
      if (backendRefs.some((b) => usesPrefixReplace(arr(b.filters).map(obj), field)) && !onePrefix)
        err(at, `Within backendRefs, when using ${name} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified`)
    }
    backendRefs.forEach((b, k) => {
      servicePortRule(b, [...at, 'backendRefs', k], err)
      filterListRules(arr(b.filters).map(obj), [...at, 'backendRefs', k, 'filters'], err)
    })
    const timeouts = obj(rule.timeouts)
    if (typeof timeouts.request === 'string' && typeof timeouts.backendRequest === 'string') {
      const req = goMs(timeouts.request)
      const be = goMs(timeouts.backendRequest)
      if (req !== 0 && be > req) err([...at, 'timeouts'], 'backendRequest timeout cannot be longer than request timeout')
    }
  })
}

function filterListRules(filters: J[], at: Path, err: Err): void {
  for (const t of SINGLETON_FILTERS) if (filters.filter((f) => f.type === t).length > 1) err(at, `${t} filter cannot be repeated`)
  if (filters.some((f) => f.type === 'RequestRedirect') && filters.some((f) => f.type === 'URLRewrite'))
    err(at, 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both')
  filters.forEach((f, n) => {
    const here: Path = [...at, n]
    for (const [type, field] of Object.entries(FILTER_FIELDS)) {
      if (has(f, field) && f.type !== type) err(here, `filter.${field} must be nil if the filter.type is not ${type}`)
      if (!has(f, field) && f.type === type) err(here, `filter.${field} must be specified for ${type} filter.type`)
    }
    for (const field of ['requestRedirect', 'urlRewrite']) {
      const p = obj(obj(f[field]).path)
      if (!has(obj(f[field]), 'path')) continue
      const pp: Path = [...here, field, 'path']
      if (p.type === 'ReplaceFullPath' && !has(p, 'replaceFullPath')) err(pp, `replaceFullPath must be specified when type is set to 'ReplaceFullPath'`)
      if (has(p, 'replaceFullPath') && p.type !== 'ReplaceFullPath') err(pp, `type must be 'ReplaceFullPath' when replaceFullPath is set`)
      if (p.type === 'ReplacePrefixMatch' && !has(p, 'replacePrefixMatch')) err(pp, `replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'`)
      if (has(p, 'replacePrefixMatch') && p.type !== 'ReplacePrefixMatch') err(pp, `type must be 'ReplacePrefixMatch' when replacePrefixMatch is set`)
    }
    if (has(f, 'requestMirror')) {
      const m = obj(f.requestMirror)
      if (has(m, 'percent') && has(m, 'fraction')) err([...here, 'requestMirror'], 'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter')
      const fr = obj(m.fraction)
      if (has(m, 'fraction') && Number(fr.numerator) > Number(fr.denominator ?? 100)) err([...here, 'requestMirror', 'fraction'], 'numerator must be less than or equal to denominator')
      servicePortRule(obj(m.backendRef), [...here, 'requestMirror', 'backendRef'], err)
    }
  })
}

/** Gateway API duration in milliseconds (the schema's pattern has already checked the syntax). */
function goMs(s: string): number {
  return parseGatewayDuration(s) ?? 0
}
