/**
 * pipeline — files → live configuration, with hot reload.
 *
 * Input: paths of Gateway API YAML files or directories (and, through readInputs, app files:
 * YAML, and .bicep evaluated with its `-p` parameters) — or, with a `Prepare` step such as
 * `RunSource` (`switchyard run`), app and environment files, rendered by the Kubernetes recipe
 * with the local containers' EndpointSlices and TLS Secrets added. Output: `Published` configurations
 * (IR + status per object + generation) handed to a Sink (the data plane), and the errors of the
 * last rejected reload. Invariants: only a configuration that loads without errors and passes
 * `ir.validate` is published; a rejected reload keeps the last good one; unchanged configurations
 * are not republished; object creationTimestamp and generation persist across reloads. With
 * `offThread` (serve, run) load, translate and validate run on a worker thread (build-thread.ts),
 * so the caller's event loop keeps serving during a reload; only changed documents are parsed again.
 * May import: diag, util, model, bicep, k8s, recipes, translator, ir, local — never dataplane.
 */
export { Pipeline, type PipelineOptions, type Prepare, type Published, type ReloadOutcome, type Sink } from './pipeline.ts'
export { readInputs, type InputFile, type ReadOptions } from './read-files.ts'
export { RunSource, type RunSourceOptions, type RunView } from './run-source.ts'
