import { readFileSync } from 'node:fs'
import { dirname, extname, resolve } from 'node:path'
import { evaluateBicep, parseParameterArgs, undeclaredParameters } from '../bicep/index.ts'
import { SwitchyardError } from '../diag/index.ts'
import type { InputFile } from './read-files.ts'
import { readText } from './read-text.ts'

/**
 * Evaluates the .bicep files among `inputs` (with the `-p` parameters) into the documents the
 * model reads; YAML files pass through. Parameters files join the inputs (no resources, their
 * diagnostics, their text for excerpts). A `-p` no .bicep file declares is an error on the
 * first .bicep file, as ARM refuses parameters its template does not declare.
 */
export function withBicep(inputs: readonly InputFile[], parameterArgs: readonly string[]): InputFile[] {
  const isBicep = (f: InputFile) => extname(f.file).toLowerCase() === '.bicep'
  if (parameterArgs.length > 0 && !inputs.some(isBicep)) throw new SwitchyardError('CLI_USAGE', '-p sets parameters of .bicep files, and no .bicep file was given')
  if (!inputs.some(isBicep)) return [...inputs]
  const { values, files } = parseParameterArgs(parameterArgs, readText)
  const declared = new Set<string>()
  const out = inputs.map((input): InputFile => {
    if (!isBicep(input)) return input
    const readFile = (path: string) => {
      try {
        return readFileSync(resolve(dirname(input.file), path))
      } catch {
        return undefined
      }
    }
    const parsed = evaluateBicep(input.text, input.file, { parameters: values, readFile })
    for (const name of parsed.parameters) declared.add(name)
    return { ...input, parsed }
  })
  const undeclared = undeclaredParameters(values, declared)
  if (undeclared.length > 0) {
    const first = out.findIndex(isBicep)
    const parsed = out[first]!.parsed!
    out[first] = { ...out[first]!, parsed: { docs: [], diagnostics: [...parsed.diagnostics, ...undeclared] } }
  }
  return [...out, ...files.map((f) => ({ file: f.file, text: f.text, parsed: { docs: [], diagnostics: f.diagnostics } }))]
}
