import { SwitchyardError } from '../../diag/index.ts'
import type { Plan, PortPlan } from '../compile/index.ts'
import { setBusyPoll, Upstreams, type AccessRecord, type ConnectionRecord, type ProxyEnv } from '../proxy/index.ts'
import { DatagramPort } from './datagram-port.ts'
import { resolveLimits, type Limits } from './limits.ts'
import { Metrics } from './metrics.ts'
import { StreamPort } from './stream-port.ts'

export interface RuntimeOptions {
  /** Where ports without an address bind (`--bind-address`). @default '127.0.0.1' */
  readonly bindAddress?: string
  /** Listener port P binds at P + offset (`--port-offset`); status and redirects keep P. @default 0 */
  readonly portOffset?: number
  /** Test-only: bind every port at 0 (an ephemeral port); read the real ones from `bound()`. */
  readonly ephemeralPorts?: boolean
  /** How long removed ports and shutdown wait for in-flight requests and open connections. @default 5000 */
  readonly drainMs?: number
  /** How long a TLS client has for its ClientHello and handshake. @default 10000 */
  readonly handshakeTimeoutMs?: number
  /** How long a TCP/TLS backend has to accept a connection. @default 10000 */
  readonly connectTimeoutMs?: number
  /** A UDP flow with no datagram either way for this long is closed. @default 60000 */
  readonly udpIdleMs?: number
  /** The most UDP flows per port at once. @default 4096 */
  readonly udpMaxFlows?: number
  /** Connection, timeout and size limits (limits.ts); unset fields keep `DEFAULT_LIMITS`. */
  readonly limits?: Partial<Limits>
  /** One call per finished HTTP request (the access log). */
  readonly onAccess?: (r: AccessRecord) => void
  /** One call per finished TCP/TLS connection or UDP flow (the access log). */
  readonly onConnection?: (r: ConnectionRecord) => void
  readonly random?: () => number
  /**
   * Worker processes (`serve --workers N`): TCP ports are listened on with `exclusive: false`, so
   * node's cluster shares one listening socket between the workers. @default false
   */
  readonly sharedListeners?: boolean
  /** Whether this runtime binds UDP ports (with workers, only one process may own a UDP port's flows). @default true */
  readonly udp?: boolean
  /**
   * Busy-polling (`serve --busy-poll`): after a turn that wrote, the event loop keeps polling for
   * this many microseconds instead of sleeping (proxy/write-batch.ts). Process-wide while this
   * runtime is open. @default 0 (off)
   */
  readonly busyPollUs?: number
}

/** One bound port, as `/status` and the startup line show it. */
export interface BoundPort {
  /** The plan key, `<address or *>:<listener port>`; a TCP and a UDP port may share it (`kind` tells them apart). */
  readonly key: string
  readonly kind: PortPlan['kind']
  /** `host:port` actually bound. */
  readonly address: string
  readonly port: number
}

type Port = StreamPort | DatagramPort
type Options = Required<Omit<RuntimeOptions, 'onAccess' | 'onConnection' | 'random' | 'sharedListeners' | 'udp' | 'limits'>> & { shared: boolean; udp: boolean; readonly limits: Limits }

/**
 * The thin, stateful part of the data plane: one port per bind address + port + transport (a
 * StreamPort for HTTP, TLS and TCP, a DatagramPort for UDP). `apply` opens new ports first, then
 * swaps every kept port's plan at once, then drains removed ports (aesthetics §9.7 steps 5-7). If
 * a new port cannot be bound, nothing changes and the error is thrown (the caller keeps the last
 * good config).
 */
export class Runtime {
  readonly metrics = new Metrics()
  readonly #ports = new Map<string, { port: Port; bound: BoundPort }>()
  readonly #env: ProxyEnv
  readonly #opts: Options
  #plan: Plan | null = null

  constructor(options: RuntimeOptions = {}) {
    this.#opts = {
      bindAddress: options.bindAddress ?? '127.0.0.1',
      portOffset: options.portOffset ?? 0,
      ephemeralPorts: options.ephemeralPorts ?? false,
      drainMs: options.drainMs ?? 5000,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      udpIdleMs: options.udpIdleMs ?? 60_000,
      udpMaxFlows: options.udpMaxFlows ?? 4096,
      shared: options.sharedListeners ?? false,
      udp: options.udp ?? true,
      limits: resolveLimits(options.limits),
      busyPollUs: options.busyPollUs ?? 0,
    }
    if (this.#opts.busyPollUs > 0) setBusyPoll(this.#opts.busyPollUs)
    const { onAccess, onConnection } = options
    this.#env = {
      upstreams: new Upstreams(),
      random: options.random ?? Math.random,
      connectTimeoutMs: this.#opts.connectTimeoutMs,
      maxBodyBytes: this.#opts.limits.maxBodyBytes,
      countRequest: (listener, route, backend, status, durationMs, error) => this.metrics.request(listener, route, backend, status, durationMs, error),
      observe: onAccess ?? null,
      observeConnection: (r) => {
        this.metrics.recordConnection(r)
        onConnection?.(r)
      },
    }
  }

  get plan(): Plan | null {
    return this.#plan
  }

  /** The ports bound now, sorted by key, TCP before UDP. */
  bound(): BoundPort[] {
    return [...this.#ports.values()].map((s) => s.bound).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : Number(a.kind === 'udp') - Number(b.kind === 'udp')))
  }

  async apply(plan: Plan): Promise<void> {
    const wanted = new Map(plan.ports.filter((p) => this.#opts.udp || p.kind !== 'udp').map((p) => [this.#bindKey(p), p]))
    // A TCP port whose kind changed (HTTP ↔ TLS ↔ TCP) is closed before its replacement binds.
    const replaced = [...this.#ports].filter(([k, s]) => wanted.has(k) && wanted.get(k)!.kind !== s.port.kind)
    await Promise.all(replaced.map(([k, s]) => (this.#ports.delete(k), s.port.drain(0))))
    const opened: [string, { port: Port; bound: BoundPort }][] = []
    try {
      for (const [k, p] of wanted) {
        if (this.#ports.has(k)) continue
        const host = p.address ?? this.#opts.bindAddress
        const port = p.kind === 'udp' ? new DatagramPort(p, this.#env, this.metrics, { idleMs: this.#opts.udpIdleMs, maxFlows: this.#opts.udpMaxFlows }, host) : new StreamPort(p, this.#env, this.metrics, { handshakeTimeoutMs: this.#opts.handshakeTimeoutMs, limits: this.#opts.limits })
        const at = this.#opts.ephemeralPorts ? 0 : p.port + this.#opts.portOffset
        const boundPort = await (this.#opts.shared && port instanceof StreamPort ? listenShared(port, host, at) : port.listen(host, at)).catch((cause: Error) => {
          throw new SwitchyardError('DP_BIND_FAILED', `cannot listen on ${host}:${at}${p.kind === 'udp' ? '/udp' : ''} for ${p.key}: ${cause.message}`, { cause })
        })
        opened.push([k, { port, bound: { key: p.key, kind: p.kind, address: host, port: boundPort } }])
      }
    } catch (e) {
      await Promise.all(opened.map(([, s]) => s.port.drain(0)))
      throw e
    }
    for (const [k, s] of opened) this.#ports.set(k, s)
    for (const [k, p] of wanted) swap(this.#ports.get(k)!.port, p)
    this.#plan = plan
    this.metrics.reloaded()
    const removed = [...this.#ports].filter(([k]) => !wanted.has(k))
    for (const [k] of removed) this.#ports.delete(k)
    // Removed ports drain in the background: apply() returns once the new config is live.
    for (const [, s] of removed) void s.port.drain(this.#opts.drainMs)
  }

  /** Graceful stop: stop accepting everywhere, let requests and connections finish (up to drainMs), close. */
  async close(): Promise<void> {
    const all = [...this.#ports.values()]
    this.#ports.clear()
    await Promise.all(all.map((s) => s.port.drain(this.#opts.drainMs)))
    this.#env.upstreams.close()
    if (this.#opts.busyPollUs > 0) setBusyPoll(0)
  }

  #bindKey(p: PortPlan): string {
    return `${p.kind === 'udp' ? 'udp' : 'tcp'}/${p.address ?? this.#opts.bindAddress}:${p.port}`
  }
}

/** Listens on a socket the cluster's workers share (node:cluster hands connections out round-robin). */
function listenShared(port: StreamPort, host: string, at: number): Promise<number> {
  return new Promise((resolve, reject) => {
    port.server.once('error', reject)
    port.server.listen({ host, port: at, exclusive: false }, () => {
      port.server.off('error', reject)
      const a = port.server.address()
      resolve(typeof a === 'object' && a ? a.port : at)
    })
  })
}

/** Hands a port its new plan; `apply` has already replaced ports whose kind changed. */
function swap(port: Port, plan: PortPlan): void {
  if (port instanceof DatagramPort) {
    if (plan.kind === 'udp') port.swap(plan)
  } else if (plan.kind !== 'udp') port.swap(plan)
}
