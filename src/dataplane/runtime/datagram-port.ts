import dgram from 'node:dgram'
import net from 'node:net'
import type { UDPPortPlan } from '../compile/index.ts'
import { UDPFlows, type ProxyEnv, type UDPLimits } from '../proxy/index.ts'
import type { Metrics } from './metrics.ts'

/**
 * One UDP socket (bind address + port) and its current plan. Datagrams from clients go through
 * the port's flows (proxy/udp-flows.ts); a new plan applies to flows opened after the swap, while
 * open flows keep their backend until they expire.
 */
export class DatagramPort {
  plan: UDPPortPlan
  readonly kind = 'udp'
  readonly #socket: dgram.Socket
  readonly #flows: UDPFlows
  #draining = false

  constructor(plan: UDPPortPlan, env: ProxyEnv, metrics: Metrics, limits: UDPLimits, address: string) {
    this.plan = plan
    this.#socket = dgram.createSocket({ type: net.isIPv6(address) ? 'udp6' : 'udp4' })
    this.#flows = new UDPFlows(env, limits, (msg, port, addr) => this.#socket.send(msg, port, addr), { dropped: (listener, reason) => metrics.udpDropped(listener, reason), flows: (d) => metrics.udpFlows(d) })
    this.#socket.on('message', (msg, from) => this.#flows.receive(this.plan, msg, from, !this.#draining))
    this.#socket.on('error', () => {})
  }

  swap(plan: UDPPortPlan): void {
    this.plan = plan
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#socket.once('error', reject)
      this.#socket.bind({ address: host, port, exclusive: true }, () => {
        this.#socket.off('error', reject)
        resolve(this.#socket.address().port)
      })
    })
  }

  /** No new flows; open ones keep going until they go idle or `graceMs` passes; then the socket closes. */
  async drain(graceMs: number): Promise<void> {
    this.#draining = true
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.#flows.whenEmpty(), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))])
    clearTimeout(timer)
    this.#flows.closeAll()
    await new Promise<void>((r) => this.#socket.close(() => r()))
  }
}
