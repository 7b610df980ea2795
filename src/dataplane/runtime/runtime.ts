import { SwitchyardError } from '../../diag/index.ts'
import type { Plan, PortPlan } from '../compile/index.ts'
import { Upstreams, type AccessRecord, type ProxyEnv } from '../proxy/index.ts'
import { Metrics } from './metrics.ts'
import { PortServer } from './port-server.ts'

export interface RuntimeOptions {
  /** Where ports without an address bind (`--bind-address`). @default '127.0.0.1' */
  readonly bindAddress?: string
  /** Listener port P binds at P + offset (`--port-offset`); status and redirects keep P. @default 0 */
  readonly portOffset?: number
  /** Test-only: bind every port at 0 (an ephemeral port); read the real ones from `bound()`. */
  readonly ephemeralPorts?: boolean
  /** How long removed ports and shutdown wait for in-flight requests. @default 5000 */
  readonly drainMs?: number
  /** One call per finished request (the access log). */
  readonly onAccess?: (r: AccessRecord) => void
  readonly random?: () => number
}

/** One bound port, as `/status` and the startup line show it. */
export interface BoundPort {
  /** The plan key, `<address or *>:<listener port>`. */
  readonly key: string
  readonly kind: PortPlan['kind']
  /** `host:port` actually bound. */
  readonly address: string
  readonly port: number
}

/**
 * The thin, stateful part of the data plane: one PortServer per bind address + port. `apply`
 * opens new ports first, then swaps every kept port's plan at once, then drains removed ports
 * (gateway-api aesthetics §9.7 steps 5-7). If a new port cannot be bound, nothing changes and
 * the error is thrown (the caller keeps the last good config).
 */
export class Runtime {
  readonly metrics = new Metrics()
  readonly #servers = new Map<string, { server: PortServer; bound: BoundPort }>()
  readonly #env: ProxyEnv
  readonly #opts: Required<Omit<RuntimeOptions, 'onAccess' | 'random'>>
  #plan: Plan | null = null

  constructor(options: RuntimeOptions = {}) {
    this.#opts = { bindAddress: options.bindAddress ?? '127.0.0.1', portOffset: options.portOffset ?? 0, ephemeralPorts: options.ephemeralPorts ?? false, drainMs: options.drainMs ?? 5000 }
    const onAccess = options.onAccess
    this.#env = {
      upstreams: new Upstreams(),
      random: options.random ?? Math.random,
      observe: (r) => {
        this.metrics.record(r)
        onAccess?.(r)
      },
    }
  }

  get plan(): Plan | null {
    return this.#plan
  }

  /** The ports bound now, sorted by key. */
  bound(): BoundPort[] {
    return [...this.#servers.values()].map((s) => s.bound).sort((a, b) => (a.key < b.key ? -1 : 1))
  }

  async apply(plan: Plan): Promise<void> {
    const wanted = new Map(plan.ports.map((p) => [this.#bindKey(p), p]))
    // A port whose kind changed (HTTP ↔ HTTPS) must be closed before its replacement can bind.
    const replaced = [...this.#servers].filter(([k, s]) => wanted.has(k) && wanted.get(k)!.kind !== s.server.kind)
    await Promise.all(replaced.map(([k, s]) => (this.#servers.delete(k), s.server.drain(0))))
    const opened: [string, { server: PortServer; bound: BoundPort }][] = []
    try {
      for (const [k, p] of wanted) {
        if (this.#servers.has(k)) continue
        const server = new PortServer(p, this.#env, this.metrics)
        const host = p.address ?? this.#opts.bindAddress
        const port = await server.listen(host, this.#opts.ephemeralPorts ? 0 : p.port + this.#opts.portOffset).catch((cause: Error) => {
          throw new SwitchyardError('DP_BIND_FAILED', `cannot listen on ${host}:${p.port + this.#opts.portOffset} for ${p.key}: ${cause.message}`, { cause })
        })
        opened.push([k, { server, bound: { key: p.key, kind: p.kind, address: host, port } }])
      }
    } catch (e) {
      await Promise.all(opened.map(([, s]) => s.server.drain(0)))
      throw e
    }
    for (const [k, s] of opened) this.#servers.set(k, s)
    for (const [k, p] of wanted) this.#servers.get(k)!.server.swap(p)
    this.#plan = plan
    this.metrics.reloaded()
    const removed = [...this.#servers].filter(([k]) => !wanted.has(k))
    for (const [k] of removed) this.#servers.delete(k)
    // Removed ports drain in the background: apply() returns once the new config is live.
    for (const [, s] of removed) void s.server.drain(this.#opts.drainMs)
  }

  /** Graceful stop: stop accepting everywhere, let in-flight requests finish (up to drainMs), close. */
  async close(): Promise<void> {
    const all = [...this.#servers.values()]
    this.#servers.clear()
    await Promise.all(all.map((s) => s.server.drain(this.#opts.drainMs)))
    this.#env.upstreams.close()
  }

  #bindKey(p: PortPlan): string {
    return `${p.address ?? this.#opts.bindAddress}:${p.port}`
  }
}
