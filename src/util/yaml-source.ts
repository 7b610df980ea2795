import { isCollection, isMap, isScalar, isSeq, parseAllDocuments, visit, type Node } from 'yaml'
import { redactKeyMaterial, type Diagnostic, type SourcePos } from '../diag/index.ts'

/** One parsed YAML document: its plain value, and a way back from a field path to the source. */
export interface YamlDoc {
  readonly value: unknown
  /**
   * The position of the node at `path` (its key when `part` is 'key'). When the path goes past what
   * the document holds (a missing field), the deepest existing node is returned, so a diagnostic
   * about a missing field points at the object that lacks it.
   */
  locate(path: readonly (string | number)[], part?: 'key' | 'value'): SourcePos
}

export interface ParsedYaml {
  readonly docs: readonly YamlDoc[]
  readonly diagnostics: readonly Diagnostic[]
}

/** Aliases expand; this bounds how far, so a "billion laughs" file cannot exhaust memory. */
const MAX_ALIAS_COUNT = 1000

/**
 * Parses a YAML (or JSON, which YAML 1.2 reads) multi-document stream. Syntax errors become
 * diagnostics with positions; documents with errors are left out, the others kept, so one broken
 * document does not hide problems in the rest. Empty documents are skipped. `startLine` is the
 * line of the file `text` starts at, when it is one piece of a larger file (`splitYamlDocuments`).
 */
export function parseYamlDocuments(text: string, file: string, startLine = 1): ParsedYaml {
  const diagnostics: Diagnostic[] = []
  const docs: YamlDoc[] = []
  const lineOf = lineIndex(text)
  const pos = (offset: number, end?: number): SourcePos => {
    const { line, col } = lineOf(offset)
    return { file, line: line + startLine - 1, col, length: Math.max(1, (end ?? offset + 1) - offset) }
  }
  // logLevel 'error': the library would print a warning about collection keys straight to stderr;
  // the loop below reports them as diagnostics at the key instead.
  for (const doc of parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, logLevel: 'error' })) {
    for (const e of doc.errors) {
      diagnostics.push({ code: 'INPUT_YAML_SYNTAX', severity: 'error', message: firstLine(e.message), path: '', source: pos(e.pos[0], e.pos[1]) })
    }
    for (const w of doc.warnings) {
      diagnostics.push({ code: 'INPUT_YAML_WARNING', severity: 'warning', message: firstLine(w.message), path: '', source: pos(w.pos[0], w.pos[1]) })
    }
    if (doc.errors.length > 0 || doc.contents === null) continue
    visit(doc, {
      Pair(_, pair) {
        const key = pair.key as Node | null
        if (isCollection(key)) {
          const range = key.range ?? [0, 1]
          diagnostics.push({ code: 'INPUT_YAML_WARNING', severity: 'warning', message: 'a key that is a list or map is read as its JSON text; write a plain key', path: '', source: pos(range[0], range[0] + 1) })
        }
      },
    })
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
    } catch (e) {
      diagnostics.push({ code: 'INPUT_YAML_SYNTAX', severity: 'error', message: (e as Error).message, path: '', source: pos(doc.contents.range?.[0] ?? 0) })
      continue
    }
    const root = doc.contents as Node
    docs.push({
      value,
      locate(path, part = 'value') {
        const node = find(root, path, part)
        const range = node.range ?? [0, 1]
        // Underline a scalar's text; for a collection, mark only where it starts.
        const end = isScalar(node) ? Math.min(range[1], lineEnd(text, range[0])) : range[0] + 1
        return pos(range[0], end)
      },
    })
  }
  return { docs, diagnostics }
}

function find(root: Node, path: readonly (string | number)[], part: 'key' | 'value'): Node {
  let node: Node = root
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg))
      if (!pair) return node
      if (last && part === 'key' && pair.key) return pair.key as Node
      if (!pair.value) return (pair.key as Node | null) ?? node
      node = pair.value as Node
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg] as Node
    } else {
      return node
    }
  }
  return node
}

/**
 * Offset → 1-based line and column, from the text itself. The parser's own LineCounter counts only
 * the line breaks its lexer visits, and error recovery can swallow several lines into one token,
 * so positions after such a token landed on the wrong line. CR LF, CR and LF all end a line, as in
 * YAML 1.2 §5.4 and in editors.
 */
function lineIndex(text: string): (offset: number) => { line: number; col: number } {
  const starts = [0]
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1)
  }
  return (offset) => {
    const at = Math.max(0, Math.min(offset, text.length))
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= at) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, col: at - starts[lo]! + 1 }
  }
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset)
  return nl === -1 ? text.length : nl
}

/** The parser's message, first line only; it may quote the token it tripped on, which may be a key. */
function firstLine(message: string): string {
  return redactKeyMaterial(message.split('\n')[0] ?? message)
}
