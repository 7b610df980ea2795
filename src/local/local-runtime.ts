import { isAbsolute, resolve } from 'node:path'
import { connectionEnv, serviceName, type App, type Container, type LocalRun, type PlaceTarget } from '../model/index.ts'
import type { PlacedPort, PlacedService } from './endpoint-slices.ts'
import type { IssuedCertificate } from './local-ca.ts'
import { ManagedProcess, type Backoff, type ProcessEvent } from './managed-process.ts'
import { accepts, freePort } from './ports.ts'
import { startStandIn, type StandIn } from './stand-in.ts'

export interface LocalRuntimeOptions {
  /** Where local containers listen. @default '127.0.0.1' */
  readonly host?: string
  /** Output of commands (already prefixed) and of the runtime itself. @default stdout */
  readonly out?: (line: string) => void
  /** A certificate for the stand-ins' TLS, for these names (the local CA, created on first use). */
  readonly issue: (names: readonly string[]) => IssuedCertificate
  /** Called when a container starts or stops answering (a reload makes the gateway see it). */
  readonly onChange?: () => void
  readonly backoff?: Backoff
  readonly stopTimeoutMs?: number
  /** How often a started command is probed until its TCP ports accept. @default 100 */
  readonly probeIntervalMs?: number
}

/** A local container as `switchyard run` shows it. */
export interface LocalContainer {
  /** `<resource>` for a one-container resource, else `<resource>/<container>`. */
  readonly label: string
  readonly mode: LocalRun['kind']
  readonly ports: readonly PlacedPort[]
  readonly ready: boolean
  /** The command's process id while it runs. */
  readonly pid: number | null
}

interface Unit {
  readonly key: string
  readonly label: string
  readonly resource: string
  readonly containerName: string
  readonly service: string
  readonly run: LocalRun
  readonly fingerprint: string
  ports: PlacedPort[]
  ready: boolean
  standIns: StandIn[]
  process: ManagedProcess | null
  probing: boolean
  /** Put before the unit's output lines. */
  prefix: string
}

/**
 * The app's containers on this machine, as the environment's `local` section says: a command
 * (with PORT and CONNECTION_* set), an address that already serves, or the built-in stand-in (the
 * default). `reconcile` brings the running set in line with an app after each reload; `services`
 * says where each container's Service resolves to, for the EndpointSlices the gateway reads.
 */
export class LocalRuntime {
  readonly #o: LocalRuntimeOptions
  readonly #host: string
  readonly #units = new Map<string, Unit>()
  #hostnames: readonly string[] = []
  #namespace = 'default'
  #closed = false
  readonly #waiters: (() => void)[] = []
  readonly #onExit = () => {
    for (const u of this.#units.values()) u.process?.killNow()
  }

  constructor(options: LocalRuntimeOptions) {
    this.#o = options
    this.#host = options.host ?? '127.0.0.1'
    process.once('exit', this.#onExit)
  }

  #out(line: string): void {
    ;(this.#o.out ?? ((l: string) => process.stdout.write(l + '\n')))(line)
  }

  /**
   * Starts, restarts and stops local containers so they match the app: a container whose local
   * entry, ports or environment changed is restarted; its local ports are kept. `envDir` is where
   * relative `cwd`s start; `hostnames` are the routes' hostnames stand-in TLS certificates name.
   */
  async reconcile(app: App, envDir: string, hostnames: readonly string[]): Promise<void> {
    this.#hostnames = [...new Set([...hostnames, 'localhost', '127.0.0.1'])].sort()
    this.#namespace = app.environment?.namespace ?? 'default'
    const wanted = desiredUnits(app)
    const labelWidth = Math.max(0, ...wanted.map((w) => w.label.length))
    // Ports first (kept across restarts), so every command's CONNECTION_* can name the others.
    const ports = new Map<string, PlacedPort[]>()
    for (const w of wanted) ports.set(w.key, await this.#placePorts(w, this.#units.get(w.key)))
    const place: PlaceTarget = (t) => {
      const p = ports.get(unitKey(t.container.name, t.containerName))?.find((x) => x.name === t.portName)
      return p && { hostname: p.host, port: p.port }
    }
    const next = new Map<string, Unit>()
    for (const w of wanted) {
      const env = w.run.kind === 'command' ? commandEnv(app, w.container, w.containerName, ports.get(w.key)!, place, w.run.env) : {}
      const fingerprint = JSON.stringify({ run: w.run, ports: ports.get(w.key), env, envDir })
      const old = this.#units.get(w.key)
      if (old && old.fingerprint === fingerprint) {
        next.set(w.key, old)
        continue
      }
      if (old) await this.#stop(old)
      const unit: Unit = { key: w.key, label: w.label, resource: w.container.name, containerName: w.containerName, service: serviceName(w.container, w.containerName), run: w.run, fingerprint, ports: ports.get(w.key)!, ready: false, standIns: [], process: null, probing: false, prefix: `${w.label.padEnd(labelWidth)} | ` }
      await this.#start(unit, env, envDir)
      next.set(w.key, unit)
    }
    for (const [key, old] of this.#units) if (!next.has(key)) await this.#stop(old)
    this.#units.clear()
    for (const [k, u] of next) this.#units.set(k, u)
  }

  async #placePorts(w: WantedUnit, old: Unit | undefined): Promise<PlacedPort[]> {
    const out: PlacedPort[] = []
    for (const [name, p] of Object.entries(w.container.containers[w.containerName]!.ports)) {
      if (w.run.kind === 'address') {
        const addr = w.run.addresses[name] ?? w.run.addresses['*']
        if (!addr) continue
        const i = addr.lastIndexOf(':')
        out.push({ name, protocol: p.protocol, host: addr.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(addr.slice(i + 1)) })
        continue
      }
      const configured = w.run.ports?.[name]
      const kept = old?.ports.find((x) => x.name === name && x.protocol === p.protocol && x.host === this.#host)
      const port = configured ?? kept?.port ?? (await freePort(p.protocol, this.#host))
      out.push({ name, protocol: p.protocol, host: this.#host, port })
    }
    return out
  }

  async #start(u: Unit, env: Record<string, string>, envDir: string): Promise<void> {
    switch (u.run.kind) {
      case 'address':
        u.ready = true
        return
      case 'standIn':
        for (const p of u.ports) {
          u.standIns.push(await startStandIn({ identity: { container: u.label, port: p.name }, protocol: p.protocol, host: p.host, port: p.port, certificate: () => this.#o.issue(this.#hostnames) }))
        }
        u.ready = true
        return
      case 'command': {
        const cwd = u.run.cwd ? (isAbsolute(u.run.cwd) ? u.run.cwd : resolve(envDir, u.run.cwd)) : envDir
        u.process = new ManagedProcess({
          command: u.run.command,
          cwd,
          env: { ...process.env, ...env },
          prefix: u.prefix,
          out: (l) => this.#out(l),
          ...(this.#o.backoff ? { backoff: this.#o.backoff } : {}),
          ...(this.#o.stopTimeoutMs !== undefined ? { stopTimeoutMs: this.#o.stopTimeoutMs } : {}),
          onEvent: (e) => this.#onProcessEvent(u, e),
        })
        u.process.start()
        return
      }
    }
  }

  #onProcessEvent(u: Unit, e: ProcessEvent): void {
    if (e.kind === 'started') {
      void this.#probe(u)
      return
    }
    const why = e.kind === 'exited' ? `exited (${e.signal ?? `code ${e.code}`})` : `could not start: ${e.message}`
    this.#out(`${u.prefix}${why}; restarting in ${e.restartInMs} ms [LOCAL_COMMAND_EXITED]`)
    this.#setReady(u, false)
  }

  /** Until the command's TCP ports all accept (or it exits), try them; then it is ready. */
  async #probe(u: Unit): Promise<void> {
    if (u.probing) return
    u.probing = true
    const pid = u.process?.pid
    const tcp = u.ports.filter((p) => p.protocol === 'TCP')
    try {
      while (!this.#closed && u.process?.pid === pid && pid !== null) {
        const results = await Promise.all(tcp.map((p) => accepts(p.host, p.port)))
        if (results.every(Boolean)) {
          if (u.process?.pid === pid) this.#setReady(u, true)
          return
        }
        await new Promise((r) => setTimeout(r, this.#o.probeIntervalMs ?? 100))
      }
    } finally {
      u.probing = false
    }
  }

  #setReady(u: Unit, ready: boolean): void {
    if (u.ready === ready) return
    u.ready = ready
    if (ready) this.#out(`${u.prefix}answering on ${u.ports.map((p) => `${p.host}:${p.port}`).join(', ') || 'no ports'}`)
    if (this.#units.get(u.key) !== u) return
    this.#o.onChange?.()
    if (this.#allReady()) for (const w of this.#waiters.splice(0)) w()
  }

  #allReady(): boolean {
    return [...this.#units.values()].every((u) => u.ready)
  }

  /** Resolves when every container answers, or after `timeoutMs` (whichever is first). */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.#allReady()) return Promise.resolve()
    return new Promise((resolve) => {
      const t = setTimeout(done, timeoutMs)
      function done() {
        clearTimeout(t)
        resolve()
      }
      this.#waiters.push(done)
    })
  }

  async #stop(u: Unit): Promise<void> {
    u.ready = false
    await Promise.all([...u.standIns.map((s) => s.close()), u.process?.stop()])
    u.standIns = []
  }

  /** Where each container's Service resolves to now (one entry per container with ports). */
  services(): PlacedService[] {
    return [...this.#units.values()].filter((u) => u.ports.length > 0).map((u) => ({ namespace: this.#namespace, service: u.service, ports: u.ports, ready: u.ready }))
  }

  containers(): LocalContainer[] {
    return [...this.#units.values()].map((u) => ({ label: u.label, mode: u.run.kind, ports: u.ports, ready: u.ready, pid: u.process?.pid ?? null }))
  }

  /** Stops every container (commands: SIGTERM, then SIGKILL after the bound). */
  async close(): Promise<void> {
    this.#closed = true
    await Promise.all([...this.#units.values()].map((u) => this.#stop(u)))
    this.#units.clear()
    process.off('exit', this.#onExit)
  }
}

interface WantedUnit {
  readonly key: string
  readonly label: string
  readonly container: Container
  readonly containerName: string
  readonly run: LocalRun
}

const unitKey = (resource: string, container: string) => `${resource}/${container}`

/** One unit per container of each resource; the local entry by `<resource>/<container>`, then by resource. */
function desiredUnits(app: App): WantedUnit[] {
  const local = app.environment?.local ?? {}
  return app.containers.flatMap((c) =>
    Object.keys(c.containers).map((cn) => ({
      key: unitKey(c.name, cn),
      label: c.single ? c.name : `${c.name}/${cn}`,
      container: c,
      containerName: cn,
      run: local[`${c.name}/${cn}`] ?? local[c.name] ?? ({ kind: 'standIn' } as const),
    })),
  )
}

/**
 * A command's environment: the container's own `env` values, PORT (and PORT_<NAME> per port when
 * it has several), CONNECTION_* pointing at the other containers here, then the local entry's env.
 */
function commandEnv(app: App, c: Container, containerName: string, ports: readonly PlacedPort[], place: PlaceTarget, extra: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(c.containers[containerName]!.env)) if (v.value !== undefined) env[k] = v.value
  if (ports[0]) env.PORT = String(ports[0].port)
  if (ports.length > 1) for (const p of ports) env[`PORT_${p.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = String(p.port)
  for (const { name, value } of connectionEnv(app, c, place)) env[name] = value
  return { ...env, ...extra }
}
