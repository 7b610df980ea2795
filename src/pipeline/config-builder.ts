import { createHash } from 'node:crypto'
import { hasErrors, type Diagnostic } from '../diag/index.ts'
import * as ir from '../ir/index.ts'
import { LoadCache, loadObjects, translate, type InputText, type ObjectStatus } from '../translator/index.ts'
import { ObjectMemory } from './object-memory.ts'

/** What one reload asks of the builder: plain data, so it can cross to a worker thread. */
export interface BuildRequest {
  readonly inputs: readonly InputText[]
  /** Diagnostics of the prepare step (warnings; they lead the reload's diagnostics). */
  readonly prepared: readonly Diagnostic[]
  readonly now: string
  readonly controllerName?: string
  /** The live configuration's certificate problems (see `newCertificateProblems`); null before the first. */
  readonly liveCertificateProblems: readonly Diagnostic[] | null
}

/** A configuration ready to publish, or why not. `key` identifies it, ignoring the clock. */
export type Built =
  | { readonly kind: 'built'; readonly ir: ir.Snapshot; readonly statuses: readonly ObjectStatus[]; readonly diagnostics: readonly Diagnostic[]; readonly key: string }
  | Rejected

export interface Rejected {
  readonly kind: 'rejected'
  readonly errors: readonly Diagnostic[]
}

/**
 * A built configuration as JSON text too. The text is made anyway for the key, and it is the
 * cheapest way across threads: one string copy, and JSON.parse beats structured-clone
 * deserialisation on these plain trees (IR and statuses are JSON data: /config serves them so).
 */
export type BuiltWithText = Rejected | (Extract<Built, { kind: 'built' }> & { readonly irText: string; readonly statusesText: string })

/**
 * The pure, CPU-bound half of a reload: load → remember metadata → translate → ir.validate, and a
 * digest of the result to tell an unchanged configuration. It keeps what must outlive one reload —
 * creationTimestamp and generation per object (ObjectMemory) and the admitted documents
 * (LoadCache) — so one builder serves one pipeline, in-process or in a worker thread.
 */
export class ConfigBuilder {
  readonly #memory = new ObjectMemory()
  readonly #cache = new LoadCache()

  build(r: BuildRequest): BuiltWithText {
    const reject = (errors: readonly Diagnostic[]): Rejected => ({ kind: 'rejected', errors })
    const loaded = loadObjects(r.inputs, { now: r.now, cache: this.#cache })
    if (hasErrors(loaded.diagnostics)) return reject([...r.prepared, ...loaded.diagnostics])
    const objects = this.#memory.remember(loaded.objects, r.now)
    const result = translate(objects, { now: r.now, ...(r.controllerName ? { controllerName: r.controllerName } : {}) })
    const diagnostics = [...r.prepared, ...loaded.diagnostics, ...result.diagnostics]
    if (hasErrors(diagnostics)) return reject(diagnostics)
    const broken = newCertificateProblems(r.liveCertificateProblems, diagnostics)
    if (broken.length > 0) return reject(broken)
    const irErrors = ir.validate(result.ir)
    if (irErrors.length > 0) return reject(irErrors.map((e) => ({ code: 'PIPELINE_IR_INVALID', severity: 'error', message: `${e.code}: ${e.message}`, path: e.name })))
    // Unchanged (ignoring the clock) means nothing to publish (aesthetics §9.7 step 3). A digest,
    // not the text: at 10,000 routes the text is megabytes.
    const irText = JSON.stringify(result.ir)
    const statusesText = JSON.stringify(result.statuses)
    const withoutClock = (t: string) => (t.includes(r.now) ? t.replaceAll(r.now, '') : t)
    const key = createHash('sha256').update(withoutClock(irText)).update('\n').update(withoutClock(statusesText)).digest('hex')
    return { kind: 'built', ir: result.ir, statuses: result.statuses, diagnostics, key, irText, statusesText }
  }
}

/** The live configuration's certificate problems, the input `newCertificateProblems` compares with. */
export function certificateProblems(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.code === 'TRANSLATE_INVALID_CERTIFICATE')
}

/**
 * A certificate Secret that turns unusable (a key that does not match, data that is not PEM) is
 * bad configuration, not a change to follow: in a cluster the listener would stop serving
 * (InvalidCertificateRef), here the reload is refused and the listener keeps its last good
 * certificate. Only problems the live configuration does not already have count, so a first
 * configuration with a broken certificate still serves the rest, and later reloads are not held
 * hostage by it. A missing Secret or a revoked ReferenceGrant is a change, and is followed.
 */
function newCertificateProblems(live: readonly Diagnostic[] | null, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  if (!live) return []
  // The message names the Secret and the listener; the path would change if listeners were reordered.
  const key = (d: Diagnostic) => `${d.resource}|${d.message}`
  const known = new Set(live.map(key))
  return certificateProblems(diagnostics)
    .filter((d) => !known.has(key(d)))
    .map((d) => ({ ...d, severity: 'error', message: `${d.message}; the reload is refused and the last good configuration stays live` }))
}
