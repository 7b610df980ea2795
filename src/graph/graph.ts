/**
 * A graph of where traffic flows: gateways, listeners, routes, services, containers and what is
 * outside the app, joined by edges that carry what they mean (a rule's matches, a connection's
 * name). Plain data, so `switchyard graph -o json`, the dashboard and the text and Mermaid
 * renderers all read the same thing.
 */
export type NodeKind = 'gateway' | 'listener' | 'route' | 'service' | 'container' | 'external'

export interface GraphNode {
  /** `<kind>:<name>`, unique in the graph. */
  readonly id: string
  readonly kind: NodeKind
  readonly label: string
  /** Short facts shown under the label (ports, hostnames, image). */
  readonly detail: readonly string[]
  /** Why this object is not healthy (a condition's reason and message), or null. */
  readonly problem: string | null
}

export type EdgeKind = 'listener' | 'attach' | 'backend' | 'connection'

export interface GraphEdge {
  readonly from: string
  readonly to: string
  readonly kind: EdgeKind
  readonly label: string
  /** Set when this link does not carry traffic (a route not accepted, a backend that did not resolve). */
  readonly problem: string | null
}

export interface Graph {
  readonly title: string
  readonly nodes: readonly GraphNode[]
  readonly edges: readonly GraphEdge[]
}

/** Collects nodes and edges, first definition wins, in insertion order (callers insert sorted). */
export class GraphBuilder {
  readonly #nodes = new Map<string, GraphNode>()
  readonly #edges = new Map<string, GraphEdge>()

  node(n: GraphNode): string {
    if (!this.#nodes.has(n.id)) this.#nodes.set(n.id, n)
    return n.id
  }

  has(id: string): boolean {
    return this.#nodes.has(id)
  }

  edge(e: GraphEdge): void {
    const key = `${e.from}|${e.to}|${e.kind}|${e.label}`
    if (!this.#edges.has(key)) this.#edges.set(key, e)
  }

  build(title: string): Graph {
    return { title, nodes: [...this.#nodes.values()], edges: [...this.#edges.values()] }
  }
}
