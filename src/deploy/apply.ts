import type { KubernetesObject } from '@kubernetes/client-node'
import { canonicalYaml } from '../util/index.ts'
import { apiError, statusOf } from './api-errors.ts'
import type { Cluster } from './kubeconfig.ts'
import { FIELD_MANAGER, refOf, type KubeObject, type Outcome } from './objects.ts'

export interface ApplyOptions {
  readonly dryRun: boolean
  readonly forceConflicts: boolean
}

/**
 * Server-side apply of one object (PATCH, `application/apply-patch+yaml`, fieldManager
 * `switchyard`; with dryRun=All when asked). The object is read first, so the outcome can say, as
 * kubectl does, whether it was created, configured or left unchanged: an apply that changes nothing
 * returns the stored object as it was.
 */
export async function applyObject(cluster: Cluster, o: KubeObject, namespace: string, options: ApplyOptions): Promise<Outcome> {
  const ns = o.metadata.namespace ?? namespace
  const ref = refOf(o)
  // The client fills in missing fields of what it is given; it gets a copy, never the caller's object.
  const body = structuredClone({ ...o, metadata: { ...o.metadata, namespace: ns } }) as KubernetesObject
  let before: KubernetesObject | undefined
  try {
    before = await cluster.api.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: ns } })
  } catch (e) {
    if (statusOf(e) !== 404) throw apiError(cluster, { verb: 'read', what: ref, namespace: ns }, e)
  }
  let after: KubernetesObject
  try {
    // Force only on request: a conflict means someone else (kubectl edit, an autoscaler, another
    // tool) owns a field, and silently taking it over is what `--force-conflicts` is for.
    after = await cluster.api.patch(body, undefined, options.dryRun ? 'All' : undefined, FIELD_MANAGER, options.forceConflicts ? true : undefined, 'application/apply-patch+yaml')
  } catch (e) {
    throw apiError(cluster, { verb: 'apply', what: ref, namespace: ns }, e)
  }
  const action = before === undefined ? 'created' : sameContent(before, after) ? 'unchanged' : 'configured'
  return { ref, namespace: ns, action, dryRun: options.dryRun }
}

/**
 * Whether two reads of an object hold the same content. Ignored: what the server changes on its
 * own (status, resourceVersion, generation) and field ownership records, whose timestamps move
 * when ownership does even if no value changes.
 */
function sameContent(a: KubernetesObject, b: KubernetesObject): boolean {
  return canonicalYaml(comparable(a)) === canonicalYaml(comparable(b))
}

function comparable(o: KubernetesObject): unknown {
  const { status: _status, ...rest } = JSON.parse(JSON.stringify(o)) as Record<string, unknown> & { metadata?: Record<string, unknown> }
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...metadata } = rest.metadata ?? {}
  return { ...rest, metadata }
}
