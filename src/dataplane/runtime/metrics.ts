import type { AccessRecord, ConnectionRecord, DropReason } from '../proxy/index.ts'

/** Latency buckets in seconds (Prometheus' defaults, trimmed to what a local gateway sees). */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface Histogram {
  readonly counts: number[]
  sum: number
  count: number
}

/**
 * Per-route and per-backend counters and latency histograms, rendered in the Prometheus text
 * exposition format 0.0.4. Written by hand: a few maps, no registry, nothing on the hot path but
 * map lookups and increments. TCP/TLS connections and UDP flows are counted when they end, bytes
 * included.
 */
export class Metrics {
  readonly #requests = new Map<string, number>()
  readonly #backendRequests = new Map<string, number>()
  readonly #errors = new Map<string, number>()
  readonly #latency = new Map<string, Histogram>()
  readonly #backendLatency = new Map<string, Histogram>()
  readonly #streams = new Map<string, number>()
  readonly #streamBytes = new Map<string, number>()
  readonly #udpDropped = new Map<string, number>()
  #connections = 0
  #connectionsRefused = 0
  #udpFlows = 0
  #reloads = 0

  /** Records one finished request (called from the access-log hook). */
  record(r: AccessRecord): void {
    // Label strings built by hand in `labels()`'s order and escaping: this runs once per request,
    // and the generic builder (entries, map, three replaces, join) was ~5 % of a proxied request.
    const listener = esc(r.listener ?? '')
    const route = esc(r.route ?? '')
    const code = r.status
    inc(this.#requests, `listener="${listener}",route="${route}",code="${code}"`)
    const ms = r.durationMs / 1000
    observe(this.#latency, `listener="${listener}",route="${route}"`, ms)
    if (r.backend !== null) {
      const backend = esc(r.backend)
      inc(this.#backendRequests, `backend="${backend}",code="${code}"`)
      observe(this.#backendLatency, `backend="${backend}"`, ms)
    }
    if (r.status >= 500 || r.error !== null) inc(this.#errors, `listener="${listener}",route="${route}",backend="${esc(r.backend ?? '')}",code="${code}"`)
  }

  /** Records one finished TCP/TLS connection or UDP flow. */
  recordConnection(r: ConnectionRecord): void {
    const base = { protocol: r.protocol, listener: r.listener ?? '', route: r.route ?? '' }
    // rejected: the gateway refused it before choosing an endpoint; error: an endpoint was chosen
    // but the connect failed or the exchange broke; ok: a clean close.
    const result = r.error === null ? 'ok' : r.endpoint === null ? 'rejected' : 'error'
    inc(this.#streams, labels({ ...base, result }))
    add(this.#streamBytes, labels({ ...base, direction: 'to_backend' }), r.bytesIn)
    add(this.#streamBytes, labels({ ...base, direction: 'to_client' }), r.bytesOut)
  }

  udpDropped(listener: string, reason: DropReason): void {
    inc(this.#udpDropped, labels({ listener, reason }))
  }

  udpFlows(delta: 1 | -1): void {
    this.#udpFlows += delta
  }

  connectionOpened(): void {
    this.#connections++
  }
  connectionClosed(): void {
    this.#connections--
  }
  /** A connection reset at accept because its port was at `maxConnectionsPerPort`. */
  connectionRefused(): void {
    this.#connectionsRefused++
  }
  reloaded(): void {
    this.#reloads++
  }

  /** Prometheus text exposition (https://prometheus.io/docs/instrumenting/exposition_formats/). */
  render(): string {
    const out: string[] = []
    counter(out, 'switchyard_http_requests_total', 'HTTP requests by listener, route rule and status code.', this.#requests)
    histogram(out, 'switchyard_http_request_duration_seconds', 'Request latency by listener and route rule.', this.#latency)
    counter(out, 'switchyard_backend_requests_total', 'Requests forwarded, by backend and status code.', this.#backendRequests)
    histogram(out, 'switchyard_backend_request_duration_seconds', 'Request latency by backend.', this.#backendLatency)
    counter(out, 'switchyard_http_request_errors_total', 'Requests that ended in a 5xx or a gateway error.', this.#errors)
    counter(out, 'switchyard_l4_connections_total', 'TCP and TLS connections and UDP flows, by protocol, listener, route rule and result (ok, rejected, error), counted when they end.', this.#streams)
    counter(out, 'switchyard_l4_bytes_total', 'Bytes carried by TCP and TLS connections and UDP flows, by direction (to_backend, to_client), counted when they end.', this.#streamBytes)
    counter(out, 'switchyard_udp_dropped_total', 'UDP datagrams not forwarded, by listener and reason (flow-limit, draining, rejected, send-failed).', this.#udpDropped)
    out.push('# HELP switchyard_udp_flows UDP flows open now.', '# TYPE switchyard_udp_flows gauge', `switchyard_udp_flows ${this.#udpFlows}`)
    out.push('# HELP switchyard_open_connections Client TCP connections open now (HTTP, TLS and TCP ports).', '# TYPE switchyard_open_connections gauge', `switchyard_open_connections ${this.#connections}`)
    out.push('# HELP switchyard_connections_refused_total Client TCP connections reset at accept because their port was at its connection limit.', '# TYPE switchyard_connections_refused_total counter', `switchyard_connections_refused_total ${this.#connectionsRefused}`)
    out.push('# HELP switchyard_config_reloads_total Configurations applied.', '# TYPE switchyard_config_reloads_total counter', `switchyard_config_reloads_total ${this.#reloads}`)
    return out.join('\n') + '\n'
  }
}

function labels(l: Record<string, string>): string {
  return Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',')
}

/** A label value escaped for the text format (backslash, double quote, newline). */
function esc(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v
}

function inc(m: Map<string, number>, key: string): void {
  add(m, key, 1)
}

function add(m: Map<string, number>, key: string, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n)
}

function observe(m: Map<string, Histogram>, key: string, v: number): void {
  let h = m.get(key)
  if (!h) m.set(key, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }))
  for (let i = 0; i < BUCKETS.length; i++) if (v <= BUCKETS[i]!) h.counts[i]!++
  h.sum += v
  h.count++
}

function counter(out: string[], name: string, help: string, m: Map<string, number>): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`)
  for (const [k, v] of [...m].sort()) out.push(`${name}{${k}} ${v}`)
}

function histogram(out: string[], name: string, help: string, m: Map<string, Histogram>): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`)
  for (const [k, h] of [...m].sort(([a], [b]) => (a < b ? -1 : 1))) {
    BUCKETS.forEach((b, i) => out.push(`${name}_bucket{${k},le="${b}"} ${h.counts[i]}`))
    out.push(`${name}_bucket{${k},le="+Inf"} ${h.count}`, `${name}_sum{${k}} ${h.sum}`, `${name}_count{${k}} ${h.count}`)
  }
}
