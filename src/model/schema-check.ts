import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import applications from '../../schemas/applications.schema.json' with { type: 'json' }
import common from '../../schemas/common.schema.json' with { type: 'json' }
import containers from '../../schemas/containers.schema.json' with { type: 'json' }
import environments from '../../schemas/environments.schema.json' with { type: 'json' }
import gateways from '../../schemas/gateways.schema.json' with { type: 'json' }
import legacyContainers from '../../schemas/legacy-containers.schema.json' with { type: 'json' }
import routes from '../../schemas/routes.schema.json' with { type: 'json' }
import secretStores from '../../schemas/secret-stores.schema.json' with { type: 'json' }
import { didYouMean } from '../util/index.ts'
import type { RawResource } from './load.ts'
import type { PathSeg, Reporter } from './report.ts'
import { RESOURCE_TYPES, type ResourceTypeName } from './types.ts'

/** The JSON Schema published under schemas/ for each resource type: the structural layer. */
const SCHEMAS: Record<ResourceTypeName, object> = {
  [RESOURCE_TYPES.application]: applications,
  [RESOURCE_TYPES.container]: containers,
  [RESOURCE_TYPES.legacyContainer]: legacyContainers,
  [RESOURCE_TYPES.route]: routes,
  [RESOURCE_TYPES.gateway]: gateways,
  [RESOURCE_TYPES.secretStore]: secretStores,
  [RESOURCE_TYPES.environment]: environments,
}

let compiled: Map<ResourceTypeName, ValidateFunction> | undefined

function validators(): Map<ResourceTypeName, ValidateFunction> {
  if (compiled) return compiled
  // verbose: errors carry their parent schema, which names the known fields for "did you mean".
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false })
  ajv.addSchema(common, 'common.schema.json')
  compiled = new Map(Object.entries(SCHEMAS).map(([type, schema]) => [type as ResourceTypeName, ajv.compile(schema)]))
  return compiled
}

/** Checks a resource against its type's JSON Schema, reporting every violation with its position. */
export function checkSchema(type: ResourceTypeName, raw: RawResource, reporter: Reporter): void {
  const validate = validators().get(type)!
  if (validate(raw.value)) return
  const errors = validate.errors ?? []
  // A wrong-typed value or an unmatched anyOf says all there is to say about its location;
  // the branch-by-branch errors beneath it would only repeat it.
  const covered = errors.filter((e) => e.keyword === 'type' || e.keyword === 'anyOf').map((e) => e.instancePath)
  for (const e of errors) {
    if (e.keyword !== 'type' && e.keyword !== 'anyOf' && covered.some((p) => e.instancePath === p || (e.instancePath.startsWith(p + '/') && /\/anyOf\//.test(e.schemaPath)))) continue
    if (e.keyword === 'if') continue
    report(e, raw, reporter)
  }
}

function report(e: ErrorObject, raw: RawResource, reporter: Reporter): void {
  const path = pointerToPath(e.instancePath, raw.value)
  const p = e.params as Record<string, unknown>
  const schema = (e.parentSchema ?? {}) as Record<string, unknown>
  switch (e.keyword) {
    case 'required': {
      const field = String(p.missingProperty)
      return reporter.error('MODEL_REQUIRED_FIELD', `missing required field "${field}"`, raw.origin, [...path, field])
    }
    case 'additionalProperties': {
      const field = String(p.additionalProperty)
      const known = Object.keys((schema.properties as object | undefined) ?? {})
      const guess = didYouMean(field, known)
      const hint = guess ? `; did you mean "${guess}"?` : known.length ? `; known fields: ${known.join(', ')}` : ''
      return reporter.error('MODEL_UNKNOWN_FIELD', `unknown field "${field}"${hint}`, raw.origin, [...path, field], 'key')
    }
    case 'type':
      return reporter.error('MODEL_WRONG_TYPE', `expected ${article(String(p.type))}, got ${describe(e.data)}`, raw.origin, path)
    case 'anyOf':
      return reporter.error('MODEL_WRONG_TYPE', `expected ${alternatives(schema)}, got ${describe(e.data)}`, raw.origin, path)
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String)
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined
      const hint = guess ? `; did you mean "${guess}"?` : ''
      return reporter.error('MODEL_INVALID_ENUM', `${JSON.stringify(e.data)} is not one of ${allowed.join(', ')}${hint}`, raw.origin, path)
    }
    default: {
      const custom = typeof schema['x-message'] === 'string' ? schema['x-message'] : undefined
      const message = custom ?? `${e.message ?? 'is invalid'}`
      const code = path.length === 1 && path[0] === 'name' ? 'MODEL_INVALID_NAME' : 'MODEL_INVALID_VALUE'
      return reporter.error(code, `${JSON.stringify(e.data)}: ${message}`, raw.origin, path)
    }
  }
}

/** JSON pointer → path segments, numbers where the value at that point is a list. */
function pointerToPath(pointer: string, root: unknown): PathSeg[] {
  const out: PathSeg[] = []
  let cur: unknown = root
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(cur)) {
      out.push(Number(seg))
      cur = cur[Number(seg)]
    } else {
      out.push(seg)
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined
    }
  }
  return out
}

function article(type: string): string {
  const t = type.replace(/,/g, ' or ')
  return type === 'array' ? 'a list' : type === 'object' ? 'a mapping' : type === 'integer' ? 'a whole number' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`
}

function alternatives(schema: Record<string, unknown>): string {
  const branches = (schema.anyOf as Record<string, unknown>[] | undefined) ?? []
  const names = branches.map((b) => (typeof b.type === 'string' ? article(b.type) : 'a mapping'))
  return [...new Set(names)].join(' or ')
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`
  return `${typeof v} ${JSON.stringify(v)}`
}
