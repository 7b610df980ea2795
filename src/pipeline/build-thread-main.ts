/**
 * The worker thread of ThreadBuilder: one ConfigBuilder, one build per message, the result as JSON
 * text (or the rejection a thrown error becomes) posted back.
 */
import { parentPort } from 'node:worker_threads'
import type { Wire } from './build-thread.ts'
import { ConfigBuilder, type BuildRequest } from './config-builder.ts'

const builder = new ConfigBuilder()
parentPort!.on('message', (request: BuildRequest) => {
  let out: Wire
  try {
    const b = builder.build(request)
    // Only the text crosses (see BuiltWithText); the objects stay here for the garbage collector.
    out = b.kind === 'rejected' ? b : { kind: 'text', irText: b.irText, statusesText: b.statusesText, diagnostics: b.diagnostics, key: b.key }
  } catch (e) {
    out = { kind: 'rejected', errors: [{ code: 'PIPELINE_REJECTED', severity: 'error', message: `the configuration could not be built: ${(e as Error).message}`, path: '' }] }
  }
  parentPort!.postMessage(out)
})
