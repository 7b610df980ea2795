import { SwitchyardError, type Diagnostic, type SourcePos } from '../diag/index.ts'
import { didYouMean, parseYamlDocuments, type YamlDoc } from '../util/index.ts'

/** A parameter value given on the command line (`-p`), before it meets its declaration. */
export interface ParameterValue {
  readonly value: unknown
  /** From `-p name=value`: text, read as the declared type wants (8080 for an int). */
  readonly text: boolean
  /** How the user gave it, for messages: `-p port=8080`, `params.json`. */
  readonly origin: string
  /** Where a parameters file holds it. */
  readonly source?: SourcePos
}

export type ParameterValues = ReadonlyMap<string, ParameterValue>

/** A parameters file, with what is wrong in it (its text is kept for the caret excerpts). */
export interface ParameterFile {
  readonly file: string
  readonly text: string
  readonly diagnostics: readonly Diagnostic[]
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * Reads `-p` arguments as `rad deploy` takes them: `name=value`, `name=@file.json` (the file holds
 * the value as JSON) and `@file.json` (an ARM deployment parameters file,
 * `{"parameters": {"name": {"value": …}}}`, or a plain object of names and values). Later
 * arguments win. `readText` reads a file or throws the operational error. A malformed argument is
 * a usage error (thrown); problems inside a file are diagnostics.
 */
export function parseParameterArgs(args: readonly string[], readText: (path: string) => string): { values: Map<string, ParameterValue>; files: ParameterFile[] } {
  const values = new Map<string, ParameterValue>()
  const files: ParameterFile[] = []
  for (const arg of args) {
    /** Reads a file named by an argument; it joins the inputs, for its diagnostics' excerpts. */
    const open = (file: string) => {
      const text = readText(file)
      const diagnostics: Diagnostic[] = []
      files.push({ file, text, diagnostics })
      return { doc: singleDocument(text, file, diagnostics), diagnostics }
    }
    if (arg.startsWith('@')) {
      const { doc, diagnostics } = open(arg.slice(1))
      if (doc) readParametersFile(doc, arg.slice(1), values, diagnostics)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(0, eq)
    if (eq < 1 || !NAME.test(name)) throw new SwitchyardError('CLI_USAGE', `-p ${arg}: give name=value, name=@file.json or @file.json`)
    const raw = arg.slice(eq + 1)
    if (raw.startsWith('@')) {
      const { doc, diagnostics } = open(raw.slice(1))
      if (doc && integersOnly(doc, [], diagnostics)) values.set(name, { value: doc.value, text: false, origin: `-p ${arg}` })
    } else {
      values.set(name, { value: raw, text: true, origin: `-p ${arg}` })
    }
  }
  return { values, files }
}

function singleDocument(text: string, file: string, diagnostics: Diagnostic[]): YamlDoc | undefined {
  const parsed = parseYamlDocuments(text, file)
  diagnostics.push(...parsed.diagnostics)
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return undefined
  if (parsed.docs.length !== 1) {
    diagnostics.push({ code: 'BICEP_PARAMETERS_FILE', severity: 'error', message: `${file} should hold one JSON value, not ${parsed.docs.length}`, path: '', source: { file, line: 1, col: 1 } })
    return undefined
  }
  return parsed.docs[0]
}

function readParametersFile(doc: YamlDoc, file: string, values: Map<string, ParameterValue>, diagnostics: Diagnostic[]): void {
  const v = doc.value
  const report = (message: string, path: (string | number)[], part: 'key' | 'value' = 'value') =>
    diagnostics.push({ code: 'BICEP_PARAMETERS_FILE', severity: 'error', message, path: path.join('.'), source: doc.locate(path, part) })
  if (!isObj(v)) {
    report('a parameters file holds an object: {"parameters": {"name": {"value": …}}} (ARM) or {"name": value}', [])
    return
  }
  // The ARM deployment parameters file format (learn.microsoft.com, "Create parameters files").
  const arm = isObj(v.parameters) && (typeof v.$schema === 'string' || 'contentVersion' in v || Object.values(v.parameters).every((p) => isObj(p) && ('value' in p || 'reference' in p)))
  const entries = arm ? Object.entries(v.parameters as Record<string, unknown>) : Object.entries(v)
  for (const [name, entry] of entries) {
    const at = arm ? ['parameters', name] : [name]
    if (!NAME.test(name)) {
      report(`"${name}" is not a parameter name`, at, 'key')
      continue
    }
    if (arm && !(isObj(entry) && 'value' in entry)) {
      report(isObj(entry) && 'reference' in entry ? 'Key Vault references are not supported yet; give the value' : 'an ARM parameters file gives each parameter as {"value": …}', at)
      continue
    }
    const path = arm ? [...at, 'value'] : at
    const value = arm ? (entry as Record<string, unknown>).value : entry
    if (integersOnly({ value, locate: (p, part) => doc.locate([...path, ...p], part) }, [], diagnostics)) values.set(name, { value, text: false, origin: file, source: doc.locate(at, 'key') })
  }
}

/** Bicep has no floating-point numbers; a 1.5 in a parameters file is refused where it is written. */
function integersOnly(doc: YamlDoc, path: (string | number)[], diagnostics: Diagnostic[], value: unknown = doc.value): boolean {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    diagnostics.push({ code: 'BICEP_PARAMETERS_FILE', severity: 'error', message: `${value} is not an integer, and Bicep has only integers`, path: path.join('.'), source: doc.locate(path) })
    return false
  }
  if (Array.isArray(value)) return value.map((x, i) => integersOnly(doc, [...path, i], diagnostics, x)).every(Boolean)
  if (isObj(value)) return Object.entries(value).map(([k, x]) => integersOnly(doc, [...path, k], diagnostics, x)).every(Boolean)
  return true
}

/**
 * `-p` values no .bicep file declares: refused, as ARM refuses parameters its template does not
 * declare ("The template parameters … are not valid").
 */
export function undeclaredParameters(values: ParameterValues, declared: ReadonlySet<string>): Diagnostic[] {
  return [...values]
    .filter(([name]) => !declared.has(name))
    .map(([name, v]) => {
      const guess = didYouMean(name, declared)
      const hint = guess ? `; did you mean "${guess}"?` : declared.size ? `; the files declare: ${[...declared].join(', ')}` : '; the files declare no parameters'
      return { code: 'BICEP_PARAMETER' as const, severity: 'error' as const, message: `${v.origin}: no .bicep file declares a parameter "${name}"${hint}`, path: '', ...(v.source ? { source: v.source } : {}) }
    })
}
