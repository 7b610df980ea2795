import type * as ir from '../../../../src/ir/index.ts'
import type { MetricsJSON, Snapshot } from '../api.ts'
import { fmtRate, liveFigures, type Live } from '../traffic.ts'

/** Every port, listener and virtual host, with each rule's matches, backends and live request rate. */
export function ListenersPanel(props: { config: Snapshot | null; metrics: readonly MetricsJSON[]}) {
  const live = liveFigures(props.metrics, (m) => m.routes.map((r) => ({ ...r, key: r.route })))
  return (
    <section id="listeners" class="wide">
      <h2>Listeners and routes</h2>
      {!props.config && <p class="muted">No configuration is live yet.</p>}
      {props.config?.ports.map((p) => <Port port={p} live={live} />)}
    </section>
  )
}

function Port(props: { port: ir.Port; live: Map<string, Live> }) {
  const p = props.port
  const title = `${p.kind === 'udp' ? 'UDP' : p.kind === 'tcp' ? 'TCP' : p.kind === 'tls' ? 'TLS' : 'HTTP'} ${p.address ?? '*'}:${p.port}`
  if (p.kind === 'tcp' || p.kind === 'udp')
    return (
      <div class="port">
        <h3>{title}</h3>
        <div class="listener">
          <b>{p.listener}</b> → {p.route ?? <span class="muted">no route attached: connections are refused</span>}
          <Backends backends={p.backends} />
        </div>
      </div>
    )
  return (
    <div class="port">
      <h3>{title}</h3>
      {p.listeners.map((l) => (
        <div class="listener" data-testid={`listener-${l.name}`}>
          <b>{l.name}</b> <span class="muted">{l.kind} · {l.hostname ?? 'any host'}</span>
          {l.kind === 'http' || l.kind === 'https' ? (
            l.virtualHosts.length === 0 ? <p class="muted">no routes attached</p> : l.virtualHosts.map((v) => <VirtualHost vhost={v} live={props.live} />)
          ) : (
            <table>
              <tbody>
                {l.routes.map((r) => (
                  <tr>
                    <td class="mono">SNI {r.hostname}</td>
                    <td class="mono">{r.name}</td>
                    <td>
                      <Backends backends={r.backends} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  )
}

function VirtualHost(props: { vhost: ir.HTTPVirtualHost; live: Map<string, Live> }) {
  return (
    <div class="vhost">
      <div class="muted">host {props.vhost.hostname}</div>
      <table>
        <thead>
          <tr>
            <th>match</th>
            <th>rule</th>
            <th>then</th>
            <th class="num">req/s</th>
            <th class="num">total</th>
          </tr>
        </thead>
        <tbody>
          {props.vhost.routes.map((e) => {
            const rule = e.name.replace(/\/match\/\d+$/, '')
            const l = props.live.get(rule)
            return (
              <tr>
                <td class="mono">{describeMatch(e.match)}</td>
                <td class="mono small">{e.name}</td>
                <td>{e.action.kind === 'redirect' ? <span class="mono">redirect {e.action.redirect.statusCode}</span> : <Backends backends={e.action.backends} />}</td>
                <td class="num" data-testid={`rate-${rule}`}>{fmtRate(l?.rate ?? 0)}</td>
                <td class="num" data-testid={`total-${rule}`}>{l?.total ?? 0}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function Backends(props: { backends: readonly (ir.HTTPBackend | ir.L4Backend)[] }) {
  if (props.backends.length === 0) return <span class="bad-text">no backends (500)</span>
  const total = props.backends.reduce((s, b) => s + b.weight, 0)
  return (
    <span>
      {props.backends.map((b) => (
        <span class={`backend ${b.kind === 'invalid' ? 'bad-text' : b.endpoints.length === 0 ? 'warn-text' : ''}`} title={b.name}>
          {b.kind === 'invalid' ? `✗ ${b.reason}` : `${b.service}${b.endpoints.length === 0 ? ' (no endpoints)' : ''}`}
          {props.backends.length > 1 && ` ${total ? Math.round((b.weight / total) * 100) : 0}%`}
        </span>
      ))}
    </span>
  )
}

export function describeMatch(m: ir.HTTPMatch): string {
  const parts = [m.method ?? '', `${m.path.kind === 'exact' ? 'exact' : 'prefix'} ${m.path.value}`]
  for (const h of m.headers) parts.push(`${h.name}: ${h.value}`)
  if (m.queryParams.length) parts.push('?' + m.queryParams.map((q) => `${q.name}=${q.value}`).join('&'))
  return parts.filter(Boolean).join(' ')
}
