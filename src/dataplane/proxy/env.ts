import type { AccessRecord } from './forward.ts'
import type { ConnectionRecord } from './stream.ts'
import type { Upstreams } from './upstream.ts'

/** What the proxy needs from the runtime: upstream pools, observers, randomness, limits. */
export interface ProxyEnv {
  readonly upstreams: Upstreams
  /** One call per finished HTTP request, for the metrics; positional, so a request allocates nothing for it. */
  readonly countRequest: (listener: string | null, route: string | null, backend: string | null, status: number, durationMs: number, error: string | null) => void
  /** The access log: one record per finished HTTP request, or null when nothing reads them (then none is built). */
  readonly observe: ((rec: AccessRecord) => void) | null
  /** One call per finished TCP/TLS connection or UDP flow. */
  readonly observeConnection: (rec: ConnectionRecord) => void
  /** Uniform in [0, 1); injectable for tests. */
  readonly random: () => number
  /** How long a TCP/TLS backend may take to accept a connection before the client is closed. */
  readonly connectTimeoutMs: number
  /** A request whose Content-Length is larger is answered 413 and never forwarded. */
  readonly maxBodyBytes: number
}
