/**
 * recipes — an app, rendered for one platform.
 *
 * Input: a valid `App` from model (and render options). Output: plain objects for the target and
 * diagnostics. `kubernetes/` renders Deployments, Services and Gateway API objects (the same
 * objects a local run feeds the translator), each checked against its official schema.
 * Invariants: output is sorted and deterministic; names are DNS-safe and at most 63 characters.
 * May import diag, util, model and k8s.
 */
export type { Manifest, Recipe, RenderOptions, RenderResult } from './recipe.ts'
export { KIND_ORDER, kubernetesRecipe, RENDERED_TYPES, renderKubernetes, sortObjects, targetNamespace } from './kubernetes/render.ts'
export { ownerLabels } from './kubernetes/labels.ts'
export { renderApp, type RenderedApp } from './render-app.ts'
export { validateObjects } from './kubernetes/validate-objects.ts'
export { DEFAULT_PARENT } from './kubernetes/routes.ts'
