import { Worker } from 'node:worker_threads'
import type { Diagnostic } from '../diag/index.ts'
import type * as ir from '../ir/index.ts'
import type { ObjectStatus } from '../translator/index.ts'
import { ConfigBuilder, type BuildRequest, type Built, type Rejected } from './config-builder.ts'

/** What the worker thread posts back: a rejection, or the configuration as JSON text. */
export type Wire = Rejected | { readonly kind: 'text'; readonly irText: string; readonly statusesText: string; readonly diagnostics: readonly Diagnostic[]; readonly key: string }

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

// The sibling module with this module's own extension: `.ts` in a checkout, `.js` in dist/ (the
// build rewrites import specifiers, not URLs).
const ENTRY = new URL(`./build-thread-main${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url)

/**
 * In a worker thread, so that the event loop that serves traffic and the admin API keeps turning
 * while a large configuration is parsed, validated and translated (seconds for a first load of
 * 10,000 routes; a few hundred milliseconds for a reload that changes a few of them). Only the result crosses back, as JSON text; the IR is
 * parsed here at once (compile needs it), the statuses only when first read (`/status`, explain),
 * so a reload costs this thread little more than the compile step, which stays with the caller
 * (its plan holds TLS contexts). The thread is started on the first build and keeps its ConfigBuilder
 * (object memory, load cache) between builds; if it dies, the build in flight is rejected and the
 * next build starts a new one, which starts with no memory (generations count from 1 again).
 */
export class ThreadBuilder implements Builder {
  #worker: Worker | null = null
  #pending: { readonly resolve: (b: Wire) => void } | null = null
  readonly #entry: URL

  /** `entry`: the thread's module (tests give one that fails). */
  constructor(entry: URL = ENTRY) {
    this.#entry = entry
  }

  build(request: BuildRequest): Promise<Built> {
    if (this.#pending) return Promise.reject(new Error('one build at a time'))
    const worker = (this.#worker ??= this.#start())
    worker.ref()
    return new Promise<Wire>((resolve, reject) => {
      this.#pending = { resolve }
      try {
        worker.postMessage(request)
      } catch (e) {
        // Nothing was sent (a value that cannot be cloned): no answer will come.
        this.#pending = null
        worker.unref()
        reject(e as Error)
      }
    }).then(fromWire)
  }

  #start(): Worker {
    const worker = new Worker(this.#entry)
    worker.on('message', (wire: Wire) => this.#settle(wire))
    const died = (why: string) => {
      if (this.#worker === worker) this.#worker = null
      this.#settle({ kind: 'rejected', errors: [{ code: 'PIPELINE_REJECTED', severity: 'error', message: `the configuration builder stopped (${why}); the last good configuration stays live`, path: '' }] })
    }
    worker.on('error', (e) => died(e.message))
    worker.on('exit', (code) => died(`exit code ${code}`))
    return worker
  }

  #settle(built: Wire): void {
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
    if (w) await w.terminate().catch(() => 0)
  }
}

/** The IR parsed now; the statuses (the larger half at 10,000 routes) when first read. */
function fromWire(w: Wire): Built {
  if (w.kind === 'rejected') return w
  let statuses: readonly ObjectStatus[] | null = null
  const text = w.statusesText
  return {
    kind: 'built',
    ir: JSON.parse(w.irText) as ir.Snapshot,
    get statuses() {
      return (statuses ??= JSON.parse(text) as ObjectStatus[])
    },
    diagnostics: w.diagnostics,
    key: w.key,
  }
}
