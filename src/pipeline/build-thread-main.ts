/**
 * The worker thread of ThreadBuilder: one ConfigBuilder, one build per message, the result (or the
 * rejection a thrown error becomes) posted back.
 */
import { parentPort } from 'node:worker_threads'
import { ConfigBuilder, type BuildRequest, type Built } from './config-builder.ts'

const builder = new ConfigBuilder()
parentPort!.on('message', (request: BuildRequest) => {
  let built: Built
  try {
    built = builder.build(request)
  } catch (e) {
    built = { kind: 'rejected', errors: [{ code: 'PIPELINE_REJECTED', severity: 'error', message: `the configuration could not be built: ${(e as Error).message}`, path: '' }] }
  }
  parentPort!.postMessage(built)
})
