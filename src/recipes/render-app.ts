import { hasErrors, type Diagnostic } from '../diag/index.ts'
import { validateApp, type App, type SourceFile } from '../model/index.ts'
import { kubernetesRecipe } from './kubernetes/render.ts'
import type { Manifest, Recipe, RenderOptions } from './recipe.ts'

export interface RenderedApp {
  /** The validated app; absent when the files have errors. */
  readonly app?: App
  /** Empty whenever a diagnostic is an error: nothing half-rendered is ever written or applied. */
  readonly objects: readonly Manifest[]
  /** The model's diagnostics, then the recipe's. */
  readonly diagnostics: readonly Diagnostic[]
}

/**
 * App files → validated app → a recipe's objects: the one render step `render` prints and `deploy`
 * applies, so what a user previews is exactly what reaches the cluster.
 */
export function renderApp(files: readonly SourceFile[], options: RenderOptions = {}, recipe: Recipe = kubernetesRecipe): RenderedApp {
  const validated = validateApp(files)
  if (!validated.app) return { objects: [], diagnostics: validated.diagnostics }
  const rendered = recipe.render(validated.app, options)
  const diagnostics = [...validated.diagnostics, ...rendered.diagnostics]
  return { app: validated.app, objects: hasErrors(diagnostics) ? [] : rendered.objects, diagnostics }
}
