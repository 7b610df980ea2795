import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * Checks an ARM template's Container Apps resources against the type mappers of the Azure SDK
 * (`@azure/arm-appcontainers` 3.0.0, MIT, api-version 2025-07-01): the runtime description the
 * SDK serializes requests with, so every property, its wire name (flattened `properties.…` names
 * included), its type and its enum values are the service's. Read-only properties may not be set.
 */
interface MapperType {
  name: string
  className?: string
  modelProperties?: Record<string, Mapper>
  element?: Mapper
  value?: Mapper
  allowedValues?: unknown[]
}
interface Mapper { serializedName?: string; readOnly?: boolean; required?: boolean; type: MapperType }

const require = createRequire(import.meta.url)
const root = dirname(require.resolve('@azure/arm-appcontainers/package.json'))
// The mappers are not exported by the package entry point; import the module file itself.
const mappers = (await import(pathToFileURL(join(root, 'dist/esm/models/mappers.js')).href)) as Record<string, Mapper>

/** The ARM resource types rendered, and the SDK model each one's body is. */
const MODELS: Record<string, string> = { 'Microsoft.App/containerApps': 'ContainerApp', 'Microsoft.App/managedEnvironments/httpRouteConfigs': 'HttpRouteConfig' }
/** Template-level keys of a resource, which ARM reads itself rather than sending in the body. */
const ARM_KEYS = new Set(['type', 'apiVersion', 'name', 'dependsOn', 'condition', 'copy', 'comments', 'scope'])

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
/** An ARM template expression, which stands for any value. */
const isExpression = (v: unknown) => typeof v === 'string' && v.startsWith('[') && v.endsWith(']') && !v.startsWith('[[')

export function checkArmTemplate(template: unknown): string[] {
  const problems: string[] = []
  if (!isObj(template) || !Array.isArray(template.resources)) return ['the template has no resources list']
  template.resources.forEach((r, i) => {
    const at = `resources[${i}]`
    if (!isObj(r)) return void problems.push(`${at}: not an object`)
    const model = MODELS[r.type as string]
    if (!model) return void problems.push(`${at}.type: ${String(r.type)} is not a Container Apps resource this check knows`)
    if (r.apiVersion !== '2025-07-01') problems.push(`${at}.apiVersion: the mappers describe 2025-07-01, not ${String(r.apiVersion)}`)
    const body = Object.fromEntries(Object.entries(r).filter(([k]) => !ARM_KEYS.has(k)))
    checkComposite(mappers[model]!, body, at, problems)
  })
  return problems
}

/** A composite's properties as a tree of wire names: `properties.configuration` nests under `properties`. */
type Tree = Map<string, Mapper | Tree>

function tree(m: Mapper): Tree {
  const t: Tree = new Map()
  for (const p of Object.values(m.type.modelProperties ?? mappers[m.type.className!]?.type.modelProperties ?? {})) {
    const parts = (p.serializedName ?? '').split('.')
    let node = t
    for (const part of parts.slice(0, -1)) {
      if (!(node.get(part) instanceof Map)) node.set(part, new Map())
      node = node.get(part) as Tree
    }
    node.set(parts[parts.length - 1]!, p)
  }
  return t
}

function checkComposite(m: Mapper, v: unknown, at: string, problems: string[]): void {
  checkTree(tree(m), v, at, problems)
}

function checkTree(t: Tree, v: unknown, at: string, problems: string[]): void {
  if (isExpression(v)) return
  if (!isObj(v)) return void problems.push(`${at}: expected an object`)
  for (const [k, e] of Object.entries(v)) {
    const p = t.get(k)
    if (!p) problems.push(`${at}.${k}: no such property (expected one of ${[...t.keys()].sort().join(', ')})`)
    else if (p instanceof Map) checkTree(p, e, `${at}.${k}`, problems)
    else if (p.readOnly) problems.push(`${at}.${k}: read-only, set by the service`)
    else checkValue(p, e, `${at}.${k}`, problems)
  }
  for (const [k, p] of t) if (!(p instanceof Map) && p.required && !p.readOnly && !(k in v)) problems.push(`${at}.${k}: required`)
}

function checkValue(m: Mapper, v: unknown, at: string, problems: string[]): void {
  if (isExpression(v)) return
  const t = m.type
  switch (t.name) {
    case 'String':
    case 'Uuid':
    case 'DateTime':
    case 'ByteArray':
      if (typeof v !== 'string') problems.push(`${at}: expected a string`)
      return
    case 'Number':
      if (typeof v !== 'number') problems.push(`${at}: expected a number`)
      return
    case 'Boolean':
      if (typeof v !== 'boolean') problems.push(`${at}: expected a boolean`)
      return
    case 'Enum':
      if (!t.allowedValues?.includes(v)) problems.push(`${at}: ${JSON.stringify(v)} is not one of ${t.allowedValues?.join(', ')}`)
      return
    case 'Sequence':
      if (!Array.isArray(v)) problems.push(`${at}: expected a list`)
      else v.forEach((e, i) => checkValue(t.element!, e, `${at}[${i}]`, problems))
      return
    case 'Dictionary':
      if (!isObj(v)) problems.push(`${at}: expected a map`)
      else for (const [k, e] of Object.entries(v)) checkValue(t.value!, e, `${at}.${k}`, problems)
      return
    case 'Composite':
      checkComposite(m, v, at, problems)
      return
    default:
      return
  }
}
