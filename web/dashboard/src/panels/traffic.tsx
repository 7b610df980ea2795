import type { MetricsJSON } from '../api.ts'
import { fmtMs, fmtRate, liveFigures, type Live } from '../traffic.ts'

/** Request rate, errors and latency per route rule and per backend, over the last few seconds. */
export function TrafficPanel(props: { metrics: readonly MetricsJSON[] }) {
  const routes = liveFigures(props.metrics, (m) => m.routes.map((r) => ({ ...r, key: r.route || '(no route: 404, 421, …)' })))
  const backends = liveFigures(props.metrics, (m) => m.backends.map((b) => ({ ...b, key: b.backend })))
  return (
    <section id="traffic">
      <h2>Traffic</h2>
      <Table title="route rule" rows={routes} testid="route" />
      <Table title="backend" rows={backends} testid="backend" />
    </section>
  )
}

function Table(props: { title: string; rows: Map<string, Live>; testid: string }) {
  const rows = [...props.rows].sort(([a], [b]) => a.localeCompare(b))
  return (
    <table>
      <thead>
        <tr>
          <th>{props.title}</th>
          <th class="num">req/s</th>
          <th class="num">total</th>
          <th class="num">5xx</th>
          <th class="num">p50</th>
          <th class="num">p95</th>
          <th class="num">mean</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={7} class="muted">
              no requests yet
            </td>
          </tr>
        )}
        {rows.map(([key, l]) => (
          <tr data-testid={`traffic-${props.testid}-${key}`}>
            <td class="mono small">{key}</td>
            <td class="num">{fmtRate(l.rate)}</td>
            <td class="num" data-testid="total">{l.total}</td>
            <td class={`num ${l.errors ? 'bad-text' : ''}`}>{l.errors}</td>
            <td class="num">{fmtMs(l.p50)}</td>
            <td class="num">{fmtMs(l.p95)}</td>
            <td class="num">{fmtMs(l.mean)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
