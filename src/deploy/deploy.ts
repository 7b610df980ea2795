import { SwitchyardError } from '../diag/index.ts'
import { apiError } from './api-errors.ts'
import { applyObject } from './apply.ts'
import type { Cluster } from './kubeconfig.ts'
import { keyOf, type KubeObject, type Outcome, type TypeRef } from './objects.ts'
import { pruneStale } from './prune.ts'

export interface DeployPlan {
  /** In the order to apply them (what others depend on first). */
  readonly objects: readonly KubeObject[]
  /** Where objects without a namespace go, and always one of the namespaces pruned. */
  readonly namespace: string
  /** The server's dry run (dryRun=All): every request is checked and admitted, nothing is stored. */
  readonly dryRun: boolean
  readonly forceConflicts: boolean
  /** What to prune: objects of these kinds carrying all these labels. Null: no pruning. */
  readonly prune: { readonly types: readonly TypeRef[]; readonly labels: Readonly<Record<string, string>> } | null
  /** Each outcome as it happens, so a long deploy shows progress. */
  readonly onOutcome?: (outcome: Outcome) => void
}

/**
 * Applies the objects, then prunes this app's objects that were not applied. Before changing
 * anything it asks the server (discovery) whether it serves every kind to apply: an unreachable
 * cluster or a missing CRD stops the deploy before the first write, not halfway through.
 */
export async function deploy(cluster: Cluster, plan: DeployPlan): Promise<Outcome[]> {
  await requireServed(cluster, plan.objects)
  const outcomes: Outcome[] = []
  const report = (o: Outcome) => {
    outcomes.push(o)
    plan.onOutcome?.(o)
  }
  for (const o of plan.objects) report(await applyObject(cluster, o, plan.namespace, plan))
  if (plan.prune) {
    const namespaces = [...new Set([plan.namespace, ...plan.objects.map((o) => o.metadata.namespace ?? plan.namespace)])].sort()
    const keep = new Set(plan.objects.map((o) => keyOf(o, plan.namespace)))
    for (const o of await pruneStale(cluster, { ...plan.prune, namespaces, keep, dryRun: plan.dryRun })) report(o)
  }
  return outcomes
}

async function requireServed(cluster: Cluster, objects: readonly KubeObject[]): Promise<void> {
  const types = [...new Map(objects.map((o) => [`${o.apiVersion} ${o.kind}`, { apiVersion: o.apiVersion, kind: o.kind }])).values()]
  const missing: string[] = []
  for (const t of types) {
    try {
      if (!(await cluster.api.served(t.apiVersion, t.kind))) missing.push(`${t.kind} (${t.apiVersion})`)
    } catch (e) {
      throw apiError(cluster, { verb: 'discover', what: `${t.kind} (${t.apiVersion})` }, e)
    }
  }
  if (missing.length > 0) {
    const gatewayApi = missing.some((m) => m.includes('gateway.networking.k8s.io'))
    throw new SwitchyardError(
      'DEPLOY_KIND_NOT_SERVED',
      `the cluster of context "${cluster.context}" (${cluster.server}) does not serve ${missing.join(', ')}${gatewayApi ? ': install the Gateway API CRDs (TLSRoute, TCPRoute and UDPRoute are served at v1 only by recent releases; older installs have them at v1alpha2, in the experimental channel)' : ''}. Nothing was changed`,
    )
  }
}
