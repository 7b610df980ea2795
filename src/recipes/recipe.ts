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

/**
 * One file a platform deploys that is not a Kubernetes object: a CloudFormation template, an ARM
 * template, a Compute Engine API resource.
 */
export interface PlatformDocument {
  /** The file name without its extension (`template`, `urlMap-shop-80`). */
  readonly name: string
  readonly body: unknown
}

export interface DocumentRenderResult {
  /** In a fixed order: the same app always renders the same bytes. */
  readonly documents: readonly PlatformDocument[]
  /** What the platform cannot express, per route, rule and field; never a silent drop. */
  readonly diagnostics: readonly Diagnostic[]
}

/** A recipe for a platform deployed from documents (AWS ECS, Azure Container Apps, Google Cloud Run). */
export interface DocumentRecipe {
  readonly target: 'ecs' | 'aca' | 'cloudrun'
  /** CloudFormation reads YAML or JSON; ARM only JSON; gcloud imports YAML. */
  readonly defaultFormat: 'json' | 'yaml'
  render(app: App): DocumentRenderResult
}
