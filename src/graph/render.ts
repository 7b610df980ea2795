import type { Graph, GraphEdge, GraphNode } from './graph.ts'

// Nodes drawn inside the tree of the node that leads to them; the others are named there and
// described once, at the top level.
const NESTED = new Set(['listener', 'route'])

/**
 * The graph as an indented text tree: each gateway with its listeners and routes nested below, each
 * route's edges pointing to the services or containers they lead to; then the containers (and
 * services) with their connections; then anything nothing leads to. A link that carries no
 * traffic is marked ✗ with its reason.
 */
export function renderText(graph: Graph): string {
  const out: string[] = [graph.title, '']
  const byId = new Map(graph.nodes.map((n) => [n.id, n]))
  const outgoing = new Map<string, GraphEdge[]>()
  const incoming = new Set<string>()
  for (const e of graph.edges) {
    outgoing.set(e.from, [...(outgoing.get(e.from) ?? []), e])
    incoming.add(e.to)
  }
  const printed = new Set<string>()
  const describe = (n: GraphNode, indent: string) => {
    for (const d of n.detail) out.push(`${indent}    ${d}`)
    if (n.problem) out.push(`${indent}    ✗ ${n.problem}`)
  }
  const walk = (n: GraphNode, indent: string) => {
    printed.add(n.id)
    for (const e of outgoing.get(n.id) ?? []) {
      const to = byId.get(e.to)
      if (!to) continue
      const mark = e.problem ? `✗ ` : ''
      const why = e.problem ? `  (${e.problem})` : ''
      if (NESTED.has(to.kind)) {
        const seen = printed.has(to.id)
        out.push(`${indent}  ${mark}${e.label ? `${e.label}: ` : ''}${to.label}${seen ? ' (as above)' : ''}${why}`)
        if (!seen) {
          describe(to, `${indent}  `)
          walk(to, `${indent}  `)
        }
      } else out.push(`${indent}  ${mark}${e.kind === 'connection' ? 'connection ' : ''}${e.label ? `${e.label} ` : ''}→ ${to.label}${why}`)
    }
  }
  const section = (nodes: readonly GraphNode[]) => {
    for (const n of nodes) {
      if (printed.has(n.id)) continue
      out.push(n.label)
      describe(n, '')
      walk(n, '')
    }
  }
  section(graph.nodes.filter((n) => n.kind === 'gateway'))
  const rest = graph.nodes.filter((n) => !NESTED.has(n.kind) && n.kind !== 'gateway')
  if (rest.length && printed.size > 0) out.push('')
  section(rest)
  const orphans = graph.nodes.filter((n) => !printed.has(n.id) && !incoming.has(n.id))
  if (orphans.length) out.push('', 'not attached to anything')
  section(orphans)
  return out.join('\n') + '\n'
}

/** The graph as a Mermaid flowchart (left to right); links that carry no traffic are dotted, with their reason. */
export function renderMermaid(graph: Graph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]))
  const q = (s: string) => `"${s.replace(/"/g, '#quot;')}"`
  const out = ['flowchart LR', `  %% ${graph.title}`]
  for (const n of graph.nodes) {
    const text = [n.label, ...n.detail].join('<br/>')
    const shape = n.kind === 'gateway' ? [`[[`, `]]`] : n.kind === 'route' ? ['([', '])'] : n.kind === 'external' ? ['>', ']'] : n.kind === 'container' || n.kind === 'service' ? ['[(', ')]'] : ['[', ']']
    out.push(`  ${ids.get(n.id)}${shape[0]}${q(text)}${shape[1]}`)
  }
  for (const e of graph.edges) {
    const from = ids.get(e.from)
    const to = ids.get(e.to)
    if (!from || !to) continue
    const label = e.problem ? `✗ ${e.problem}` : e.label
    out.push(e.problem ? `  ${from} -.${label ? ` ${q(label)} ` : ''}.-> ${to}` : `  ${from} -->${label ? `|${q(label)}|` : ''} ${to}`)
  }
  const bad = graph.nodes.filter((n) => n.problem).map((n) => ids.get(n.id))
  if (bad.length) out.push('  classDef problem stroke:#c62828,stroke-width:2px', `  class ${bad.join(',')} problem`)
  return out.join('\n') + '\n'
}
