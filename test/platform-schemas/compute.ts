import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Checks Compute Engine API resource bodies against the message types of the Compute v1 API, as
 * vendored (a small extract) in src/recipes/cloudrun/testdata/schema/compute-v1.json from the
 * protobuf descriptor `@google-cloud/compute` publishes; see the extract script beside it. Field
 * names there are the REST JSON names, so a misspelt or unknown field, a wrong scalar type or an
 * enum value the API lacks is caught.
 */
interface Field { type: string; repeated?: true; map?: true; enum?: string[] }
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../src/recipes/cloudrun/testdata/schema/compute-v1.json'), 'utf8')) as { messages: Record<string, Record<string, Field>> }

/** The `kind` of each body and the message it is. */
const KINDS: Record<string, string> = {
  'compute#urlMap': 'UrlMap',
  'compute#backendService': 'BackendService',
  'compute#networkEndpointGroup': 'NetworkEndpointGroup',
  'compute#targetHttpProxy': 'TargetHttpProxy',
  'compute#targetHttpsProxy': 'TargetHttpsProxy',
  'compute#forwardingRule': 'ForwardingRule',
  'compute#sslPolicy': 'SslPolicy',
}
const INTS = new Set(['int32', 'int64', 'uint32', 'uint64'])
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

export function checkComputeResource(body: unknown): string[] {
  const problems: string[] = []
  if (!isObj(body)) return ['not an object']
  const message = KINDS[body.kind as string]
  if (!message) return [`kind: ${String(body.kind)} is not a resource this check knows`]
  checkMessage(message, body, String(body.kind), problems)
  return problems
}

function checkMessage(name: string, v: unknown, at: string, problems: string[]): void {
  const fields = schema.messages[name]!
  if (!isObj(v)) return void problems.push(`${at}: expected an object (${name})`)
  for (const [k, e] of Object.entries(v)) {
    const f = fields[k]
    if (!f) problems.push(`${at}.${k}: no such field in ${name} (expected one of ${Object.keys(fields).sort().join(', ')})`)
    else if (f.repeated) {
      if (!Array.isArray(e)) problems.push(`${at}.${k}: expected a list`)
      else e.forEach((x, i) => checkField(f, x, `${at}.${k}[${i}]`, problems))
    } else if (f.map) {
      if (!isObj(e)) problems.push(`${at}.${k}: expected a map`)
      else for (const [mk, x] of Object.entries(e)) checkField(f, x, `${at}.${k}.${mk}`, problems)
    } else checkField(f, e, `${at}.${k}`, problems)
  }
}

function checkField(f: Field, v: unknown, at: string, problems: string[]): void {
  if (f.type === 'string') {
    if (typeof v !== 'string') problems.push(`${at}: expected a string`)
    else if (f.enum && !f.enum.includes(v)) problems.push(`${at}: "${v}" is not one of ${f.enum.join(', ')}`)
  } else if (f.type === 'bool') {
    if (typeof v !== 'boolean') problems.push(`${at}: expected a boolean`)
  } else if (INTS.has(f.type)) {
    // int64 travels as a string in REST JSON; both forms are accepted.
    if (!Number.isInteger(v) && !(typeof v === 'string' && /^-?\d+$/.test(v))) problems.push(`${at}: expected an integer`)
  } else if (f.type === 'double' || f.type === 'float') {
    if (typeof v !== 'number') problems.push(`${at}: expected a number`)
  } else if (schema.messages[f.type]) checkMessage(f.type, v, at, problems)
}
