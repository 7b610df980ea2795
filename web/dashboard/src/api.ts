// What the admin API answers (types only: shared with the server, nothing of it is bundled).
import type { MetricsJSON, TrafficRow } from '../../../src/admin/metrics-json.ts'
import type { ReloadEntry } from '../../../src/admin/reload-history.ts'
import type { Explanation } from '../../../src/dataplane/explain/types.ts'
import type { Graph } from '../../../src/graph/graph.ts'
import type { Snapshot } from '../../../src/ir/index.ts'

export type { Explanation, Graph, MetricsJSON, ReloadEntry, Snapshot, TrafficRow }

export interface Condition {
  readonly type: string
  readonly status: 'True' | 'False' | 'Unknown'
  readonly reason: string
  readonly message: string
}

export interface StatusObject {
  readonly apiVersion: string
  readonly kind: string
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly generation: number; readonly creationTimestamp: string }
  readonly status: {
    readonly conditions?: readonly Condition[]
    readonly listeners?: readonly { readonly name: string; readonly attachedRoutes: number; readonly conditions: readonly Condition[] }[]
    readonly parents?: readonly { readonly parentRef: { readonly name: string; readonly namespace?: string; readonly sectionName?: string; readonly port?: number }; readonly conditions: readonly Condition[] }[]
  }
}

export interface Diagnostic {
  readonly code: string
  readonly severity: string
  readonly message: string
  readonly path?: unknown
  readonly source?: { readonly file: string; readonly line: number; readonly col: number }
  readonly resource?: string
}

export interface Status {
  readonly generation: number
  readonly objects: readonly StatusObject[]
  readonly errors: readonly Diagnostic[]
}

export interface Reloads {
  readonly seq: number
  readonly entries: readonly ReloadEntry[]
}

/** GET a JSON endpoint of the admin API (relative, so the page works behind any prefix). */
export async function get<T>(path: string): Promise<T> {
  const r = await fetch(path, { headers: { accept: 'application/json' } })
  return (await r.json()) as T
}

// Conditions whose healthy status is False (negative polarity).
const NEGATIVE = new Set(['Conflicted', 'PartiallyInvalid', 'OverlappingTLSConfig'])

export function isHealthy(c: Condition): boolean {
  return (c.status === 'True') !== NEGATIVE.has(c.type)
}

export function objectName(o: StatusObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name
}
