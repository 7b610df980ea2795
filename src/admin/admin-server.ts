import http from 'node:http'
import { SwitchyardError, type Diagnostic } from '../diag/index.ts'
import * as ir from '../ir/index.ts'

/**
 * What the admin API shows, injected by the composition root (cli/serve.ts), so admin never
 * imports the data plane.
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
}

/** `GET /explain?method=&url=&header=name:value&sni=`: `sni` absent → the URL host; empty → none. */
export interface ExplainQuery {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly sni?: string | null
}

export interface AdminServer {
  /** `host:port` bound. */
  readonly address: string
  readonly port: number
  close(): Promise<void>
}

/** Starts the admin API on host:port (port 0: ephemeral). Throws ADMIN_BIND_FAILED. */
export function startAdmin(host: string, port: number, view: AdminView): Promise<AdminServer> {
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
      case '/explain': {
        const target = url.searchParams.get('url')
        if (!target) return json(400, { error: 'usage: /explain?method=GET&url=http://host:port/path&header=name:value&sni=name' })
        const headers: Record<string, string> = {}
        for (const h of url.searchParams.getAll('header')) {
          const i = h.indexOf(':')
          if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim()
        }
        const sni = url.searchParams.get('sni')
        return json(200, view.explain({ method: (url.searchParams.get('method') ?? 'GET').toUpperCase(), url: target, headers, ...(sni !== null ? { sni: sni === '' ? null : sni } : {}) }))
      }
      default:
        return json(404, { error: `no such endpoint ${url.pathname}`, endpoints: ['/healthz', '/readyz', '/status', '/config', '/metrics', '/explain'] })
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
            server.close(() => r())
            server.closeAllConnections()
          }),
      })
    })
  })
}
