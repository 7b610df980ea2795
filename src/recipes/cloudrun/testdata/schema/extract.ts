/**
 * Extracts the Compute Engine v1 message types the Cloud Run recipe emits from the protobuf
 * descriptor that `@google-cloud/compute` publishes (`build/protos/protos.json`, Apache-2.0), into
 * `compute-v1.json` beside this file. The package is ~100 MB installed for a ~20 KB answer, so the
 * subset is vendored instead of depending on it. Field names in the descriptor are the REST JSON
 * names (camelCase), so the subset checks REST bodies field by field.
 *
 *   npm pack @google-cloud/compute@7.8.0 && tar xzf google-cloud-compute-7.8.0.tgz
 *   node src/recipes/cloudrun/testdata/schema/extract.ts package/build/protos/protos.json
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProtoField { type: string; rule?: string; keyType?: string }
interface ProtoType { fields?: Record<string, ProtoField>; nested?: Record<string, { values?: Record<string, number> }> }

const ROOTS = ['UrlMap', 'BackendService', 'NetworkEndpointGroup', 'TargetHttpProxy', 'TargetHttpsProxy', 'ForwardingRule', 'SslPolicy']
const SCALARS = new Set(['string', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float', 'bytes'])

const source = process.argv[2]
if (!source) throw new Error('usage: extract.ts <path to protos.json>')
const root = JSON.parse(readFileSync(source, 'utf8'))
const v1: Record<string, ProtoType> = root.nested.google.nested.cloud.nested.compute.nested.v1.nested

const out: Record<string, Record<string, { type: string; repeated?: true; map?: true; enum?: string[] }>> = {}
const stack = [...ROOTS]
while (stack.length) {
  const name = stack.pop()!
  const msg = v1[name]
  if (out[name] || !msg?.fields) continue
  out[name] = {}
  for (const [field, f] of Object.entries(msg.fields)) {
    // Enum-valued fields are strings in the compute protos; the enum is nested under the message
    // with the field's name in PascalCase (loadBalancingScheme → LoadBalancingScheme).
    const e = msg.nested?.[field[0]!.toUpperCase() + field.slice(1)]?.values
    const values = e ? Object.keys(e).filter((v) => !v.startsWith('UNDEFINED_')) : undefined
    out[name][field] = { type: f.type, ...(f.rule === 'repeated' ? { repeated: true } : {}), ...(f.keyType ? { map: true } : {}), ...(values ? { enum: values } : {}) }
    if (!SCALARS.has(f.type)) stack.push(f.type)
  }
}
const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]))
writeFileSync(join(import.meta.dirname, 'compute-v1.json'), JSON.stringify({ source: '@google-cloud/compute@7.8.0 build/protos/protos.json (google.cloud.compute.v1)', license: 'Apache-2.0', messages: sorted }, null, 1) + '\n')
