/** A Kubernetes object as deploy sends it: plain data with its type and name. */
export interface KubeObject {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> }
  readonly [field: string]: unknown
}

/** An API version and kind, e.g. `apps/v1` `Deployment`. */
export interface TypeRef {
  readonly apiVersion: string
  readonly kind: string
}

export type Action = 'created' | 'configured' | 'unchanged' | 'pruned'

/** What happened to one object, printed as kubectl prints it. */
export interface Outcome {
  /** `deployment.apps/frontend`, `service/frontend`, `httproute.gateway.networking.k8s.io/ingress`. */
  readonly ref: string
  readonly namespace: string
  readonly action: Action
  readonly dryRun: boolean
}

/** The field manager that owns what deploy applies (server-side apply). */
export const FIELD_MANAGER = 'switchyard'

function group(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
}

/** kubectl's `<kind>.<group>/<name>`: the group, not the version, names the object. */
export function refOf(o: { apiVersion: string; kind: string; metadata: { name: string } }): string {
  const g = group(o.apiVersion)
  return `${o.kind.toLowerCase()}${g ? `.${g}` : ''}/${o.metadata.name}`
}

/** One key per object regardless of the version it was read at: group, kind, namespace, name. */
export function keyOf(o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }, namespace: string): string {
  return `${group(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? namespace}/${o.metadata.name}`
}

/** `kubectl apply` style: `deployment.apps/frontend created (server dry run)`. */
export function formatOutcome(o: Outcome): string {
  return `${o.ref} ${o.action}${o.dryRun ? ' (server dry run)' : ''}`
}
