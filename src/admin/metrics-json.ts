/**
 * `/metrics.json`: the Prometheus text the data plane renders, read back into data a page can use
 * without a Prometheus parser: every sample, plus per-route and per-backend totals (requests, 5xx,
 * status codes, latency histogram). Reading the text, not the data plane's internals, keeps the
 * two in step: whatever `/metrics` shows, this shows.
 */

export interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

export interface Latency {
  readonly count: number
  /** Seconds. */
  readonly sum: number
  /** Cumulative counts by finite upper bound in seconds (`le`); `count` is the `+Inf` bucket. */
  readonly buckets: readonly (readonly [number, number])[]
}

export interface TrafficRow {
  readonly requests: number
  /** Responses with status ≥ 500 (the gateway's own or the backend's). */
  readonly errors: number
  readonly codes: Readonly<Record<string, number>>
  readonly latency: Latency
}

export interface MetricsJSON {
  /** Milliseconds since the epoch, when the text was read (rates come from two of these). */
  readonly time: number
  /** By route rule (`httproute/<ns>/<name>/rule/<i>`; '' for requests no rule matched), then listener. */
  readonly routes: readonly (TrafficRow & { readonly route: string; readonly listener: string })[]
  readonly backends: readonly (TrafficRow & { readonly backend: string })[]
  readonly connections: number
  readonly reloads: number
  readonly samples: readonly Sample[]
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/** Parses the text exposition format 0.0.4 (comments skipped, label escapes undone). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = LINE.exec(line)
    if (!m) continue
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\')
    out.push({ name: m[1]!, labels, value: Number(m[3]) })
  }
  return out
}

/** Samples → per-route and per-backend rows (the families `dataplane/runtime/metrics.ts` renders). */
export function metricsJSON(text: string, time: number): MetricsJSON {
  const samples = parseMetrics(text)
  const routes = new Map<string, Row>()
  const backends = new Map<string, Row>()
  const routeRow = (l: Readonly<Record<string, string>>) => row(routes, `${l.route ?? ''}\u0000${l.listener ?? ''}`)
  const backendRow = (l: Readonly<Record<string, string>>) => row(backends, l.backend ?? '')
  let connections = 0
  let reloads = 0
  for (const s of samples) {
    const l = s.labels
    switch (s.name) {
      case 'switchyard_http_requests_total':
        count(routeRow(l), l.code, s.value)
        break
      case 'switchyard_backend_requests_total':
        count(backendRow(l), l.code, s.value)
        break
      case 'switchyard_http_request_duration_seconds_bucket':
        bucket(routeRow(l), l.le, s.value)
        break
      case 'switchyard_http_request_duration_seconds_sum':
        routeRow(l).sum = s.value
        break
      case 'switchyard_backend_request_duration_seconds_bucket':
        bucket(backendRow(l), l.le, s.value)
        break
      case 'switchyard_backend_request_duration_seconds_sum':
        backendRow(l).sum = s.value
        break
      case 'switchyard_open_connections':
        connections = s.value
        break
      case 'switchyard_config_reloads_total':
        reloads = s.value
        break
    }
  }
  return {
    time,
    routes: [...routes].map(([k, r]) => ({ route: k.split('\u0000')[0]!, listener: k.split('\u0000')[1]!, ...finish(r) })),
    backends: [...backends].map(([k, r]) => ({ backend: k, ...finish(r) })),
    connections,
    reloads,
    samples,
  }
}

interface Row {
  requests: number
  errors: number
  codes: Record<string, number>
  sum: number
  buckets: Map<number, number>
}

function row(m: Map<string, Row>, key: string): Row {
  let r = m.get(key)
  if (!r) m.set(key, (r = { requests: 0, errors: 0, codes: {}, sum: 0, buckets: new Map() }))
  return r
}

function count(r: Row, code: string | undefined, v: number): void {
  r.requests += v
  if (Number(code) >= 500) r.errors += v
  if (code !== undefined) r.codes[code] = (r.codes[code] ?? 0) + v
}

function bucket(r: Row, le: string | undefined, v: number): void {
  if (le !== undefined) r.buckets.set(le === '+Inf' ? Infinity : Number(le), v)
}

function finish(r: Row): TrafficRow {
  const all = [...r.buckets].sort(([a], [b]) => a - b)
  return { requests: r.requests, errors: r.errors, codes: r.codes, latency: { count: r.buckets.get(Infinity) ?? 0, sum: r.sum, buckets: all.filter(([le]) => le !== Infinity) } }
}
