import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { gunzipSync } from 'node:zlib'

/**
 * Checks a CloudFormation template against the CloudFormation resource specification as the AWS
 * CDK publishes it (`@aws-cdk/aws-service-spec`, Apache-2.0: `db.json.gz`, generated from the
 * CloudFormation registry schemas): every resource type must exist, every property must be one
 * the type has (recursively, through its property types), required properties must be there, and
 * values must have the specified shape. Intrinsic functions (`Ref`, `Fn::…`) stand for any value.
 */
type SpecType =
  | { type: 'string' | 'integer' | 'number' | 'boolean' | 'json' | 'date-time' | 'tag' }
  | { type: 'array' | 'map'; element: SpecType }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'union'; types: SpecType[] }
interface SpecProperty { type: SpecType; required?: boolean; previousTypes?: SpecType[] }
interface SpecShape { properties: Record<string, SpecProperty> }
interface Db { schema: { resource: { entities: (SpecShape & { cloudFormationType: string })[] }; typeDefinition: { entities: (SpecShape & { $id: string })[] } } }

const require = createRequire(import.meta.url)
const db = JSON.parse(gunzipSync(readFileSync(require.resolve('@aws-cdk/aws-service-spec/db.json.gz'))).toString('utf8')) as Db
const resources = new Map(db.schema.resource.entities.map((e) => [e.cloudFormationType, e]))
const types = new Map(db.schema.typeDefinition.entities.map((e) => [e.$id, e]))

const TEMPLATE_KEYS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs'])
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy'])

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const isIntrinsic = (v: unknown) => isObj(v) && Object.keys(v).length === 1 && /^(Ref|Fn::[A-Za-z]+|Condition)$/.test(Object.keys(v)[0]!)

/** Every problem, as `Resources.X.Properties.Y: …`; empty when the template fits the specification. */
export function checkCloudFormation(template: unknown): string[] {
  const problems: string[] = []
  if (!isObj(template)) return ['the template is not an object']
  for (const k of Object.keys(template)) if (!TEMPLATE_KEYS.has(k)) problems.push(`${k}: not a template section`)
  const ids = new Set([...Object.keys(isObj(template.Resources) ? template.Resources : {}), ...Object.keys(isObj(template.Parameters) ? template.Parameters : {})])
  for (const [id, r] of Object.entries(isObj(template.Resources) ? template.Resources : {})) {
    const at = `Resources.${id}`
    if (!isObj(r)) {
      problems.push(`${at}: not an object`)
      continue
    }
    for (const k of Object.keys(r)) if (!RESOURCE_KEYS.has(k)) problems.push(`${at}.${k}: not a resource attribute`)
    for (const dep of Array.isArray(r.DependsOn) ? r.DependsOn : []) if (!ids.has(dep as string)) problems.push(`${at}.DependsOn: no resource ${dep}`)
    const spec = resources.get(r.Type as string)
    if (!spec) {
      problems.push(`${at}.Type: unknown resource type ${String(r.Type)}`)
      continue
    }
    checkShape(spec, r.Properties ?? {}, `${at}.Properties`, problems)
  }
  checkRefs(template.Resources, ids, 'Resources', problems)
  checkRefs(template.Outputs, ids, 'Outputs', problems)
  return problems
}

function checkShape(shape: SpecShape, value: unknown, at: string, problems: string[]): void {
  if (isIntrinsic(value)) return
  if (!isObj(value)) {
    problems.push(`${at}: expected an object`)
    return
  }
  for (const [k, v] of Object.entries(value)) {
    const p = shape.properties[k]
    if (!p) problems.push(`${at}.${k}: no such property (expected one of ${Object.keys(shape.properties).sort().join(', ')})`)
    else if (![p.type, ...(p.previousTypes ?? [])].some((t) => fits(t, v, `${at}.${k}`, []))) checkValue(p.type, v, `${at}.${k}`, problems)
  }
  for (const [k, p] of Object.entries(shape.properties)) if (p.required && !(k in value)) problems.push(`${at}.${k}: required`)
}

function fits(t: SpecType, v: unknown, at: string, problems: string[]): boolean {
  const before = problems.length
  checkValue(t, v, at, problems)
  return problems.length === before
}

function checkValue(t: SpecType, v: unknown, at: string, problems: string[]): void {
  if (isIntrinsic(v)) return
  switch (t.type) {
    case 'string':
    case 'date-time':
      if (typeof v !== 'string') problems.push(`${at}: expected a string`)
      return
    case 'integer':
      if (!Number.isInteger(v)) problems.push(`${at}: expected an integer`)
      return
    case 'number':
      if (typeof v !== 'number') problems.push(`${at}: expected a number`)
      return
    case 'boolean':
      if (typeof v !== 'boolean') problems.push(`${at}: expected a boolean`)
      return
    case 'json':
      return
    case 'tag':
      if (!isObj(v) || typeof v.Key !== 'string') problems.push(`${at}: expected a tag {Key, Value}`)
      return
    case 'array':
      if (!Array.isArray(v)) problems.push(`${at}: expected a list`)
      else v.forEach((e, i) => checkValue(t.element, e, `${at}[${i}]`, problems))
      return
    case 'map':
      if (!isObj(v)) problems.push(`${at}: expected a map`)
      else for (const [k, e] of Object.entries(v)) checkValue(t.element, e, `${at}.${k}`, problems)
      return
    case 'ref':
      checkShape(types.get(t.reference.$ref)!, v, at, problems)
      return
    case 'union':
      if (!t.types.some((u) => fits(u, v, at, []))) problems.push(`${at}: fits none of the allowed shapes`)
      return
  }
}

/** Every `Ref` and `Fn::GetAtt` names a parameter or resource of the template. */
function checkRefs(v: unknown, ids: ReadonlySet<string>, at: string, problems: string[]): void {
  if (Array.isArray(v)) v.forEach((e, i) => checkRefs(e, ids, `${at}[${i}]`, problems))
  else if (isObj(v)) {
    if (typeof v.Ref === 'string' && !ids.has(v.Ref)) problems.push(`${at}: Ref to unknown ${v.Ref}`)
    const att = v['Fn::GetAtt']
    if (Array.isArray(att) && !ids.has(att[0] as string)) problems.push(`${at}: Fn::GetAtt of unknown ${String(att[0])}`)
    for (const [k, e] of Object.entries(v)) checkRefs(e, ids, `${at}.${k}`, problems)
  }
}
