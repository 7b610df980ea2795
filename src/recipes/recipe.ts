import type { Diagnostic } from '../diag/index.ts'
import type { App } from '../model/index.ts'

/** A Kubernetes-style object as a recipe emits it: plain data, ready to serialise. */
export interface Manifest {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> }
  readonly [field: string]: unknown
}

export interface RenderResult {
  /** Sorted by kind, then namespace and name: the same app always renders the same bytes. */
  readonly objects: readonly Manifest[]
  readonly diagnostics: readonly Diagnostic[]
}

export interface RenderOptions {
  /**
   * The public address legacy gateways compute their hostnames from (Radius's
   * `--public-endpoint-override`, or the load balancer's IP): `prefix` hostnames become
   * `<prefix>.<app>.<ip>.nip.io`. Without it, a legacy gateway without a fully qualified hostname
   * serves any host.
   */
  readonly publicEndpoint?: { readonly ip?: string; readonly hostname?: string }
  /**
   * The namespace every object goes in, instead of the environment's `providers.kubernetes.namespace`
   * (`deploy --namespace`). Cross-namespace references the app names (a parentRef's namespace, a
   * secret store's `resource`) keep theirs.
   */
  readonly namespace?: string
}

/** A recipe turns a valid app into what one platform deploys. One per target. */
export interface Recipe {
  readonly target: 'kubernetes' | 'ecs' | 'aca' | 'cloudrun'
  render(app: App, options?: RenderOptions): RenderResult
}
