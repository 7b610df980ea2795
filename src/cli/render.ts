import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command, Option } from 'commander'
import { stringify } from 'yaml'
import { hasErrors, SwitchyardError } from '../diag/index.ts'
import { renderApp, type Manifest } from '../recipes/index.ts'
import { printDiagnostics } from './print-diagnostics.ts'
import { readInputs } from '../pipeline/index.ts'

export function renderCommand(): Command {
  return new Command('render')
    .description('Render an app for a platform. Every object is checked against its official schema first; on any error nothing is written.')
    .argument('<files...>', 'app files or directories (an environment may be among them)')
    .option('--env <file>', 'the environment file, if not among the app files')
    .addOption(new Option('--target <platform>', 'the platform to render for').choices(['kubernetes']).makeOptionMandatory())
    .option('-o, --output <dir>', 'a directory to write one YAML file per kind into, or - for standard output', '-')
    .option('--public-ip <ip>', 'the public IP legacy gateways compute nip.io hostnames from')
    .addHelpText('after', '\nExample:\n  switchyard render examples/shop --target kubernetes -o out/\n  kubectl apply -f out/')
    .action((files: string[], opts: { env?: string; target: string; output: string; publicIp?: string }) => {
      const inputs = readInputs(opts.env ? [...files, opts.env] : files)
      const result = renderApp(inputs, opts.publicIp ? { publicEndpoint: { ip: opts.publicIp } } : {})
      printDiagnostics(result.diagnostics, inputs, 'text')
      if (hasErrors(result.diagnostics)) {
        process.exitCode = 1
        return
      }
      if (opts.output === '-') process.stdout.write(toYaml(result.objects))
      else writeByKind(opts.output, result.objects)
    })
}

function toYaml(objects: readonly Manifest[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n')
}

/**
 * One file per kind (`deployments.yaml`, `httproutes.yaml`, …). Each is written beside its final
 * name and renamed into place, so a reader never sees half a file.
 */
function writeByKind(dir: string, objects: readonly Manifest[]): void {
  const byKind = new Map<string, Manifest[]>()
  for (const o of objects) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o])
  try {
    mkdirSync(dir, { recursive: true })
    for (const [kind, list] of byKind) {
      const file = join(dir, `${kind.toLowerCase()}s.yaml`)
      writeFileSync(`${file}.tmp`, toYaml(list))
      renameSync(`${file}.tmp`, file)
      process.stderr.write(`wrote ${file} (${list.length} ${kind})\n`)
    }
  } catch (cause) {
    throw new SwitchyardError('RENDER_OUTPUT_FAILED', `cannot write to ${dir}: ${(cause as Error).message}`, { cause })
  }
}
