import { Command, Option } from 'commander'
import { connect, deploy, formatOutcome } from '../deploy/index.ts'
import { hasErrors, SwitchyardError } from '../diag/index.ts'
import { readInputs } from '../pipeline/index.ts'
import { parametersOption } from './parameters-option.ts'
import { ownerLabels, RENDERED_TYPES, renderApp, targetNamespace } from '../recipes/index.ts'
import { parseGoDuration } from '../util/index.ts'
import { printDiagnostics } from './print-diagnostics.ts'

interface DeployFlags {
  env?: string
  namespace?: string
  context?: string
  dryRun?: boolean
  prune: boolean
  forceConflicts?: boolean
  publicIp?: string
  requestTimeout: string
  parameters: string[]
}

/** `switchyard deploy <app files…>`: render for Kubernetes (as `render --target kubernetes`), then apply. */
export function deployCommand(): Command {
  return new Command('deploy')
    .description('Render an app for Kubernetes and apply it to the cluster of the current kubeconfig context (server-side apply), then prune what the app no longer renders.')
    .argument('<files...>', 'app files or directories (an environment may be among them)')
    .option('--env <file>', 'the environment file, if not among the app files')
    .option('-n, --namespace <namespace>', "the namespace to deploy into, instead of the environment's (default: default)")
    .option('--context <name>', 'a kubeconfig context instead of the current one')
    .option('--dry-run', "send every request with the server's dryRun=All: checked and admitted by the cluster, nothing stored")
    .option('--prune', "delete this app's objects (by its radapp.io/application label) that it no longer renders", true)
    .option('--no-prune', 'keep them')
    .option('--force-conflicts', 'take over fields another field manager owns instead of stopping at the conflict')
    .option('--public-ip <ip>', 'the public IP legacy gateways compute nip.io hostnames from')
    .addOption(parametersOption())
    .addOption(new Option('--request-timeout <duration>', 'how long one API request may take before the cluster counts as unreachable').default('10s'))
    .addHelpText('after', '\nExamples:\n  switchyard deploy examples/shop --dry-run\n  switchyard deploy examples/shop --namespace shop --context kind-dev')
    .action(async (files: string[], opts: DeployFlags) => {
      const timeoutMs = parseGoDuration(opts.requestTimeout)
      if (!timeoutMs) throw new SwitchyardError('CLI_USAGE', `--request-timeout wants a positive duration such as 10s or 1m, got ${opts.requestTimeout}`)
      const inputs = readInputs(opts.env ? [...files, opts.env] : files, { parameters: opts.parameters })
      const options = { ...(opts.namespace ? { namespace: opts.namespace } : {}), ...(opts.publicIp ? { publicEndpoint: { ip: opts.publicIp } } : {}) }
      const result = renderApp(inputs, options)
      printDiagnostics(result.diagnostics, inputs, 'text')
      if (hasErrors(result.diagnostics) || !result.app) {
        process.exitCode = 1
        return
      }
      const app = result.app.application?.name
      const namespace = targetNamespace(result.app, options)
      const cluster = await connect({ ...(opts.context ? { context: opts.context } : {}), timeoutMs })
      process.stderr.write(`deploying ${app ?? 'the app'} to context "${cluster.context}" (${cluster.server}), namespace ${namespace}${opts.dryRun ? ' (server dry run)' : ''}\n`)
      await deploy(cluster, {
        objects: result.objects,
        namespace,
        dryRun: opts.dryRun ?? false,
        forceConflicts: opts.forceConflicts ?? false,
        prune: opts.prune && app ? { types: RENDERED_TYPES, labels: ownerLabels(app) } : null,
        onOutcome: (o) => process.stdout.write(formatOutcome(o) + '\n'),
      })
    })
}
