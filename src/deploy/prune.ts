import type { KubernetesObject } from '@kubernetes/client-node'
import { apiError, statusOf } from './api-errors.ts'
import type { Cluster } from './kubeconfig.ts'
import { keyOf, refOf, type Outcome, type TypeRef } from './objects.ts'

export interface PruneOptions {
  /** Kinds to look through: every kind the recipe can render, not only those it rendered this time. */
  readonly types: readonly TypeRef[]
  /** Labels an object must carry, all of them, to be ours: the app's label and managed-by. */
  readonly labels: Readonly<Record<string, string>>
  readonly namespaces: readonly string[]
  /** Keys (objects.ts keyOf) of what was just applied: these stay. */
  readonly keep: ReadonlySet<string>
  readonly dryRun: boolean
}

/**
 * Deletes the objects of this app that it no longer renders: listed per kind and namespace by
 * label selector, checked again here (an object without every one of our labels is never
 * touched, whatever a server's selector did), and deleted with background propagation as kubectl
 * does. Kinds the cluster does not serve hold nothing to prune and are skipped.
 */
export async function pruneStale(cluster: Cluster, o: PruneOptions): Promise<Outcome[]> {
  const selector = Object.entries(o.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
  const out: Outcome[] = []
  // Dependents first (routes before the Services and Gateways they name), as KIND_ORDER reversed.
  for (const type of [...o.types].reverse()) {
    const what = `${type.kind} (${type.apiVersion})`
    let served: boolean
    try {
      served = await cluster.api.served(type.apiVersion, type.kind)
    } catch (e) {
      throw apiError(cluster, { verb: 'discover', what }, e)
    }
    if (!served) continue
    for (const namespace of o.namespaces) {
      let items: KubernetesObject[]
      try {
        items = (await cluster.api.list(type.apiVersion, type.kind, namespace, undefined, undefined, undefined, undefined, selector)).items
      } catch (e) {
        throw apiError(cluster, { verb: 'list', what: `${what} with labels ${selector}`, namespace }, e)
      }
      for (const item of items) {
        const name = item.metadata?.name
        if (!name || !ours(item, o.labels)) continue
        const header = { apiVersion: type.apiVersion, kind: type.kind, metadata: { name, namespace } }
        if (o.keep.has(keyOf(header, namespace))) continue
        try {
          await cluster.api.delete(header, undefined, o.dryRun ? 'All' : undefined, undefined, undefined, 'Background')
        } catch (e) {
          // Gone already (deleted by someone else meanwhile): the goal is met.
          if (statusOf(e) !== 404) throw apiError(cluster, { verb: 'delete', what: refOf(header), namespace }, e)
        }
        out.push({ ref: refOf(header), namespace, action: 'pruned', dryRun: o.dryRun })
      }
    }
  }
  return out
}

function ours(item: KubernetesObject, labels: Readonly<Record<string, string>>): boolean {
  const have = item.metadata?.labels ?? {}
  return Object.entries(labels).every(([k, v]) => have[k] === v)
}
