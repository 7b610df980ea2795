import type { L4Backend } from './backend.ts'

/**
 * A TCP or UDP port with one route carrying traffic: the oldest attached route (then
 * namespace/name) wins; the others are accepted but idle (gateway-api.md §5.4). TCP picks a
 * backend per connection by weight and rejects (resets) an `invalid` backend's share; UDP picks
 * per flow (client address and port) and drops an invalid share. No route → reject.
 */
interface L4Port<K extends 'tcp' | 'udp'> {
  readonly kind: K
  readonly name: string
  readonly address: string | null
  readonly port: number
  /** `<gwNs>/<gwName>/<listenerName>`. */
  readonly listener: string
  /** `<kind>route/<ns>/<name>/rule/<i>`, or null when no route is attached. */
  readonly route: string | null
  readonly backends: readonly L4Backend[]
}

export type TCPPort = L4Port<'tcp'>
export type UDPPort = L4Port<'udp'>
