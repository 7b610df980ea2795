import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command, Option } from 'commander'
import { stringify } from 'yaml'
import { hasErrors, SwitchyardError } from '../diag/index.ts'
import { validateApp, type App } from '../model/index.ts'
import {
  acaRecipe,
  cloudRunRecipe,
  ecsRecipe,
  formatPortability,
  isPortable,
  locateFields,
  PLATFORMS,
  portability,
  renderApp,
  type DocumentRecipe,
  type DocumentRenderResult,
  type Manifest,
  type PlatformName,
} from '../recipes/index.ts'
import { parametersOption } from './parameters-option.ts'
import { printDiagnostics } from './print-diagnostics.ts'
import { readInputs, type InputFile } from '../pipeline/index.ts'
import { outputFile, writeDocuments, type DocumentFormat } from './render-documents.ts'

const RECIPES: Record<PlatformName, DocumentRecipe> = { ecs: ecsRecipe, aca: acaRecipe, cloudrun: cloudRunRecipe }

interface RenderOpts {
  env?: string
  target: string
  output: string
  publicIp?: string
  format?: DocumentFormat
  check?: boolean
  parameters: string[]
}

export function renderCommand(): Command {
  return new Command('render')
    .description('Render an app for a platform. Every object is checked against its official schema first; on any error nothing is written.')
    .argument('<files...>', 'app files or directories (an environment may be among them)')
    .option('--env <file>', 'the environment file, if not among the app files')
    .addOption(new Option('--target <platform>', 'the platform to render for (all: every platform but kubernetes)').choices(['kubernetes', 'ecs', 'aca', 'cloudrun', 'all']).makeOptionMandatory())
    .option('-o, --output <dir>', 'a directory (one file per kind or document), a .json/.yaml file (ecs, aca, cloudrun), or - for standard output', '-')
    .addOption(new Option('--format <format>', 'json or yaml for ecs, aca and cloudrun (default: the -o extension, else yaml; ARM templates are json)').choices(['json', 'yaml']))
    .option('--check', 'print which routes each platform can express (a portability table) and write nothing; exit 1 if any cannot')
    .option('--public-ip <ip>', 'the public IP legacy gateways compute nip.io hostnames from')
    .addOption(parametersOption())
    .addHelpText(
      'after',
      '\nExamples:\n  switchyard render examples/shop --target kubernetes -o out/\n  kubectl apply -f out/\n  switchyard render examples/shop --target ecs -o stack.json\n  switchyard render examples/shop --target all --check',
    )
    .action((files: string[], opts: RenderOpts) => {
      const inputs = readInputs(opts.env ? [...files, opts.env] : files, { parameters: opts.parameters })
      if (opts.target !== 'kubernetes' || opts.check) {
        const validated = validateApp(inputs)
        if (validated.app) renderPlatforms(validated.app, inputs, opts)
        else {
          printDiagnostics(validated.diagnostics, inputs, 'text')
          process.exitCode = 1
        }
        return
      }
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

/**
 * ECS, Container Apps and Cloud Run (or all three). `--check` prints the portability table and
 * exits 1 when any route cannot be rendered on a platform asked for; otherwise each platform's
 * documents are written, into `DIR/<platform>/` for `--target all`, and nothing at all if any
 * platform reports an error.
 */
function renderPlatforms(app: App, inputs: readonly InputFile[], opts: RenderOpts): void {
  const platforms = opts.target === 'all' || opts.target === 'kubernetes' ? PLATFORMS : [opts.target as PlatformName]
  const results = Object.fromEntries(
    PLATFORMS.map((p) => {
      const r = RECIPES[p].render(app)
      return [p, { ...r, diagnostics: locateFields(r.diagnostics, inputs) }]
    }),
  ) as unknown as Record<PlatformName, DocumentRenderResult>
  if (opts.check) {
    const rows = portability(app, results)
    process.stdout.write(formatPortability(rows, platforms))
    process.exitCode = isPortable(rows, platforms) ? 0 : 1
    return
  }
  const chosen = platforms.map((p) => [p, results[p]] as const)
  const diagnostics = chosen.flatMap(([, r]) => r.diagnostics)
  printDiagnostics(diagnostics, inputs, 'text')
  if (hasErrors(diagnostics)) {
    process.exitCode = 1
    return
  }
  if (opts.target === 'all' && (opts.output === '-' || outputFile(opts.output))) {
    throw new SwitchyardError('CLI_USAGE', '--target all writes one folder per platform: give -o DIR, or --check for the portability table')
  }
  for (const [p, r] of chosen) {
    const format = documentFormat(p, opts)
    writeDocuments(opts.target === 'all' ? join(opts.output, p) : opts.output, r.documents, format)
  }
}

/** `--format`, else the `-o` file's extension, else the platform's own (ARM: json; others: yaml). */
function documentFormat(p: PlatformName, opts: RenderOpts): DocumentFormat {
  const byFile = outputFile(opts.output)
  if (opts.format && byFile && opts.format !== byFile) throw new SwitchyardError('CLI_USAGE', `--format ${opts.format} disagrees with the output file ${opts.output}`)
  const format = opts.format ?? byFile ?? RECIPES[p].defaultFormat
  if (p === 'aca' && format === 'yaml') throw new SwitchyardError('CLI_USAGE', 'Azure Resource Manager templates are JSON: use --format json (the default for aca)')
  return format
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
