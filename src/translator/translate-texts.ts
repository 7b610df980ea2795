import type { InputText } from './load/load.ts'
import { loadObjects } from './load/load.ts'
import { translate, type TranslateOptions, type TranslateResult } from './translate.ts'

/** Load then translate: YAML texts → result, with the loader's diagnostics first. */
export function translateTexts(inputs: readonly InputText[], options: TranslateOptions): TranslateResult {
  const loaded = loadObjects(inputs, { now: options.now })
  const result = translate(loaded.objects, options)
  return { ...result, diagnostics: [...loaded.diagnostics, ...result.diagnostics] }
}
