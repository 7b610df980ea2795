import type { HTTPPort } from './http.ts'
import type { TCPPort, UDPPort } from './l4.ts'
import type { TLSPort } from './tls.ts'

export type Port = HTTPPort | TLSPort | TCPPort | UDPPort

/**
 * Everything the data plane needs to serve, without knowing the Gateway API. One entry per bind
 * address + port + transport, sorted by (address, port, kind). Ports in the IR are the listener
 * ports as written; the runtime applies any `--port-offset`.
 */
export interface Snapshot {
  readonly ports: readonly Port[]
}
