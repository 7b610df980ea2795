import type { Graph } from '../api.ts'

const W = 230
const GAP_X = 90
const LINE = 16
const PAD = 8
const GAP_Y = 18
// Columns, left to right, in the order traffic flows.
const COLUMN: Record<string, number> = { gateway: 0, listener: 1, route: 2, service: 3, container: 3, external: 4 }

/** The graph as an SVG diagram: one column per kind of node, traffic flowing left to right. */
export function GraphPanel(props: { graph: Graph | null }) {
  const g = props.graph
  return (
    <section id="graph" class="wide">
      <h2>Graph {g && <span class="muted small">{g.title}</span>}</h2>
      {!g ? <p class="muted">Nothing to draw yet.</p> : <Diagram graph={g} />}
    </section>
  )
}

function Diagram({ graph }: { graph: Graph }) {
  const used = [...new Set(graph.nodes.map((n) => COLUMN[n.kind] ?? 0))].sort((a, b) => a - b)
  const col = (kind: string) => used.indexOf(COLUMN[kind] ?? 0)
  const y = new Map<number, number>()
  const box = new Map<string, { x: number; y: number; h: number }>()
  for (const n of graph.nodes) {
    const c = col(n.kind)
    const h = PAD * 2 + LINE * (1 + n.detail.length + (n.problem ? 1 : 0))
    const top = y.get(c) ?? 10
    box.set(n.id, { x: 10 + c * (W + GAP_X), y: top, h })
    y.set(c, top + h + GAP_Y)
  }
  const width = 20 + used.length * W + (used.length - 1) * GAP_X + 60
  const height = Math.max(...y.values(), 40) + 10
  return (
    <svg class="graph" width={width} height={height} viewBox={`0 0 ${width} ${height}`} data-testid="graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#667" />
        </marker>
      </defs>
      {graph.edges.map((e) => {
        const p = edgePath(box, e.from, e.to)
        return p && (
          <g class={`edge ${e.problem ? 'problem' : ''}`}>
            <path d={p.d} marker-end="url(#arrow)">
              <title>{e.problem ? `✗ ${e.problem}` : e.label}</title>
            </path>
          </g>
        )
      })}
      {graph.nodes.map((n) => {
        const b = box.get(n.id)!
        return (
          <g class={`node ${n.kind} ${n.problem ? 'problem' : ''}`} data-testid={`node-${n.id}`}>
            <rect x={b.x} y={b.y} width={W} height={b.h} rx={n.kind === 'route' ? 14 : 4} />
            <text x={b.x + PAD} y={b.y + PAD + 12} class="label">
              {n.label}
            </text>
            {n.detail.map((d, i) => (
              <text x={b.x + PAD} y={b.y + PAD + 12 + LINE * (i + 1)} class="detail">
                {d.length > 34 ? `${d.slice(0, 33)}…` : d}
              </text>
            ))}
            {n.problem && (
              <text x={b.x + PAD} y={b.y + PAD + 12 + LINE * (n.detail.length + 1)} class="detail bad">
                ✗ {n.problem.length > 32 ? `${n.problem.slice(0, 31)}…` : n.problem}
                <title>{n.problem}</title>
              </text>
            )}
          </g>
        )
      })}
      {graph.edges.map((e) => {
        const p = edgePath(box, e.from, e.to)
        // A link that carries no traffic is drawn dashed red; its reason is on the node and in the
        // link's tooltip (a label across the columns it skips would cover their boxes).
        const label = e.problem ? '' : e.label
        return p && label ? (
          <text class={`edge-label ${e.problem ? 'bad' : ''}`} x={p.lx} y={p.ly} text-anchor="middle">
            {label.length > 40 ? `${label.slice(0, 39)}…` : label}
          </text>
        ) : null
      })}
    </svg>
  )
}

/** A curve from the right of one box to the left of another (or back to the right, within a column), and where its label goes. */
function edgePath(box: Map<string, { x: number; y: number; h: number }>, from: string, to: string): { d: string; lx: number; ly: number } | null {
  const a = box.get(from)
  const b = box.get(to)
  if (!a || !b) return null
  const same = a.x === b.x
  const x1 = a.x + W
  const y1 = a.y + a.h / 2
  const x2 = same ? b.x + W : b.x
  const y2 = b.y + b.h / 2
  const bend = same ? 50 : (x2 - x1) / 2
  return { d: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${same ? x2 + bend : x2 - bend} ${y2}, ${x2} ${y2}`, lx: same ? x1 + bend * 0.8 : (x1 + x2) / 2, ly: (y1 + y2) / 2 - 4 }
}
