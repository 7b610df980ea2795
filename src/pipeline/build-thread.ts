import { Worker } from 'node:worker_threads'
import { ConfigBuilder, type BuildRequest, type Built } from './config-builder.ts'

/** Where a reload's CPU-bound half runs. */
export interface Builder {
  build(request: BuildRequest): Promise<Built>
  close(): Promise<void>
}

/** In this thread: for one-shot commands and tests, where nothing is served meanwhile. */
export class InlineBuilder implements Builder {
  readonly #builder = new ConfigBuilder()

  async build(request: BuildRequest): Promise<Built> {
    return this.#builder.build(request)
  }

  async close(): Promise<void> {}
}

const ENTRY = new URL('./build-thread-main.ts', import.meta.url)

/**
 * In a worker thread, so that the event loop that serves traffic and the admin API keeps turning
 * while a large configuration is parsed, validated and translated (seconds at 10,000 routes before
 * the LoadCache, tens of milliseconds after). Only the result crosses back — the IR and statuses,
 * structured-cloned — and the compile step stays with the caller (its plan holds TLS contexts and
 * sockets cannot cross). The thread is started on the first build and keeps its ConfigBuilder
 * (object memory, load cache) between builds; if it dies, the build in flight is rejected and the
 * next build starts a new one, which starts with no memory (generations count from 1 again).
 */
export class ThreadBuilder implements Builder {
  #worker: Worker | null = null
  #pending: { readonly resolve: (b: Built) => void } | null = null

  build(request: BuildRequest): Promise<Built> {
    if (this.#pending) return Promise.reject(new Error('one build at a time'))
    const worker = (this.#worker ??= this.#start())
    worker.ref()
    return new Promise<Built>((resolve) => {
      this.#pending = { resolve }
      worker.postMessage(request)
    })
  }

  #start(): Worker {
    const worker = new Worker(ENTRY)
    worker.on('message', (built: Built) => this.#settle(built))
    const died = (why: string) => {
      if (this.#worker === worker) this.#worker = null
      this.#settle({ kind: 'rejected', errors: [{ code: 'PIPELINE_REJECTED', severity: 'error', message: `the configuration builder stopped (${why}); the last good configuration stays live`, path: '' }] })
    }
    worker.on('error', (e) => died(e.message))
    worker.on('exit', (code) => died(`exit code ${code}`))
    return worker
  }

  #settle(built: Built): void {
    const p = this.#pending
    if (!p) return
    this.#pending = null
    // Idle, the thread must not keep the process alive on its own.
    this.#worker?.unref()
    p.resolve(built)
  }

  async close(): Promise<void> {
    const w = this.#worker
    this.#worker = null
    if (w) await w.terminate()
  }
}
