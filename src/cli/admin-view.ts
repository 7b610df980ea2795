import { ReloadHistory, type AdminView } from '../admin/index.ts'
import { explain, type Plan } from '../dataplane/index.ts'
import { graphFromConfig, type Graph } from '../graph/index.ts'
import type { Pipeline, ReloadOutcome } from '../pipeline/index.ts'

/** What the admin API reads from a running gateway. */
export interface AdminSources {
  readonly pipeline: Pipeline
  readonly runtime: { readonly plan: Plan | null; readonly metrics: { render(): string } }
  readonly history: ReloadHistory
  /** Extra `/status` fields (bound listeners, listeners not served, …). */
  readonly extraStatus?: () => Record<string, unknown>
  /** The graph to show; default: the served configuration's Gateway → Route → Service graph. */
  readonly graph?: () => Graph | null
}

/**
 * The AdminView of a running gateway, shared by `serve` and `run`: status, config and metrics from
 * the pipeline and runtime, `explain` on the live plan with the live statuses, the reload history.
 */
export function adminView(s: AdminSources): AdminView {
  const { pipeline, runtime } = s
  return {
    ready: () => pipeline.current !== null,
    status: () => ({ generation: pipeline.current?.generation ?? 0, objects: pipeline.current?.statuses ?? [], errors: pipeline.errors, ...s.extraStatus?.() }),
    config: () => pipeline.current?.ir ?? null,
    metrics: () => runtime.metrics.render(),
    explain: (request) => (runtime.plan ? explain(runtime.plan, request, { objects: pipeline.current?.statuses ?? [] }) : { error: 'no configuration is live yet' }),
    reloads: () => ({ seq: s.history.seq, entries: s.history.list() }),
    graph: s.graph ?? (() => (pipeline.current ? graphFromConfig(pipeline.current.ir, pipeline.current.statuses) : null)),
  }
}

/** Records one reload outcome in the history (the config generation live after it). */
export function recordReload(history: ReloadHistory, pipeline: Pipeline, outcome: ReloadOutcome, time = new Date().toISOString()): void {
  history.record({ time, kind: outcome.kind, generation: pipeline.current?.generation ?? 0, errors: outcome.kind === 'rejected' ? outcome.errors : [] })
}
