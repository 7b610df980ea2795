import type { L4Backend } from './backend.ts'

/**
 * A TCP port with one TCPRoute carrying traffic: the oldest attached route (then namespace/name)
 * wins; the others are accepted but idle (gateway-api.md §5.4). Pick a backend per connection by
 * weight; an `invalid` backend's share is rejected (connection reset). No route → reject.
 */
export interface TCPPort {
  readonly kind: 'tcp'
  readonly name: string
  readonly address: string | null
  readonly port: number
  /** `<gwNs>/<gwName>/<listenerName>`. */
  readonly listener: string
  /** `tcproute/<ns>/<name>/rule/<i>`, or null when no route is attached. */
  readonly route: string | null
  readonly backends: readonly L4Backend[]
}

/** As TCPPort, over UDP: pick a backend per flow (client address+port); invalid shares are dropped. */
export interface UDPPort {
  readonly kind: 'udp'
  readonly name: string
  readonly address: string | null
  readonly port: number
  readonly listener: string
  readonly route: string | null
  readonly backends: readonly L4Backend[]
}
