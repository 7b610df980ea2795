import type { CodeInfo } from './code-info.ts'
import { BICEP_CODES } from './codes-bicep.ts'
import { CLI_CODES } from './codes-cli.ts'
import { DATAPLANE_CODES } from './codes-dataplane.ts'
import { DEPLOY_CODES } from './codes-deploy.ts'
import { INPUT_CODES } from './codes-input.ts'
import { LOCAL_CODES } from './codes-local.ts'
import { MODEL_CODES } from './codes-model.ts'
import { PLATFORM_CODES } from './codes-platforms.ts'
import { RECIPE_CODES } from './codes-recipes.ts'
import { TRANSLATOR_CODES } from './codes-translator.ts'

/**
 * The one catalog of every error code, across the four kinds (DESIGN.md §4). Each stage keeps its
 * codes in its own `codes-<stage>.ts`; docs/errors.md documents every code, and a test keeps the
 * two in sync both ways.
 */
export const CODES = {
  ...INPUT_CODES,
  ...MODEL_CODES,
  ...RECIPE_CODES,
  ...PLATFORM_CODES,
  ...CLI_CODES,
  ...TRANSLATOR_CODES,
  ...DATAPLANE_CODES,
  ...DEPLOY_CODES,
  ...BICEP_CODES,
  ...LOCAL_CODES,
} as const satisfies Record<string, CodeInfo>

export type DiagCode = keyof typeof CODES
