import { Command, Option } from 'commander'
import { hasErrors, SwitchyardError } from '../diag/index.ts'
import * as ir from '../ir/index.ts'
import { DEFAULT_CONTROLLER_NAME, translateTexts } from '../translator/index.ts'
import { canonicalYaml } from '../util/index.ts'
import { printDiagnostics } from './print-diagnostics.ts'
import { readInputs } from '../pipeline/index.ts'

const collect = (value: string, previous: string[]) => [...previous, value]

/**
 * `switchyard translate -f <file|dir> [-f …] --to ir [-o yaml|json]`: the data-plane IR the
 * translator makes from Gateway API YAML, private keys redacted, with IR invariant errors if any.
 */
export function translateCommand(): Command {
  return new Command('translate')
    .description('Translate Gateway API YAML into the data-plane IR (private keys redacted).')
    .requiredOption('-f, --file <path>', 'Gateway API YAML file or directory (repeatable)', collect, [])
    .addOption(new Option('--to <stage>', 'what to produce').choices(['ir']).default('ir'))
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('--controller-name <name>', 'serve only GatewayClasses with this controllerName', DEFAULT_CONTROLLER_NAME)
    .action((opts: { file: string[]; output: 'yaml' | 'json'; controllerName: string }) => {
      if (opts.file.length === 0) throw new SwitchyardError('CLI_NO_INPUT', 'no input: give Gateway API YAML with -f <file|dir>')
      const inputs = readInputs(opts.file)
      const result = translateTexts(inputs, { controllerName: opts.controllerName, now: new Date().toISOString().replace(/\.\d+Z$/, 'Z') })
      const snapshot = ir.printable(result.ir)
      const errors = ir.validate(result.ir)
      const out = errors.length > 0 ? { ir: snapshot, irErrors: errors } : snapshot
      process.stdout.write(opts.output === 'json' ? JSON.stringify(out, null, 2) + '\n' : canonicalYaml(out))
      printDiagnostics(result.diagnostics, inputs, 'text')
      for (const e of errors) process.stderr.write(`${e.name}: error ${e.code} ${e.message}\n`)
      if (hasErrors(result.diagnostics) || errors.length > 0) process.exitCode = 1
    })
}
