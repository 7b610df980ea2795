import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { statSync } from 'node:fs'
import { hasErrors, type Diagnostic } from '../diag/index.ts'
import type * as ir from '../ir/index.ts'
import type { InputText, ObjectStatus } from '../translator/index.ts'
import { InlineBuilder, ThreadBuilder, type Builder } from './build-thread.ts'
import { certificateProblems } from './config-builder.ts'
import { readFiles, type InputFile } from './read-files.ts'

/** A configuration that went live. */
export interface Published {
  /** +1 each time a new configuration goes live (DESIGN.md §5 `/status`). */
  readonly generation: number
  readonly ir: ir.Snapshot
  readonly statuses: readonly ObjectStatus[]
  /** Warnings of the translation that produced it. */
  readonly diagnostics: readonly Diagnostic[]
}

/** Where published configurations go (the data plane); a throw rejects the reload (e.g. a bind failure). */
export type Sink = (config: Published) => Promise<void>

/**
 * Turns the files read into Gateway API YAML before loading: how `switchyard run` renders an app
 * (and its local containers) into the objects the translator reads. Errors among the diagnostics,
 * or a throw, reject the reload. Without one, the files are Gateway API YAML already.
 */
export type Prepare = (inputs: readonly InputFile[]) => Promise<{ readonly inputs: readonly InputText[]; readonly diagnostics: readonly Diagnostic[] }>

export interface PipelineOptions {
  readonly paths: readonly string[]
  readonly controllerName?: string
  readonly prepare?: Prepare
  /** Quiet time after the last file event before reloading. @default 50 */
  readonly debounceMs?: number
  /** Reload at the latest this long after the first event of a burst. @default 500 */
  readonly maxDelayMs?: number
  /** RFC 3339 clock (injectable for tests). */
  readonly now?: () => string
  /** Called after every reload attempt, with what happened. */
  readonly onReload?: (outcome: ReloadOutcome) => void
  /**
   * Load, translate and validate in a worker thread, so the caller's event loop (the data plane,
   * the admin API) keeps serving during a reload of a large configuration. @default false
   */
  readonly offThread?: boolean
}

export type ReloadOutcome = { readonly kind: 'published'; readonly generation: number } | { readonly kind: 'unchanged' } | { readonly kind: 'rejected'; readonly errors: readonly Diagnostic[] }

/**
 * Files → live configuration: read → prepare → [load → remember metadata → translate →
 * ir.validate, in a ConfigBuilder; on a worker thread with `offThread`] → skip if unchanged →
 * publish to the sink. Keeps the last good configuration and the errors of the last
 * rejected reload (aesthetics §9.7). Watching tolerates editors' atomic saves by watching each
 * file's directory, not the file (a rename replaces the inode a file watch would follow).
 */
export class Pipeline {
  #current: Published | null = null
  #errors: readonly Diagnostic[] = []
  #lastKey = ''
  readonly #builder: Builder
  readonly #opts: PipelineOptions
  readonly #sink: Sink
  readonly #watchers: FSWatcher[] = []
  #timer: NodeJS.Timeout | null = null
  #firstEventAt = 0
  #running: Promise<void> = Promise.resolve()
  #again = false
  #busy = false

  constructor(options: PipelineOptions, sink: Sink) {
    this.#opts = options
    this.#sink = sink
    this.#builder = options.offThread ? new ThreadBuilder() : new InlineBuilder()
  }

  /** The live configuration, or null before the first one. */
  get current(): Published | null {
    return this.#current
  }

  /** Diagnostics of the last rejected reload; empty once a reload succeeds. */
  get errors(): readonly Diagnostic[] {
    return this.#errors
  }

  /** Reads, translates and publishes now (coalescing calls made while one runs). */
  reload(): Promise<void> {
    if (this.#busy) {
      this.#again = true
      return this.#running
    }
    this.#busy = true
    this.#running = (async () => {
      do {
        this.#again = false
        const outcome = await this.#reloadOnce()
        this.#opts.onReload?.(outcome)
      } while (this.#again)
      this.#busy = false
    })()
    return this.#running
  }

  async #reloadOnce(): Promise<ReloadOutcome> {
    const reject = (errors: readonly Diagnostic[]): ReloadOutcome => {
      this.#errors = errors
      return { kind: 'rejected', errors }
    }
    const read = readFiles(this.#opts.paths)
    if (read.error !== null) return reject([{ code: 'PIPELINE_REJECTED', severity: 'error', message: `cannot read the configuration: ${read.error}`, path: '' }])
    let prepared: Awaited<ReturnType<Prepare>> = { inputs: read.inputs, diagnostics: [] }
    try {
      if (this.#opts.prepare) prepared = await this.#opts.prepare(read.inputs)
    } catch (e) {
      return reject([{ code: 'PIPELINE_REJECTED', severity: 'error', message: `cannot prepare the configuration: ${(e as Error).message}`, path: '' }])
    }
    if (hasErrors(prepared.diagnostics)) return reject(prepared.diagnostics)
    const now = this.#opts.now?.() ?? new Date().toISOString()
    const built = await this.#builder.build({
      inputs: prepared.inputs.map((i): InputText => ({ file: i.file, text: i.text })),
      prepared: prepared.diagnostics,
      now,
      ...(this.#opts.controllerName ? { controllerName: this.#opts.controllerName } : {}),
      liveCertificateProblems: this.#current ? certificateProblems(this.#current.diagnostics) : null,
    })
    if (built.kind === 'rejected') return reject(built.errors)
    const { key, diagnostics } = built
    if (key === this.#lastKey && this.#current) {
      this.#errors = []
      return { kind: 'unchanged' }
    }
    // A getter, not a copy: from the worker thread the statuses are parsed only when first read.
    const config: Published = {
      generation: (this.#current?.generation ?? 0) + 1,
      ir: built.ir,
      get statuses() {
        return built.statuses
      },
      diagnostics,
    }
    try {
      await this.#sink(config)
    } catch (e) {
      return reject([{ code: 'PIPELINE_REJECTED', severity: 'error', message: `the data plane refused the configuration: ${(e as Error).message}`, path: '' }])
    }
    this.#current = config
    this.#lastKey = key
    this.#errors = []
    return { kind: 'published', generation: config.generation }
  }

  /** Starts watching the paths; file events are debounced into reloads. */
  watch(): void {
    const dirs = new Map<string, Set<string> | null>()
    for (const p of this.#opts.paths) {
      const abs = resolve(p)
      let isDir = false
      try {
        isDir = statSync(abs).isDirectory()
      } catch {}
      if (isDir) dirs.set(abs, null)
      else {
        const d = dirname(abs)
        const names = dirs.get(d)
        if (names === null) continue
        dirs.set(d, (names ?? new Set()).add(basename(abs)))
      }
    }
    for (const [dir, names] of dirs) {
      const w = watch(dir, { persistent: false }, (_event, file) => {
        if (names === null || (file !== null && names.has(String(file)))) this.#schedule()
      })
      w.on('error', () => {})
      this.#watchers.push(w)
    }
  }

  #schedule(): void {
    const debounce = this.#opts.debounceMs ?? 50
    const max = this.#opts.maxDelayMs ?? 500
    const now = Date.now()
    if (this.#timer === null) this.#firstEventAt = now
    else clearTimeout(this.#timer)
    const wait = Math.max(0, Math.min(debounce, this.#firstEventAt + max - now))
    this.#timer = setTimeout(() => {
      this.#timer = null
      void this.reload()
    }, wait)
  }

  /** Stops watching; waits for a reload in progress; ends the build thread. */
  async close(): Promise<void> {
    for (const w of this.#watchers) w.close()
    if (this.#timer) clearTimeout(this.#timer)
    await this.#running
    // Not awaited: ending the thread takes a moment, and a caller that closes the data plane next
    // (serve's shutdown) must stop accepting at once. The idle thread holds nothing open.
    void this.#builder.close()
  }
}
