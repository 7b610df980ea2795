import type { Diagnostic } from '../../diag/index.ts'
import type { App } from '../../model/index.ts'
import type { Manifest, Recipe, RenderOptions, RenderResult } from '../recipe.ts'
import { renderContainer } from './containers.ts'
import { renderLegacyGateway } from './legacy-gateways.ts'
import { renderRoute } from './routes.ts'
import { validateObjects } from './validate-objects.ts'

/** Kinds in the order they are applied and listed: what others depend on comes first. */
export const KIND_ORDER = ['Secret', 'ReferenceGrant', 'Service', 'Deployment', 'Gateway', 'HTTPRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const

/**
 * The API version of each kind this recipe renders: what `deploy` lists when it prunes, so an app
 * that stops rendering a kind still has its old objects of that kind found and removed. A test
 * checks every rendered object is one of these.
 */
export const RENDERED_TYPES: readonly { readonly apiVersion: string; readonly kind: (typeof KIND_ORDER)[number] }[] = [
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TCPRoute' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'UDPRoute' },
]

/** The app → Deployments, Services, Gateway API routes (and for legacy gateways, Gateways and Secrets). */
export function renderKubernetes(app: App, options: RenderOptions = {}): RenderResult {
  const namespace = targetNamespace(app, options)
  const objects: Manifest[] = [
    ...app.containers.flatMap((c) => renderContainer(app, c, namespace)),
    ...app.routes.map((r) => renderRoute(app, r, namespace)),
    ...app.gateways.flatMap((g) => renderLegacyGateway(app, g, namespace, options)),
  ]
  const sorted = sortObjects(objects)
  const unnamed = sorted.filter((o) => o.kind === 'TLSRoute' && !(o.spec as { hostnames?: unknown }).hostnames)
  return { objects: sorted, diagnostics: [...unnamed.map(tlsHostnameRequired), ...validateObjects(sorted.filter((o) => !unnamed.includes(o)))] }
}

/** Where the app's objects go: `options.namespace`, else the environment's, else `default`. */
export function targetNamespace(app: App, options: RenderOptions = {}): string {
  return options.namespace ?? app.environment?.namespace ?? 'default'
}

/**
 * A TLSRoute routes by SNI, so the Gateway API requires it to name its hostnames. Say where they
 * come from instead of letting the schema complain about a field the user never wrote.
 */
function tlsHostnameRequired(o: Manifest): Diagnostic {
  const resource = o.metadata.labels?.['radapp.io/resource'] ?? o.metadata.name
  const legacy = o.metadata.labels?.['radapp.io/resource-type'] === 'Applications.Core.gateways'
  const fix = legacy
    ? `give the gateway hostname.fullyQualifiedHostname, or render with --public-ip so its hostname can be computed`
    : `give the route "hostnames", or set hostnames in the environment's recipeParameters for Radius.Compute/routes`
  return { code: 'RENDER_TLS_HOSTNAME_REQUIRED', severity: 'error', message: `"${resource}" routes TLS by SNI and needs at least one hostname: ${fix}`, path: '', resource: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}` }
}

export function sortObjects(objects: readonly Manifest[]): Manifest[] {
  const rank = (k: string) => {
    const i = (KIND_ORDER as readonly string[]).indexOf(k)
    return i === -1 ? KIND_ORDER.length : i
  }
  return [...objects].sort(
    (a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind) || (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name),
  )
}

export const kubernetesRecipe: Recipe = { target: 'kubernetes', render: renderKubernetes }
