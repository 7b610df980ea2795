import { Command, Option } from 'commander'
import { hasErrors } from '../diag/index.ts'
import { describeApp, redactApp, validateApp } from '../model/index.ts'
import { parametersOption } from './parameters-option.ts'
import { printDiagnostics, type OutputFormat } from './print-diagnostics.ts'
import { readInputs } from '../pipeline/index.ts'

export function validateCommand(): Command {
  return new Command('validate')
    .description('Check app and environment files: every problem is reported with file:line:col and the field path; on success, a summary of the app.')
    .argument('<files...>', 'app files, environment files, or directories of them (.yaml, .yml, .json; .bicep files when named)')
    .addOption(new Option('-o, --output <format>', 'text, or json for tools').choices(['text', 'json']).default('text'))
    .addOption(parametersOption())
    .addHelpText('after', '\nExit status: 0 valid (warnings allowed), 1 errors found, 2 the command could not run.\n\nExamples:\n  switchyard validate examples/shop/app.yaml examples/shop/env.yaml\n  switchyard validate examples/shop/app.bicep examples/shop/env.yaml -p frontendPort=9090')
    .action((files: string[], opts: { output: OutputFormat; parameters: string[] }) => {
      const inputs = readInputs(files, { parameters: opts.parameters })
      const result = validateApp(inputs)
      const failed = hasErrors(result.diagnostics)
      if (opts.output === 'json') {
        process.stdout.write(JSON.stringify({ valid: !failed, diagnostics: result.diagnostics, ...(result.app ? { app: redactApp(result.app) } : {}) }, null, 2) + '\n')
      } else {
        printDiagnostics(result.diagnostics, inputs, 'text')
        if (result.app) process.stdout.write(describeApp(result.app))
      }
      process.exitCode = failed ? 1 : 0
    })
}
