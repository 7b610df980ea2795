import { Command, Option } from 'commander'
import { SwitchyardError, type Diagnostic } from '../diag/index.ts'
import { configDir, LocalCA, LocalRuntime, type Backoff } from '../local/index.ts'
import { readInputs, RunSource, type Pipeline, type ReloadOutcome } from '../pipeline/index.ts'
import type { Limits } from '../dataplane/index.ts'
import { DEFAULT_CONTROLLER_NAME } from '../translator/index.ts'
import { addLimitOptions, limitsFrom } from './limit-options.ts'
import { printDiagnostics } from './print-diagnostics.ts'
import { runReport } from './run-report.ts'
import { startServe, type Serving } from './serve.ts'

export interface RunOptions {
  /** App files or directories; the environment may be among them. */
  readonly files: readonly string[]
  readonly env?: string
  /** Admin API `HOST:PORT`. @default '127.0.0.1:9900' */
  readonly admin?: string
  readonly bindAddress?: string
  readonly portOffset?: number
  /** Test-only: every gateway listener at an ephemeral port. */
  readonly ephemeralPorts?: boolean
  readonly controllerName?: string
  /** Where the local CA lives. @default configDir() */
  readonly configDir?: string
  /** Lines for the terminal: local containers' output, readiness, reloads. @default stdout */
  readonly out?: (line: string) => void
  /** One JSON line per request through the gateway; null: none. @default null */
  readonly accessLog?: ((line: string) => void) | null
  readonly backoff?: Backoff
  readonly stopTimeoutMs?: number
  readonly drainMs?: number
  readonly debounceMs?: number
  /** The gateway's connection, timeout and size limits (`--max-body-bytes`, …); unset fields keep the defaults. */
  readonly limits?: Partial<Limits>
  /** Called after every reload, once the summary (if any) is printed. */
  readonly onReload?: (outcome: ReloadOutcome) => void
}

export interface Running {
  readonly serving: Serving
  readonly local: LocalRuntime
  readonly source: RunSource
  /** The local CA, if this run needed (and so created or opened) it. */
  ca(): LocalCA | null
  /** The start-up summary for the configuration live now. */
  report(): string
  /** Stops the gateway (draining), then every local container. */
  close(): Promise<void>
}

/**
 * The composition root of `switchyard run`: the app goes through the same Kubernetes recipe and
 * translator as in a cluster (RunSource as the pipeline's prepare step), local containers run
 * beside it (LocalRuntime), and the gateway, reload and admin API are `serve`'s (startServe).
 * A local container that starts or stops answering triggers a reload, so its EndpointSlice — and
 * the gateway — follow it.
 */
export async function startRun(o: RunOptions): Promise<Running> {
  const out = o.out ?? ((l: string) => process.stdout.write(l + '\n'))
  let ca: LocalCA | null = null
  const openCA = () => (ca ??= LocalCA.open(o.configDir ?? configDir()))
  let pipeline: Pipeline | null = null
  const local = new LocalRuntime({
    out,
    issue: (names) => openCA().issue(names),
    onChange: () => void pipeline?.reload(),
    ...(o.backoff ? { backoff: o.backoff } : {}),
    ...(o.stopTimeoutMs !== undefined ? { stopTimeoutMs: o.stopTimeoutMs } : {}),
  })
  const controllerName = o.controllerName ?? DEFAULT_CONTROLLER_NAME
  const source = new RunSource({ local, issue: (names) => openCA().issue(names), controllerName })
  const files = o.env ? [...o.files, o.env] : [...o.files]
  let serving: Serving | null = null
  let lastBody = ''
  let firstErrors: readonly Diagnostic[] = []
  const report = (containers: boolean) => {
    const s = serving!
    const live = s.pipeline.current
    const view = source.view
    if (!live || !view) return ''
    return runReport({
      app: view.app,
      defaultEnvironment: view.defaultEnvironment,
      ir: live.ir,
      statuses: live.statuses,
      bound: s.bound(),
      containers: containers ? local.containers() : [],
      diagnostics: live.diagnostics,
      issued: view.issued,
      caPath: (ca as LocalCA | null)?.certPath ?? null,
      admin: s.admin.address,
    })
  }
  const onReload = (outcome: ReloadOutcome) => {
    if (!serving) {
      if (outcome.kind === 'rejected') firstErrors = outcome.errors
    } else if (outcome.kind === 'rejected') {
      out('the configuration was rejected; the last good one stays live:')
      printDiagnostics(outcome.errors, readable(files), 'text')
    } else if (outcome.kind === 'published') {
      // Readiness flips change only endpoints; print the summary again only when what one can try changed.
      const body = report(false)
      if (body !== lastBody) {
        lastBody = body
        out(`configuration ${outcome.generation} is live:\n${report(true)}`)
      }
    }
    o.onReload?.(outcome)
  }
  try {
    serving = await startServe({
      files,
      admin: o.admin ?? '127.0.0.1:9900',
      controllerName,
      bindAddress: o.bindAddress ?? '127.0.0.1',
      portOffset: o.portOffset ?? 0,
      ephemeralPorts: o.ephemeralPorts ?? false,
      drainMs: o.drainMs ?? 1000,
      accessLog: o.accessLog ?? null,
      // Reload events are printed by onReload, for people; serve's JSON lines would repeat them.
      eventLog: () => {},
      onReload,
      prepare: source.prepare,
      ...(o.debounceMs !== undefined ? { debounceMs: o.debounceMs } : {}),
      ...(o.limits ? { limits: o.limits } : {}),
    })
  } catch (e) {
    await local.close()
    if (e instanceof SwitchyardError && e.code === 'PIPELINE_REJECTED' && firstErrors.length) throw new RunRejected(firstErrors, files)
    throw e
  }
  const s = serving
  pipeline = s.pipeline
  lastBody = report(false)
  // A container may have started answering while the first configuration was being published.
  await s.pipeline.reload()
  return {
    serving: s,
    local,
    source,
    ca: () => ca,
    report: () => report(true),
    close: async () => {
      // No reload may start once closing: it would bind the gateway's ports again.
      pipeline = null
      await s.close()
      await local.close()
    },
  }
}

/** The first configuration was rejected: its diagnostics, to print with source excerpts. */
export class RunRejected extends Error {
  readonly diagnostics: readonly Diagnostic[]
  readonly files: readonly string[]
  constructor(diagnostics: readonly Diagnostic[], files: readonly string[]) {
    super('the app was rejected')
    this.diagnostics = diagnostics
    this.files = files
  }
}

function readable(files: readonly string[]) {
  try {
    return readInputs(files)
  } catch {
    return []
  }
}

/** `switchyard run <app files…> [--env FILE]` (DESIGN.md §5). */
export function runCommand(): Command {
  const command = new Command('run')
    .description('Run the app on this machine: its routes on the built-in gateway, its containers as local commands, addresses or stand-ins; reloads when the files change.')
    .argument('<files...>', 'app files or directories (an environment may be among them)')
    .option('--env <file>', 'the environment file, if not among the app files (default: a Gateway with HTTP on 8080 and TLS passthrough on 8443)')
    .option('--admin <host:port>', 'admin API address', '127.0.0.1:9900')
    .option('--bind-address <ip>', 'where Gateways without spec.addresses listen', '127.0.0.1')
    .addOption(new Option('--port-offset <n>', 'bind listener port P at P+N (e.g. 8000 for a legacy gateway’s 80 and 443)').default(0).argParser((v) => Number.parseInt(v, 10)))
    .addOption(new Option('--access-log <where>', 'one JSON line per request').choices(['stdout', 'stderr', 'off']).default('off'))
    .addOption(new Option('--ephemeral-ports', 'testing: bind every listener at a free port (shown in the summary)').hideHelp())
  return addLimitOptions(command)
    .addHelpText('after', '\nSizes take k, m or g (16k, 1m, 1g); durations ms, s or m (500ms, 60s).\n\nExample:\n  switchyard run examples/shop/app.yaml --env examples/shop/env.yaml\n\nDetails: docs/run.md')
    .action(async (files: string[], opts: { env?: string; admin: string; bindAddress: string; portOffset: number; accessLog: string; ephemeralPorts?: boolean }) => {
      const accessLog = opts.accessLog === 'off' ? null : opts.accessLog === 'stderr' ? (l: string) => process.stderr.write(l + '\n') : (l: string) => process.stdout.write(l + '\n')
      let running: Running
      try {
        running = await startRun({ files, ...(opts.env ? { env: opts.env } : {}), admin: opts.admin, bindAddress: opts.bindAddress, portOffset: opts.portOffset, ephemeralPorts: opts.ephemeralPorts ?? false, accessLog, limits: limitsFrom(opts) })
      } catch (e) {
        if (!(e instanceof RunRejected)) throw e
        printDiagnostics(e.diagnostics, readable(e.files), 'text')
        process.exitCode = 1
        return
      }
      // Give commands a moment to start answering, so the summary's commands work when pasted.
      await running.local.whenReady(5000)
      // Handlers before the summary: whoever reads it may press Ctrl-C at once.
      const stopped = new Promise<void>((resolve) => {
        const stop = () => {
          process.stdout.write('stopping: draining the gateway, then stopping local containers\n')
          void running.close().then(resolve)
        }
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      })
      process.stdout.write('\n' + running.report() + '\nCtrl-C stops the gateway and every local container.\n')
      await stopped
    })
}
