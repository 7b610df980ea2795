/**
 * The shape of an explanation: what `switchyard explain -o json` prints and `GET /explain`
 * answers. Plain data, stable for tools: fields are only ever added, and `schema` names the
 * version. Every decision carries `why`, a sentence a newcomer can read.
 */

export const EXPLAIN_SCHEMA = 'switchyard.dev/explain/v1'

/** What to explain: one request as a client would send it. */
export interface ExplainRequest {
  /** Any case; upper-cased before matching (methods match exactly, gateway-api.md §2.7). */
  readonly method: string
  /**
   * Absolute: `http://host[:port]/path?query`, `https://…`, or a connection: `tls://host[:port]`
   * (SNI = host), `tcp://address:port`, `udp://address:port`. The port is the listener port as written.
   */
  readonly url: string
  /** Header names in any case; `host` overrides the URL's authority. */
  readonly headers?: Readonly<Record<string, string>>
  /** https:// and tls:// only. Undefined: the URL host (what a client sends, unless it is an IP); null or '': no SNI. */
  readonly sni?: string | null
}

/**
 * An object as `/status` shows it (DESIGN.md §5). Explain reads the Routes' creationTimestamp (the
 * "oldest route" tie-break) and their parents' conditions (routes that are not attached, and why).
 */
export interface StatusObject {
  readonly kind: string
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly creationTimestamp?: string }
  readonly status?: unknown
}

export interface ExplainContext {
  readonly objects?: readonly StatusObject[]
}

/** How a hostname pattern matched: equal, by `*.` wildcard, by matching anything (no hostname), or not. */
export type HostMatch = 'exact' | 'wildcard' | 'any' | 'none'

export interface HostCandidate {
  readonly name: string
  /** null: no hostname (matches any). */
  readonly hostname: string | null
  readonly match: HostMatch
  readonly chosen: boolean
  readonly why: string
}

export interface HostDecision {
  /** What was matched: the Host header (without port) or the SNI. */
  readonly against: string
  readonly chosen: string | null
  readonly match: HostMatch
  readonly why: string
  readonly candidates: readonly HostCandidate[]
}

export interface TLSDecision {
  readonly sni: string | null
  /** Listener by SNI (null SNI: by Host). */
  readonly listener: HostDecision
  /** The certificate served, `<ns>/<secret>`, or null when the handshake is refused. */
  readonly certificate: string | null
  readonly minVersion: string | null
  /** With misdirected-request detection: the listener the Host would choose, when it differs (421). */
  readonly misdirected: { readonly hostListener: string | null; readonly why: string } | null
  readonly why: string
}

/** One field of one match, checked against the request. */
export interface Check {
  /** `path`, `method`, `header <name>` or `query <name>`. */
  readonly field: string
  /** What the rule asks, e.g. `PathPrefix /api`, `GET`, `= two`. */
  readonly want: string
  /** What the request has (null: absent). */
  readonly got: string | null
  readonly ok: boolean
  readonly why: string
}

/** The precedence steps of gateway-api.md §3.3, in order; `only-match` when nothing competed. */
export const PRECEDENCE_STEPS = ['exact-path', 'longest-prefix', 'method', 'most-headers', 'most-query-params', 'oldest-route', 'route-name', 'rule-order'] as const
export type PrecedenceStep = (typeof PRECEDENCE_STEPS)[number]

export interface Candidate {
  /** `httproute/<ns>/<name>/rule/<i>/match/<j>`. */
  readonly name: string
  /**
   * The virtual host (route hostname) it belongs to: the one chosen for the Host, or one of the
   * less specific ones it falls back to, whose rules are tried only after all of its own.
   */
  readonly virtualHost: string
  /** `<ns>/<name>` of the HTTPRoute. */
  readonly route: string
  readonly rule: number
  readonly match: number
  readonly matched: boolean
  readonly checks: readonly Check[]
  /** `chosen`, `lost` (matched, lower precedence) or `no-match`. */
  readonly outcome: 'chosen' | 'lost' | 'no-match'
  /** For `lost`: the step at which the chosen match beat this one. */
  readonly lostAt: { readonly step: PrecedenceStep | 'hostname'; readonly why: string } | null
}

export interface Decision {
  readonly chosen: string | null
  /**
   * The step that separated the chosen match from the best other match, `hostname` when the other
   * one belongs to a less specific (fallback) virtual host, or `only-match`.
   */
  readonly step: PrecedenceStep | 'hostname' | 'only-match' | null
  readonly why: string
}

export interface FilterEffect {
  /** `rule` or the backend's name. */
  readonly scope: string
  readonly kind: 'request-headers' | 'response-headers' | 'url-rewrite' | 'mirror' | 'redirect'
  readonly what: string
}

export interface BackendOutcome {
  readonly name: string
  /** `<ns>/<service>:<port>`, or null for a backendRef that did not resolve. */
  readonly service: string | null
  readonly weight: number
  /** weight / total weight (0 when the total is 0). */
  readonly share: number
  readonly endpoints: readonly string[]
  /** null: whatever the backend answers; else the gateway's own answer (500, 503). Always null for connections. */
  readonly status: number | null
  /** Connections (TLS, TCP, UDP) only: this backend's share is refused (reset, or datagrams dropped). */
  readonly rejected?: boolean
  readonly why: string
}

/** How a connection is carried once its listener is chosen (gateway-api.md §6). */
export type ConnectionMode = 'passthrough' | 'terminate' | 'https' | 'tcp' | 'udp'

/** For a connection (tls://, tcp://, udp://, or https:// to a TLS listener): the route that carries it. */
export interface ConnectionDecision {
  readonly mode: ConnectionMode
  readonly listener: string | null
  /** TLS listeners: their TLSRoutes by SNI, exact before wildcard. null for TCP/UDP (one route per port). */
  readonly routes: HostDecision | null
  /** `tlsroute/…/rule/<i>`, `tcproute/…`, `udproute/…`; null: refused. */
  readonly route: string | null
  readonly why: string
}

/** What the client gets. */
export type Answer =
  | { readonly kind: 'refused'; readonly why: string }
  | { readonly kind: 'status'; readonly status: number; readonly why: string }
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string; readonly why: string }
  | {
      readonly kind: 'forward'
      /** The request as the backend sees it. */
      readonly upstream: { readonly path: string; readonly host: string; readonly timeouts: string | null; readonly retry: string | null }
      readonly backends: readonly BackendOutcome[]
      readonly why: string
    }
  /** A connection carried to backends (TLS passthrough or terminate, TCP, UDP), or handed to HTTPS. */
  | { readonly kind: 'connect'; readonly mode: ConnectionMode; readonly backends: readonly BackendOutcome[]; readonly why: string }

/** A route that would want this listener but is not attached, from its status (Accepted=False). */
export interface NotAttached {
  readonly route: string
  readonly parent: string
  readonly reason: string
  readonly message: string
}

export interface Explanation {
  readonly schema: typeof EXPLAIN_SCHEMA
  readonly request: {
    readonly method: string
    readonly url: string
    readonly scheme: 'http' | 'https' | 'tls' | 'tcp' | 'udp'
    /** The Host header without port, lower-cased. */
    readonly host: string
    readonly port: number
    readonly path: string
    readonly query: string
    readonly headers: Readonly<Record<string, string>>
    readonly sni: string | null
  }
  /** The bound port chosen, `<address or *>:<port>`, or null. */
  readonly port: { readonly key: string | null; readonly why: string }
  readonly tls: TLSDecision | null
  readonly listener: HostDecision | null
  readonly hostname: HostDecision | null
  readonly candidates: readonly Candidate[]
  readonly decision: Decision | null
  readonly filters: readonly FilterEffect[]
  readonly answer: Answer
  readonly notAttached: readonly NotAttached[]
  /** Present only when the path routes are matched against is not the path as sent, or is refused (400). */
  readonly path?: { readonly sent: string; readonly matched: string | null; readonly why: string }
  /** Present only for connections: tls://, tcp://, udp://, and https:// whose SNI chooses a TLS listener. */
  readonly connection?: ConnectionDecision
  /** Set only if explain's own reasoning disagrees with the data plane's lookup (a bug to report). */
  readonly inconsistency?: string
}
