import { Command, Option } from 'commander'
import { availableParallelism } from 'node:os'
import { ReloadHistory, startAdmin, type AdminServer } from '../admin/index.ts'
import { compile, cpuQuota, Runtime, type AccessRecord, type BoundPort, type ConnectionRecord, type Limits } from '../dataplane/index.ts'
import { formatDiagnostic, SwitchyardError, type Diagnostic } from '../diag/index.ts'
import { Pipeline, type Prepare, type ReloadOutcome } from '../pipeline/index.ts'
import { DEFAULT_CONTROLLER_NAME } from '../translator/index.ts'
import { adminView, recordReload } from './admin-view.ts'
import { addLimitOptions, limitsFrom } from './limit-options.ts'
import { parseWorkers, WorkerGroup } from './serve-workers.ts'

export interface ServeOptions {
  /** Files or directories of Gateway API YAML (`-f`). */
  readonly files: readonly string[]
  /** Admin API `HOST:PORT` (port 0: ephemeral). @default '127.0.0.1:9900' */
  readonly admin?: string
  readonly controllerName?: string
  readonly bindAddress?: string
  readonly portOffset?: number
  /** Test-only: bind every listener at an ephemeral port (see `bound()`). */
  readonly ephemeralPorts?: boolean
  /** Watch the files and reload. @default true */
  readonly watch?: boolean
  readonly debounceMs?: number
  readonly drainMs?: number
  /** UDP flows idle this long are closed. @default 60000 */
  readonly udpIdleMs?: number
  /** The most UDP flows per port. @default 4096 */
  readonly udpMaxFlows?: number
  /** Connection, timeout and size limits (`--max-body-bytes`, …); unset fields keep the defaults. */
  readonly limits?: Partial<Limits>
  /** One JSON line per HTTP request, TCP/TLS connection and UDP flow; null: no access log. @default stdout */
  readonly accessLog?: ((line: string) => void) | null
  /** Operational events (reloads, rejections) as JSON lines. @default stderr */
  readonly eventLog?: (line: string) => void
  readonly onReload?: (outcome: ReloadOutcome) => void
  /** Turns the files into Gateway API YAML first (`switchyard run` renders an app through it). */
  readonly prepare?: Prepare
  /**
   * Worker processes sharing the listeners (`--workers`); above 1, this process keeps the pipeline
   * and the admin API and the workers serve, writing their own access log (`accessLogTo`). @default 1
   */
  readonly workers?: number
  /** Where workers write the access log. @default 'stdout' */
  readonly accessLogTo?: 'stdout' | 'stderr' | 'off'
  /** `--busy-poll`: microseconds the event loop keeps polling after a turn that wrote (RuntimeOptions.busyPollUs). @default 0 */
  readonly busyPollUs?: number
}

export interface Serving {
  readonly admin: AdminServer
  readonly pipeline: Pipeline
  /** The data plane: this process's Runtime, or the worker processes (`workers` above 1). */
  readonly runtime: Runtime | WorkerGroup
  /** The listener ports bound now. */
  bound(): BoundPort[]
  /** Graceful stop: stop watching, drain every port, close the admin API. */
  close(): Promise<void>
}

/**
 * The composition root of `switchyard serve`: pipeline (files → IR) → data plane (compile →
 * runtime) → admin API. Throws SwitchyardError when the first configuration is rejected or a port
 * cannot be bound.
 */
export async function startServe(o: ServeOptions): Promise<Serving> {
  const accessLog = o.accessLog === undefined ? (l: string) => process.stdout.write(l + '\n') : o.accessLog
  const eventLog = o.eventLog ?? ((l: string) => process.stderr.write(l + '\n'))
  const workers = o.workers ?? 1
  const runtime: Runtime | WorkerGroup = workers > 1 ? new WorkerGroup(workers, { bindAddress: o.bindAddress ?? '127.0.0.1', portOffset: o.portOffset ?? 0, ephemeralPorts: o.ephemeralPorts ?? false, drainMs: o.drainMs ?? 5000, ...(o.udpIdleMs !== undefined ? { udpIdleMs: o.udpIdleMs } : {}), ...(o.udpMaxFlows !== undefined ? { udpMaxFlows: o.udpMaxFlows } : {}), ...(o.limits ? { limits: o.limits } : {}), ...(o.busyPollUs ? { busyPollUs: o.busyPollUs } : {}), accessLog: o.accessLogTo ?? 'stdout' }, eventLog) : new Runtime({
    bindAddress: o.bindAddress ?? '127.0.0.1',
    portOffset: o.portOffset ?? 0,
    ephemeralPorts: o.ephemeralPorts ?? false,
    drainMs: o.drainMs ?? 5000,
    ...(o.udpIdleMs !== undefined ? { udpIdleMs: o.udpIdleMs } : {}),
    ...(o.udpMaxFlows !== undefined ? { udpMaxFlows: o.udpMaxFlows } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.busyPollUs ? { busyPollUs: o.busyPollUs } : {}),
    ...(accessLog
      ? {
          onAccess: (r: AccessRecord) => accessLog(JSON.stringify({ msg: 'access', ...r, durationMs: Math.round(r.durationMs * 1000) / 1000 })),
          onConnection: (r: ConnectionRecord) => accessLog(JSON.stringify({ msg: 'access', ...r, durationMs: Math.round(r.durationMs * 1000) / 1000 })),
        }
      : {}),
  })
  const history = new ReloadHistory()
  const pipeline: Pipeline = new Pipeline(
    {
      paths: o.files,
      controllerName: o.controllerName ?? DEFAULT_CONTROLLER_NAME,
      // Serving goes on while a reload is parsed and translated (issue 10: a reload drops no request).
      offThread: true,
      ...(o.debounceMs !== undefined ? { debounceMs: o.debounceMs } : {}),
      ...(o.prepare ? { prepare: o.prepare } : {}),
      onReload: (outcome) => {
        recordReload(history, pipeline, outcome)
        if (outcome.kind !== 'unchanged') eventLog(JSON.stringify({ time: new Date().toISOString(), msg: outcome.kind === 'published' ? 'config published' : 'config rejected; the last good configuration stays live', ...outcome }))
        o.onReload?.(outcome)
      },
    },
    (config) => (runtime instanceof WorkerGroup ? runtime.apply(config.ir) : runtime.apply(compile(config.ir))),
  )
  await pipeline.reload()
  if (!pipeline.current) {
    await runtime.close()
    throw new SwitchyardError('PIPELINE_REJECTED', `the configuration was rejected:\n${pipeline.errors.map((d: Diagnostic) => formatDiagnostic(d, {})).join('\n')}`)
  }
  const [host, port] = splitHostPort(o.admin ?? '127.0.0.1:9900')
  let admin: AdminServer
  try {
    admin = await startAdmin(host, port, adminView({ pipeline, runtime, history, extraStatus: () => ({ listeners: runtime.bound() }) }))
  } catch (e) {
    await runtime.close()
    throw e
  }
  if (o.watch ?? true) pipeline.watch()
  return {
    admin,
    pipeline,
    runtime,
    bound: () => runtime.bound(),
    close: async () => {
      await pipeline.close()
      await runtime.close()
      await admin.close()
    },
  }
}

/**
 * `--busy-poll`: a whole number of microseconds up to one second (a longer window is a spinning
 * core, not a latency choice), or `auto`: AUTO_BUSY_POLL_US unless a CPU quota applies, where
 * polling would spend quota and get the process throttled (cpu-quota.ts).
 */
function busyPollArg(v: string): number {
  if (v.trim() === 'auto') return cpuQuota() === null ? AUTO_BUSY_POLL_US : 0
  const n = /^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN
  if (!(n >= 0 && n <= 1_000_000)) throw new SwitchyardError('CLI_USAGE', `--busy-poll wants microseconds from 0 to 1000000 or auto, got ${JSON.stringify(v)}`)
  return n
}

/** Long enough for a backend or client on another core to answer (docs/performance.md, "Busy-polling"). */
const AUTO_BUSY_POLL_US = 50

function splitHostPort(s: string): [string, number] {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(s)
  if (!m) throw new SwitchyardError('CLI_USAGE', `--admin wants HOST:PORT, got ${s}`)
  return [m[1] ?? (m[2] || '127.0.0.1'), Number(m[3])]
}

/** `switchyard serve -f <file|dir> [-f …]` (DESIGN.md §5). */
export function serveCommand(): Command {
  const command = new Command('serve')
    .description('Serve Gateway API YAML on the built-in gateway (HTTP, HTTPS, TLS passthrough and terminate, TCP, UDP), reloading when the files change.')
    .requiredOption('-f, --file <path>', 'a YAML file or a directory of them (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--admin <host:port>', 'admin API address', '127.0.0.1:9900')
    .option('--controller-name <name>', 'serve only GatewayClasses with this controllerName', DEFAULT_CONTROLLER_NAME)
    .option('--bind-address <ip>', 'where Gateways without spec.addresses listen', '127.0.0.1')
    .addOption(new Option('--port-offset <n>', 'bind listener port P at P+N (status and redirects keep P)').default(0).argParser((v) => Number.parseInt(v, 10)))
    .addOption(new Option('--access-log <where>', 'one JSON line per HTTP request, TCP/TLS connection and UDP flow').choices(['stdout', 'stderr', 'off']).default('stdout'))
    .addOption(new Option('--drain-timeout <ms>', 'how long shutdown and removed ports wait for requests and connections in flight').default(5000).argParser((v) => Number.parseInt(v, 10)))
    .addOption(new Option('--udp-idle-timeout <ms>', 'close a UDP flow after this long without a datagram either way').default(60000).argParser((v) => Number.parseInt(v, 10)))
    .addOption(new Option('--udp-max-flows <n>', 'the most UDP flows per port at once; datagrams from further clients are dropped').default(4096).argParser((v) => Number.parseInt(v, 10)))
    .addOption(new Option('--workers <n>', 'worker processes sharing the listeners (a number, or auto: one per core); the first process keeps the admin API and reloads').default('auto'))
    .addOption(new Option('--busy-poll <µs>', 'after writing, keep polling sockets this many microseconds instead of sleeping, while that pays off: lower latency at low load (auto: 50, or 0 under a CPU quota; off: 0)').default('auto').argParser(busyPollArg))
    .addOption(new Option('--ephemeral-ports', 'testing: bind every listener at a free port (printed on startup)').hideHelp())
  return addLimitOptions(command)
    .addHelpText('after', '\nSizes take k, m or g (16k, 1m, 1g); durations ms, s or m (500ms, 60s). Details: docs/serve.md')
    .action(async (opts: { file: string[]; admin: string; controllerName: string; bindAddress: string; portOffset: number; accessLog: string; drainTimeout: number; udpIdleTimeout: number; udpMaxFlows: number; ephemeralPorts?: boolean; workers: string; busyPoll: number | string }) => {
      const write = opts.accessLog === 'off' ? null : opts.accessLog === 'stderr' ? (l: string) => process.stderr.write(l + '\n') : (l: string) => process.stdout.write(l + '\n')
      // commander hands a default over as it is, not through argParser: `auto` arrives as a string.
      const serving = await startServe({ files: opts.file, admin: opts.admin, controllerName: opts.controllerName, bindAddress: opts.bindAddress, portOffset: opts.portOffset, drainMs: opts.drainTimeout, udpIdleMs: opts.udpIdleTimeout, udpMaxFlows: opts.udpMaxFlows, ephemeralPorts: opts.ephemeralPorts ?? false, accessLog: write, workers: parseWorkers(opts.workers, availableParallelism()), accessLogTo: opts.accessLog as 'stdout' | 'stderr' | 'off', limits: limitsFrom(opts), busyPollUs: typeof opts.busyPoll === 'string' ? busyPollArg(opts.busyPoll) : opts.busyPoll })
      // Handlers first, then the line: a tool that signals as soon as it reads the line must find
      // them in place (until a handler exists, SIGTERM's default action ends the process at once).
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(JSON.stringify({ msg: 'shutting down: no new connections, draining', signal }) + '\n')
          void serving.close().then(resolve)
        }
        process.once('SIGTERM', () => stop('SIGTERM'))
        process.once('SIGINT', () => stop('SIGINT'))
      })
      // One JSON line tools and tests can read to find the bound addresses.
      process.stdout.write(JSON.stringify({ msg: 'serving', admin: serving.admin.address, listeners: serving.bound() }) + '\n')
      await stopped
    })
}
