import { Command, Option } from 'commander'
import { graphFromApp, renderMermaid, renderText } from '../graph/index.ts'
import { validateApp } from '../model/index.ts'
import { readInputs } from '../pipeline/index.ts'
import { printDiagnostics } from './print-diagnostics.ts'

/**
 * `switchyard graph <app files…> [--env FILE] [-o text|json|mermaid]`: the app's containers, the
 * routes into them and the connections between them.
 */
export function graphCommand(): Command {
  return new Command('graph')
    .description('Draw the app: the gateway, its routes and the containers they lead to, and the connections between containers.')
    .argument('<files...>', 'app files or directories (an environment may be among them)')
    .option('--env <file>', 'the environment file, if not among the app files')
    .addOption(new Option('-o, --output <format>', 'text for people, json for tools, mermaid for diagrams (paste into a Markdown file)').choices(['text', 'json', 'mermaid']).default('text'))
    .addHelpText('after', '\nExample:\n  switchyard graph examples/shop\n  switchyard graph examples/shop -o mermaid')
    .action((files: string[], opts: { env?: string; output: 'text' | 'json' | 'mermaid' }) => {
      const inputs = readInputs(opts.env ? [...files, opts.env] : files)
      const validated = validateApp(inputs)
      printDiagnostics(validated.diagnostics, inputs, 'text')
      if (!validated.app) {
        process.exitCode = 1
        return
      }
      const graph = graphFromApp(validated.app)
      process.stdout.write(opts.output === 'json' ? JSON.stringify(graph, null, 2) + '\n' : opts.output === 'mermaid' ? renderMermaid(graph) : renderText(graph))
    })
}
