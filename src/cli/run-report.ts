import type { BoundPort } from '../dataplane/index.ts'
import type { Diagnostic } from '../diag/index.ts'
import type * as ir from '../ir/index.ts'
import type { Condition } from '../k8s/index.ts'
import { serviceName, type App } from '../model/index.ts'
import type { LocalContainer } from '../local/index.ts'
import type { ObjectStatus } from '../translator/index.ts'
import { unhealthyConditions } from './status.ts'

/** Everything the start-up summary of `switchyard run` is made from. */
export interface RunReportInput {
  readonly app: App
  readonly defaultEnvironment: boolean
  readonly ir: ir.Snapshot
  readonly statuses: readonly ObjectStatus[]
  readonly bound: readonly BoundPort[]
  readonly containers: readonly LocalContainer[]
  /** Warnings of the configuration (notes such as certificates the local CA issued). */
  readonly diagnostics: readonly Diagnostic[]
  /** `<namespace>/<name>` of TLS Secrets issued by the local CA. */
  readonly issued: readonly string[]
  /** The local CA's certificate, when it exists. */
  readonly caPath: string | null
  readonly admin: string
}

/**
 * The start-up summary, as a good dev server prints it: the local containers and where they
 * listen, the gateway's listeners, every route with a ready-to-paste command to try it (with
 * `--resolve` for hostnames and `--cacert` when the local CA issued the certificate), and
 * warnings for what did not attach or is not served, with the reason from status.
 */
export function runReport(r: RunReportInput): string {
  const out: string[] = []
  const name = r.app.application?.name ?? 'app'
  out.push(r.defaultEnvironment ? `app ${name} on the default environment (Gateway radius-system/radius: HTTP, and TLS passthrough)` : `app ${name}, environment ${r.app.environment!.name}`)
  out.push('', 'containers')
  if (r.containers.length === 0) out.push('  (none)')
  const w = Math.max(0, ...r.containers.map((c) => c.label.length))
  for (const c of r.containers) {
    const ports = c.ports.map((p) => `${p.name} → ${hostPort(p.host, p.port)}${p.protocol === 'UDP' ? '/udp' : ''}`).join(', ') || 'no ports'
    const mode = c.mode === 'standIn' ? 'stand-in' : c.mode === 'address' ? 'address' : `command${c.pid ? ` (pid ${c.pid})` : ''}`
    out.push(`  ${c.label.padEnd(w)}  ${mode.padEnd(8)}  ${ports}${c.ready ? '' : '  (not answering yet)'}`)
  }
  const labels = containerLabels(r.app)
  const backendName = (b: ir.L4Backend | ir.HTTPBackend) => (b.kind === 'service' ? (labels.get(b.service) ?? b.service) : `(invalid: ${b.reason})`)
  out.push('', 'listeners')
  const tries: string[] = []
  for (const p of r.ir.ports) {
    const key = `${p.address ?? '*'}:${p.port}`
    const b = r.bound.find((x) => x.key === key)
    const at = b ? hostPort(b.address, b.port) : null
    const listeners = p.kind === 'tcp' || p.kind === 'udp' ? [{ name: p.listener, kind: p.kind }] : p.listeners.map((l) => ({ name: l.name, kind: l.kind as string }))
    for (const l of listeners) out.push(`  ${l.name.padEnd(32)} ${l.kind.toUpperCase().padEnd(16)} ${at ? `${at}${b!.port !== p.port ? ` (listener port ${p.port})` : ''}` : 'not served'}`)
    if (!at) continue
    const [host, port] = [b!.address, b!.port]
    switch (p.kind) {
      case 'http':
        for (const l of p.listeners) {
          if (l.virtualHosts.length === 0) continue
          tries.push(`  ${l.name} (HTTP on ${at})`)
          for (const v of l.virtualHosts) for (const e of v.routes) tries.push(...httpTry(e, v.hostname, 'http', host, port, null, backendName))
        }
        break
      case 'tls':
        for (const l of p.listeners) {
          if ((l.kind === 'https' ? l.virtualHosts.length : l.routes.length) === 0) continue
          tries.push(`  ${l.name} (${l.kind === 'https' ? 'HTTPS' : l.kind === 'tls-passthrough' ? 'TLS passthrough' : 'TLS terminate'} on ${at})`)
          const cacert = l.kind !== 'tls-passthrough' && l.tls.certificates.some((c) => r.issued.includes(c.name)) ? r.caPath : null
          if (l.kind === 'https') for (const v of l.virtualHosts) for (const e of v.routes) tries.push(...httpTry(e, v.hostname, 'https', host, port, cacert, backendName))
          else
            for (const route of l.routes) {
              const h = sampleHost(route.hostname)
              const via = l.kind === 'tls-passthrough' ? 'passed through' : 'terminated here'
              tries.push(`    ${route.hostname} (${route.name}, TLS ${via}) → ${route.backends.map(backendName).join(', ')}`, `      curl${r.caPath ? ` --cacert ${r.caPath}` : ''} --resolve ${h}:${port}:${host} https://${h}:${port}/`)
            }
        }
        break
      case 'tcp':
      case 'udp':
        if (p.route) tries.push(`  ${p.listener} (${p.kind.toUpperCase()} on ${at})`, `    ${p.route} → ${p.backends.map(backendName).join(', ')}`, `      ${p.kind === 'udp' ? `echo hello | nc -u -w1 ${host} ${port}` : `echo hello | nc ${host} ${port}`}`)
        break
    }
  }
  if (r.ir.ports.length === 0) out.push('  (none)')
  out.push('', 'try')
  out.push(...(tries.length ? tries : ['  (no route is attached to a served listener)']))
  const warnings = [...statusWarnings(r.statuses), ...r.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.message} [${d.code}]`)]
  if (warnings.length) out.push('', 'warnings', ...warnings.map((x) => `  ! ${x}`))
  out.push('', `dashboard: http://${r.admin}/  (admin API: /status, /config, /metrics, /explain)`)
  if (r.caPath) out.push(`local CA: ${r.caPath} (give it to clients with --cacert; \`switchyard certs\` shows it)`)
  return out.join('\n') + '\n'
}

/** One route match as a curl command line, with the container that answers it. */
function httpTry(e: ir.HTTPRouteEntry, vhost: string, scheme: 'http' | 'https', host: string, port: number, cacert: string | null, backendName: (b: ir.HTTPBackend) => string): string[] {
  const h = vhost === '*' ? null : sampleHost(vhost)
  const authority = `${h ?? (host.includes(':') ? `[${host}]` : host)}:${port}`
  const query = e.match.queryParams.map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(q.value)}`).join('&')
  const url = `${scheme}://${authority}${e.match.path.value}${query ? `?${query}` : ''}`
  const args = ['curl']
  if (cacert && scheme === 'https') args.push('--cacert', cacert)
  if (h) args.push('--resolve', `${h}:${port}:${host}`)
  if (e.match.method && e.match.method !== 'GET') args.push('-X', e.match.method)
  for (const x of e.match.headers) args.push('-H', shellQuote(`${x.name}: ${x.value}`))
  args.push(shellQuote(url))
  const to = e.action.kind === 'redirect' ? 'redirect' : e.action.backends.map(backendName).join(', ') || '(no backend: 500)'
  const what = [e.match.method, `${e.match.path.value}${e.match.path.kind === 'exact' ? ' (exact)' : ''}`, ...e.match.headers.map((x) => `${x.name}: ${x.value}`), ...(query ? [`?${query}`] : [])].filter(Boolean).join(' ')
  return [`    ${h ?? '*'} ${what} → ${to}`, `      ${args.join(' ')}`]
}

/** A name to try for a hostname: itself, or for a wildcard, one name it covers. */
function sampleHost(hostname: string): string {
  return hostname.startsWith('*.') ? `try.${hostname.slice(2)}` : hostname
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`
}

/** IR backend names (`<ns>/<service>:<port>`) → the container labels that serve them. */
function containerLabels(app: App): Map<string, string> {
  const ns = app.environment?.namespace ?? 'default'
  const out = new Map<string, string>()
  for (const c of app.containers)
    for (const [cn, spec] of Object.entries(c.containers))
      for (const p of Object.values(spec.ports)) out.set(`${ns}/${serviceName(c, cn)}:${p.port}`, c.single ? c.name : `${c.name}/${cn}`)
  return out
}

/** Routes and listeners that did not attach or resolve, with the reason and message from status. */
function statusWarnings(statuses: readonly ObjectStatus[]): string[] {
  const out: string[] = []
  for (const o of statuses) {
    const name = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`
    const s = o.status as { conditions?: Condition[]; listeners?: { name: string; conditions: Condition[] }[]; parents?: { parentRef: { name: string; sectionName?: string }; conditions: Condition[] }[] }
    for (const c of unhealthyConditions(s.conditions ?? [])) out.push(`${name}: ${c.type}=${c.status} ${c.reason} — ${c.message}`)
    for (const l of s.listeners ?? []) for (const c of unhealthyConditions(l.conditions)) out.push(`${name} listener ${l.name}: ${c.type}=${c.status} ${c.reason} — ${c.message}`)
    for (const p of s.parents ?? []) for (const c of unhealthyConditions(p.conditions)) out.push(`${name} on ${p.parentRef.name}${p.parentRef.sectionName ? `#${p.parentRef.sectionName}` : ''}: ${c.type}=${c.status} ${c.reason} — ${c.message}`)
    if (s.parents && s.parents.length === 0) out.push(`${name}: attached to no Gateway served here`)
  }
  return out
}
