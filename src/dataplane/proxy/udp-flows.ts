import dgram from 'node:dgram'
import net from 'node:net'
import type * as ir from '../../ir/index.ts'
import type { UDPPortPlan } from '../compile/index.ts'
import { pickBackend } from '../compile/index.ts'
import type { ProxyEnv } from './env.ts'

export interface UDPLimits {
  /** A flow with no datagram either way for this long is closed. */
  readonly idleMs: number
  /** At most this many flows at once per port; datagrams that would open one more are dropped. */
  readonly maxFlows: number
}

/** Why a datagram was not forwarded (a label of `switchyard_udp_dropped_total`). */
export type DropReason = 'flow-limit' | 'draining' | 'rejected' | 'send-failed'

/** What the port's owner wants to know about, for metrics. */
export interface UDPHooks {
  dropped(listener: string, reason: DropReason): void
  /** +1 when a flow opens, -1 when it closes. */
  flows(delta: 1 | -1): void
}

interface Flow {
  readonly client: { readonly address: string; readonly port: number }
  readonly listener: string
  readonly route: string | null
  readonly backend: ir.L4Backend | null
  readonly endpoint: ir.Endpoint | null
  /** Null when the flow is rejected: its datagrams are dropped until it expires. */
  readonly upstream: dgram.Socket | null
  readonly error: string | null
  readonly start: number
  readonly timer: NodeJS.Timeout
  bytesIn: number
  bytesOut: number
}

/**
 * The UDP flows of one port (gateway-api.md §6): a flow is one client address and port. Its first
 * datagram picks a backend by weight and opens a socket of its own towards one endpoint, so the
 * backend's replies come back on that socket and go to exactly that client. A flow whose share is
 * an invalid backend (or a Service without endpoints, or no route) is remembered as rejected, so
 * all its datagrams are dropped alike. Flows expire after `idleMs` without traffic either way; no
 * more than `maxFlows` live at once (new clients are dropped, existing ones keep working).
 */
export class UDPFlows {
  readonly #flows = new Map<string, Flow>()
  readonly #env: ProxyEnv
  readonly #limits: UDPLimits
  /** Sends a reply from the port's own socket. */
  readonly #reply: (msg: Buffer, port: number, address: string) => void
  readonly #hooks: UDPHooks
  #onEmpty: (() => void) | null = null

  constructor(env: ProxyEnv, limits: UDPLimits, reply: (msg: Buffer, port: number, address: string) => void, hooks: UDPHooks) {
    this.#env = env
    this.#limits = limits
    this.#reply = reply
    this.#hooks = hooks
  }

  get size(): number {
    return this.#flows.size
  }

  /** One datagram from a client; `plan` is read only when it opens a new flow. `open` false: no new flows (draining). */
  receive(plan: UDPPortPlan, msg: Buffer, from: dgram.RemoteInfo, open = true): void {
    const key = `${from.address}|${from.port}`
    let flow = this.#flows.get(key)
    if (!flow) {
      if (!open) return this.#hooks.dropped(plan.listener, 'draining')
      if (this.#flows.size >= this.#limits.maxFlows) return this.#hooks.dropped(plan.listener, 'flow-limit')
      flow = this.#open(plan, key, from)
    }
    flow.timer.refresh()
    if (flow.upstream === null || flow.endpoint === null) return this.#hooks.dropped(flow.listener, 'rejected')
    flow.bytesIn += msg.length
    const f = flow
    flow.upstream.send(msg, flow.endpoint.port, flow.endpoint.address, (e) => e && this.#hooks.dropped(f.listener, 'send-failed'))
  }

  #open(plan: UDPPortPlan, key: string, from: dgram.RemoteInfo): Flow {
    const backend = plan.route === null ? null : pickBackend(plan.backends, this.#env.random())
    const error = plan.route === null ? 'no route' : backend === null ? 'no backend has weight' : backend.kind === 'invalid' ? `backend invalid: ${backend.reason}` : backend.endpoints.length === 0 ? `${backend.service} has no ready endpoints` : null
    const endpoint = error === null && backend?.kind === 'service' ? backend.endpoints[Math.floor(this.#env.random() * backend.endpoints.length)]! : null
    // Unconnected, so the first send binds at once; replies are accepted from the endpoint only.
    const upstream = endpoint === null ? null : dgram.createSocket(net.isIPv6(endpoint.address) ? 'udp6' : 'udp4')
    const client = { address: from.address, port: from.port }
    const flow: Flow = {
      client,
      listener: plan.listener,
      route: plan.route,
      backend,
      endpoint,
      upstream,
      error,
      start: performance.now(),
      timer: setTimeout(() => this.#close(key), this.#limits.idleMs).unref(),
      bytesIn: 0,
      bytesOut: 0,
    }
    if (upstream !== null && endpoint !== null) {
      upstream.on('message', (reply, r) => {
        if (r.port !== endpoint.port || r.address !== endpoint.address) return
        flow.bytesOut += reply.length
        flow.timer.refresh()
        this.#reply(reply, client.port, client.address)
      })
      upstream.on('error', () => {})
    }
    this.#flows.set(key, flow)
    this.#hooks.flows(1)
    return flow
  }

  #close(key: string): void {
    const f = this.#flows.get(key)
    if (!f) return
    this.#flows.delete(key)
    this.#hooks.flows(-1)
    clearTimeout(f.timer)
    f.upstream?.close()
    this.#env.observeConnection({
      time: new Date().toISOString(),
      protocol: 'UDP',
      client: `${f.client.address}:${f.client.port}`,
      sni: null,
      listener: f.listener,
      route: f.route,
      backend: f.backend?.name ?? null,
      endpoint: f.endpoint && `${f.endpoint.address}:${f.endpoint.port}`,
      bytesIn: f.bytesIn,
      bytesOut: f.bytesOut,
      durationMs: performance.now() - f.start,
      error: f.error,
    })
    if (this.#flows.size === 0) this.#onEmpty?.()
  }

  /** Resolves once no flow is left (each closes when it goes idle). */
  whenEmpty(): Promise<void> {
    return this.#flows.size === 0 ? Promise.resolve() : new Promise((r) => (this.#onEmpty = r))
  }

  /** Closes every flow (each logs its record). */
  closeAll(): void {
    for (const key of [...this.#flows.keys()]) this.#close(key)
  }
}
