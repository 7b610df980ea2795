/**
 * bicep — the Bicep that Radius applications are written in, read into the same resources a YAML
 * app file holds.
 *
 * Input: a .bicep file's text, parameter values (`-p`), and a way to read the files its
 * loadTextContent() calls name. Output: one document of resources (`{type: 'T@v', name,
 * properties}`, references such as `app.id` evaluated to Radius resource IDs) that the model
 * validates like YAML, with every field's position in the .bicep file; and diagnostics.
 * Invariants: never throws on any input; anything outside the supported subset is a
 * BICEP_NOT_SUPPORTED diagnostic at its line:col, never a guessed value; a file with errors
 * yields no resources (as a YAML document with a syntax error yields none). Pure: no I/O of its
 * own. May import diag, util and model.
 */
import type { Diagnostic } from '../diag/index.ts'
import type { ParsedYaml } from '../util/index.ts'
import { Evaluator } from './evaluate.ts'
import type { ParameterValues } from './parameters.ts'
import { parseBicep } from './parser.ts'
import { LineMap } from './positions.ts'
import { toDoc } from './source-doc.ts'

export { DEFAULT_ENVIRONMENT_ID } from './evaluate.ts'
export { parseParameterArgs, undeclaredParameters, type ParameterFile, type ParameterValue, type ParameterValues } from './parameters.ts'

export interface BicepOptions {
  readonly parameters?: ParameterValues
  /** The bytes of a file a load function names (a path relative to the .bicep file), or undefined. */
  readonly readFile?: (path: string) => Uint8Array | undefined
}

export interface BicepResult extends ParsedYaml {
  /** The names of the parameters the file declares (to refuse a `-p` no file declares). */
  readonly parameters: readonly string[]
}

const isError = (d: Diagnostic) => d.severity === 'error'

/** Parses and evaluates a .bicep file into the resources it declares. */
export function evaluateBicep(text: string, file: string, options: BicepOptions = {}): BicepResult {
  const lines = new LineMap(file, text)
  const parsed = parseBicep(lines)
  const declared = parsed.file.decls.flatMap((d) => (d.kind === 'param' ? [d.name] : []))
  // Evaluating a file that does not parse would only echo its syntax errors.
  if (parsed.diagnostics.some(isError)) return { docs: [], diagnostics: parsed.diagnostics, parameters: declared }
  const result = new Evaluator(lines, options.parameters ?? new Map(), options.readFile ?? (() => undefined)).run(parsed.file)
  const diagnostics = [...parsed.diagnostics, ...result.diagnostics]
  return { docs: diagnostics.some(isError) ? [] : [toDoc(result.resources, lines)], diagnostics, parameters: declared }
}
