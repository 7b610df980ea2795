import { busyPollStats, type ConnectionRecord, type DropReason } from '../proxy/index.ts'

/** Latency buckets in seconds (Prometheus' defaults, trimmed to what a local gateway sees). */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface Histogram {
  /** Per bucket, not cumulative: one increment per sample; `render` sums them (le="…" is cumulative). */
  readonly counts: number[]
  sum: number
  count: number
}

/** Requests of one listener and route rule: by status code, and their latency. */
interface RouteStats {
  readonly codes: Map<number, number>
  readonly latency: Histogram
}

/**
 * Per-route and per-backend counters and latency histograms, rendered in the Prometheus text
 * exposition format 0.0.4. Written by hand: a few maps, no registry. A request costs map lookups
 * keyed by the plan's own listener, route and backend strings (hashed once, when first seen) and
 * increments; label text is built only when `render` runs. TCP/TLS connections and UDP flows are
 * counted when they end, bytes included.
 */
export class Metrics {
  /** listener → route rule → stats (null listener or route counted as ""). */
  readonly #routes = new Map<string, Map<string, RouteStats>>()
  readonly #backends = new Map<string, RouteStats>()
  readonly #errors = new Map<string, number>()
  readonly #streams = new Map<string, number>()
  readonly #streamBytes = new Map<string, number>()
  readonly #udpDropped = new Map<string, number>()
  #connections = 0
  #connectionsRefused = 0
  #udpFlows = 0
  #reloads = 0

  /**
   * Records one finished request. Positional so the proxy builds no record when no access log
   * reads it; building label strings here once per request was ~3 % of a proxied request's CPU.
   */
  request(listener: string | null, route: string | null, backend: string | null, status: number, durationMs: number, error: string | null): void {
    const seconds = durationMs / 1000
    let byRoute = this.#routes.get(listener ?? '')
    if (byRoute === undefined) this.#routes.set(listener ?? '', (byRoute = new Map()))
    let rs = byRoute.get(route ?? '')
    if (rs === undefined) byRoute.set(route ?? '', (rs = stats()))
    count(rs, status, seconds)
    if (backend !== null) {
      let bs = this.#backends.get(backend)
      if (bs === undefined) this.#backends.set(backend, (bs = stats()))
      count(bs, status, seconds)
    }
    if (status >= 500 || error !== null) inc(this.#errors, `listener="${esc(listener ?? '')}",route="${esc(route ?? '')}",backend="${esc(backend ?? '')}",code="${status}"`)
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
    // Label text in `labels()`'s order and escaping, built here rather than per request.
    const requests = new Map<string, number>()
    const latency = new Map<string, Histogram>()
    for (const [listener, byRoute] of this.#routes)
      for (const [route, rs] of byRoute) {
        const key = `listener="${esc(listener)}",route="${esc(route)}"`
        for (const [code, n] of rs.codes) requests.set(`${key},code="${code}"`, n)
        latency.set(key, rs.latency)
      }
    const backendRequests = new Map<string, number>()
    const backendLatency = new Map<string, Histogram>()
    for (const [backend, bs] of this.#backends) {
      const key = `backend="${esc(backend)}"`
      for (const [code, n] of bs.codes) backendRequests.set(`${key},code="${code}"`, n)
      backendLatency.set(key, bs.latency)
    }
    counter(out, 'switchyard_http_requests_total', 'HTTP requests by listener, route rule and status code.', requests)
    histogram(out, 'switchyard_http_request_duration_seconds', 'Request latency by listener and route rule.', latency)
    counter(out, 'switchyard_backend_requests_total', 'Requests forwarded, by backend and status code.', backendRequests)
    histogram(out, 'switchyard_backend_request_duration_seconds', 'Request latency by backend.', backendLatency)
    counter(out, 'switchyard_http_request_errors_total', 'Requests that ended in a 5xx or a gateway error.', this.#errors)
    counter(out, 'switchyard_l4_connections_total', 'TCP and TLS connections and UDP flows, by protocol, listener, route rule and result (ok, rejected, error), counted when they end.', this.#streams)
    counter(out, 'switchyard_l4_bytes_total', 'Bytes carried by TCP and TLS connections and UDP flows, by direction (to_backend, to_client), counted when they end.', this.#streamBytes)
    counter(out, 'switchyard_udp_dropped_total', 'UDP datagrams not forwarded, by listener and reason (flow-limit, draining, rejected, send-failed).', this.#udpDropped)
    out.push('# HELP switchyard_udp_flows UDP flows open now.', '# TYPE switchyard_udp_flows gauge', `switchyard_udp_flows ${this.#udpFlows}`)
    out.push('# HELP switchyard_open_connections Client TCP connections open now (HTTP, TLS and TCP ports).', '# TYPE switchyard_open_connections gauge', `switchyard_open_connections ${this.#connections}`)
    out.push('# HELP switchyard_connections_refused_total Client TCP connections reset at accept because their port was at its connection limit.', '# TYPE switchyard_connections_refused_total counter', `switchyard_connections_refused_total ${this.#connectionsRefused}`)
    out.push('# HELP switchyard_config_reloads_total Configurations applied.', '# TYPE switchyard_config_reloads_total counter', `switchyard_config_reloads_total ${this.#reloads}`)
    // Process-wide (one event loop polls for every runtime in it): what the latency option costs.
    const bp = busyPollStats()
    counter(out, 'switchyard_busy_poll_windows_total', 'Busy-poll windows (serve --busy-poll) by outcome: paid (a write followed within the window) or wasted (it ran out).', new Map([['outcome="paid"', bp.paid], ['outcome="wasted"', bp.wasted]]))
    out.push('# HELP switchyard_busy_poll_seconds_total Time the event loop spent with a busy-poll window open: polling instead of sleeping, and handling what the polls found.', '# TYPE switchyard_busy_poll_seconds_total counter', `switchyard_busy_poll_seconds_total ${bp.seconds}`)
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

function stats(): RouteStats {
  return { codes: new Map(), latency: { counts: BUCKETS.map(() => 0), sum: 0, count: 0 } }
}

function count(s: RouteStats, status: number, seconds: number): void {
  s.codes.set(status, (s.codes.get(status) ?? 0) + 1)
  const h = s.latency
  // The first bucket that holds the sample; past the last one only +Inf (count) holds it.
  for (let i = 0; i < BUCKETS.length; i++)
    if (seconds <= BUCKETS[i]!) {
      h.counts[i]!++
      break
    }
  h.sum += seconds
  h.count++
}

function counter(out: string[], name: string, help: string, m: Map<string, number>): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`)
  for (const [k, v] of [...m].sort()) out.push(`${name}{${k}} ${v}`)
}

function histogram(out: string[], name: string, help: string, m: Map<string, Histogram>): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`)
  for (const [k, h] of [...m].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let cumulative = 0
    BUCKETS.forEach((b, i) => out.push(`${name}_bucket{${k},le="${b}"} ${(cumulative += h.counts[i]!)}`))
    out.push(`${name}_bucket{${k},le="+Inf"} ${h.count}`, `${name}_sum{${k}} ${h.sum}`, `${name}_count{${k}} ${h.count}`)
  }
}
