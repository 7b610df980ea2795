import http from 'node:http'
import { SwitchyardError, type Diagnostic } from '../diag/index.ts'
import * as ir from '../ir/index.ts'
import { DASHBOARD_DIR, serveAsset } from './assets.ts'
import { EventStream, type StreamEvent } from './event-stream.ts'
import { metricsJSON } from './metrics-json.ts'
import type { ReloadEntry } from './reload-history.ts'

/**
 * What the admin API shows, injected by the composition root (cli/serve.ts, cli/run.ts), so admin
 * never imports the data plane. The optional parts light up dashboard panels when given.
 */
export interface AdminView {
  /** True once the first configuration is live (`/readyz`). */
  ready(): boolean
  /** `/status` (DESIGN.md §5): the config generation, every object with its status, the errors of the last rejected reload. */
  status(): { readonly generation: number; readonly objects: readonly unknown[]; readonly errors: readonly Diagnostic[]; readonly [k: string]: unknown }
  /** The live IR, or null before the first configuration. Served redacted. */
  config(): ir.Snapshot | null
  /** Prometheus text exposition. */
  metrics(): string
  /** Which listener, route, rule and backend a request would take, and why (dataplane `explain`). */
  explain(request: ExplainQuery): unknown
  /** Reload attempts, oldest first (bounded), and how many there were in all (`/reloads`). */
  reloads?(): { readonly seq: number; readonly entries: readonly ReloadEntry[] }
  /** The traffic graph (`/graph`): the app's under `run`, Gateway → Route → Service under `serve`. */
  graph?(): unknown
}

/**
 * `GET /explain?method=&url=&header=name:value&sni=`: `sni` absent → the URL host; empty → none.
 * `url` may also be a connection, `tls://host:port`, `tcp://address:port` or `udp://address:port`
 * (no method needed).
 */
export interface ExplainQuery {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly sni?: string | null
}

export interface AdminOptions {
  /** Where the built dashboard is. @default DASHBOARD_DIR (dist/dashboard at the package root) */
  readonly assetsDir?: string
  /** How often `/events` sends metrics. @default 1000 */
  readonly eventIntervalMs?: number
}

export interface AdminServer {
  /** `host:port` bound. */
  readonly address: string
  readonly port: number
  close(): Promise<void>
}

const ENDPOINTS = ['/', '/healthz', '/readyz', '/status', '/config', '/metrics', '/metrics.json', '/explain', '/reloads', '/graph', '/events']

/**
 * Starts the admin API on host:port (port 0: ephemeral): the JSON endpoints of DESIGN.md §5, the
 * dashboard's data (`/metrics.json`, `/reloads`, `/graph`, `/events`) and the dashboard itself at
 * `/`. Throws ADMIN_BIND_FAILED.
 */
export function startAdmin(host: string, port: number, view: AdminView, options: AdminOptions = {}): Promise<AdminServer> {
  const assets = options.assetsDir ?? DASHBOARD_DIR
  let last = ''
  const events = new EventStream(options.eventIntervalMs ?? 1000, (first) => {
    const out: StreamEvent[] = []
    // `state` only when something the page shows from other endpoints changed: a reload.
    const state = { generation: view.status().generation, reloads: view.reloads?.().seq ?? 0, ready: view.ready() }
    const key = JSON.stringify(state)
    if (first || key !== last) out.push({ event: 'state', data: state })
    last = key
    const { samples: _, ...m } = metricsJSON(view.metrics(), Date.now())
    out.push({ event: 'metrics', data: m })
    return out
  })
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin')
    const json = (status: number, body: unknown) => {
      const text = JSON.stringify(body, null, 2) + '\n'
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
      res.end(text)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'only GET' })
    switch (url.pathname) {
      case '/healthz':
        return json(200, { status: 'ok' })
      case '/readyz':
        return view.ready() ? json(200, { status: 'ready' }) : json(503, { status: 'not ready' })
      case '/status':
        return json(200, view.status())
      case '/config': {
        const c = view.config()
        return c ? json(200, ir.printable(c)) : json(503, { error: 'no configuration is live yet' })
      }
      case '/metrics': {
        const text = view.metrics()
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) })
        return res.end(text)
      }
      case '/metrics.json':
        return json(200, metricsJSON(view.metrics(), Date.now()))
      case '/explain': {
        const target = url.searchParams.get('url')
        if (!target) return json(400, { error: 'usage: /explain?method=GET&url=http://host:port/path&header=name:value&sni=name, or /explain?url=tls://host:port (also tcp://address:port, udp://address:port)' })
        const headers: Record<string, string> = {}
        for (const h of url.searchParams.getAll('header')) {
          const i = h.indexOf(':')
          if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim()
        }
        const sni = url.searchParams.get('sni')
        return json(200, view.explain({ method: (url.searchParams.get('method') ?? 'GET').toUpperCase(), url: target, headers, ...(sni !== null ? { sni: sni === '' ? null : sni } : {}) }))
      }
      case '/reloads':
        return json(200, view.reloads?.() ?? { seq: 0, entries: [] })
      case '/graph':
        return json(200, view.graph?.() ?? null)
      case '/events':
        return events.add(res)
      default:
        if (serveAsset(assets, url.pathname, res)) return
        return json(404, { error: `no such endpoint ${url.pathname}`, endpoints: ENDPOINTS })
    }
  })
  return new Promise((resolve, reject) => {
    server.once('error', (cause) => reject(new SwitchyardError('ADMIN_BIND_FAILED', `cannot listen on ${host}:${port} for the admin API: ${cause.message}`, { cause })))
    server.listen(port, host, () => {
      const a = server.address()
      const bound = typeof a === 'object' && a ? a.port : port
      resolve({
        address: `${host.includes(':') ? `[${host}]` : host}:${bound}`,
        port: bound,
        close: () =>
          new Promise<void>((r) => {
            events.close()
            server.close(() => r())
            server.closeAllConnections()
          }),
      })
    })
  })
}
