import type { AccessRecord } from './forward.ts'
import type { ConnectionRecord } from './stream.ts'
import type { Upstreams } from './upstream.ts'

/** What the proxy needs from the runtime: upstream pools, observers, randomness, limits. */
export interface ProxyEnv {
  readonly upstreams: Upstreams
  /** One call per finished HTTP request (access log and metrics). */
  readonly observe: (rec: AccessRecord) => void
  /** One call per finished TCP/TLS connection or UDP flow. */
  readonly observeConnection: (rec: ConnectionRecord) => void
  /** Uniform in [0, 1); injectable for tests. */
  readonly random: () => number
  /** How long a TCP/TLS backend may take to accept a connection before the client is closed. */
  readonly connectTimeoutMs: number
  /** A request whose Content-Length is larger is answered 413 and never forwarded. */
  readonly maxBodyBytes: number
}
