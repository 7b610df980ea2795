/**
 * cli — the composition root. One file per command; each exports a function that builds its
 * commander Command. Wiring only: the work happens in the stages the commands call.
 *
 * Exit status: 0 success, 1 the input has errors (diagnostics printed), 2 the command could not run
 * (usage, unreadable file, …).
 */
import { Command, CommanderError } from 'commander'
import { SwitchyardError } from '../diag/index.ts'
import { certsCommand } from './certs.ts'
import { deployCommand } from './deploy.ts'
import { explainCommand } from './explain.ts'
import { graphCommand } from './graph.ts'
import { renderCommand } from './render.ts'
import { runCommand } from './run.ts'
import { serveCommand } from './serve.ts'
import { statusCommand } from './status.ts'
import { translateCommand } from './translate.ts'
import { validateCommand } from './validate.ts'

const program = new Command('switchyard')
  .description('Application networking for containers: validate an app’s routes, render them for a platform, and run them on a local Gateway API gateway.')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()

// Each command registers here, in the order `--help` lists them.
const commands: Command[] = [validateCommand(), renderCommand(), serveCommand(), statusCommand(), translateCommand(), deployCommand(), explainCommand(), graphCommand(), runCommand(), certsCommand()]
for (const command of commands) program.addCommand(command.exitOverride())

try {
  await program.parseAsync()
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2)
  if (e instanceof SwitchyardError) {
    process.stderr.write(`switchyard: ${e.message} [${e.code}]\n`)
    process.exit(2)
  }
  throw e
}
