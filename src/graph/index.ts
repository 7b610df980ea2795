/**
 * graph — where traffic flows, as nodes and edges.
 *
 * Input: a valid app model (`graphFromApp`: gateway, routes, containers, connections) or a served
 * configuration (`graphFromConfig`: the IR and the `/status` objects — Gateway → listener → Route
 * → Service, with what is not accepted and why). Output: a `Graph` (plain data, served to the
 * dashboard as JSON) and its text and Mermaid renderings (`switchyard graph`).
 * Invariants: pure and deterministic (nodes and edges in the order of the input). A top-level
 * folder because it reads both the app model and the IR, and neither should know the other.
 * May import: diag, util, model, recipes (the default parent), k8s (types), ir (types).
 */
export type { EdgeKind, Graph, GraphEdge, GraphNode, NodeKind } from './graph.ts'
export { graphFromApp } from './from-app.ts'
export { graphFromConfig, problemOf, type StatusObject } from './from-config.ts'
export { renderMermaid, renderText } from './render.ts'
