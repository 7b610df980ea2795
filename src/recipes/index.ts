/**
 * recipes — an app, rendered for one platform.
 *
 * Input: a valid `App` from model (and render options). Output: plain objects for the target and
 * diagnostics. `kubernetes/` renders Deployments, Services and Gateway API objects (the same
 * objects a local run feeds the translator), each checked against its official schema. `ecs/`,
 * `aca/` and `cloudrun/` render documents (a CloudFormation template, an ARM template, Compute API
 * resources) and say, per route, rule and field, what a platform cannot express; legacy gateways
 * join them as routes on listeners of their own (legacy-routes.ts); the shared helpers order HTTP
 * matches by Gateway API precedence for platforms with ordered rules.
 * Invariants: output is sorted and deterministic; names are DNS-safe and at most 63 characters.
 * May import diag, util, model and k8s.
 */
export type { DocumentRecipe, DocumentRenderResult, Manifest, PlatformDocument, Recipe, RenderOptions, RenderResult } from './recipe.ts'
export { acaRecipe, renderAca } from './aca/render.ts'
export { cloudRunRecipe, renderCloudRun } from './cloudrun/render.ts'
export { ecsRecipe, renderEcs } from './ecs/render.ts'
export { locateFields } from './locate-fields.ts'
export { formatPortability, isPortable, PLATFORMS, portability, type PortabilityRow } from './portability.ts'
export { compareMatches, planHttp } from './precedence.ts'
export { PLATFORM_TITLES, type PlatformName } from './route-diagnostics.ts'
export { KIND_ORDER, kubernetesRecipe, RENDERED_TYPES, renderKubernetes, sortObjects, targetNamespace } from './kubernetes/render.ts'
export { ownerLabels } from './kubernetes/labels.ts'
export { renderApp, type RenderedApp } from './render-app.ts'
export { validateObjects } from './kubernetes/validate-objects.ts'
export { DEFAULT_PARENT } from './kubernetes/routes.ts'
