/** One document's text within a YAML stream, and the 1-based line of the file it starts at. */
export interface YamlPiece {
  readonly text: string
  readonly line: number
}

/**
 * Cuts a multi-document YAML stream at its document markers, so that each document can be parsed
 * (and its result remembered) on its own. Sound because YAML 1.2 forbids `---` and `...` followed by
 * a space or a line end at the start of a line inside any content (§9.1.4 "c-forbidden": they end a
 * block or flow scalar), so such a line always starts or ends a document; anchors and aliases do not
 * cross documents (§9.2). Directives (`%YAML`, `%TAG`, §6.8) apply to the document that follows and
 * would be cut off from it: a stream with a line that starts with `%` comes back whole.
 */
export function splitYamlDocuments(text: string): YamlPiece[] {
  const pieces: YamlPiece[] = []
  let start = 0
  let startLine = 1
  let line = 1
  let at = 0
  while (at < text.length) {
    const next = text.indexOf('\n', at)
    const end = next === -1 ? text.length : next + 1
    const c = text.charCodeAt(at)
    if (c === 37 /* % */) return [{ text, line: 1 }]
    if ((c === 45 || c === 46) && isMarker(text, at, c)) {
      if (c === 45 /* --- starts a document, on its own line or before content */ && at > start) {
        pieces.push({ text: text.slice(start, at), line: startLine })
        start = at
        startLine = line
      } else if (c === 46 /* ... ends one */) {
        pieces.push({ text: text.slice(start, end), line: startLine })
        start = end
        startLine = line + 1
      }
    }
    at = end
    line++
  }
  if (start < text.length || pieces.length === 0) pieces.push({ text: text.slice(start), line: startLine })
  return pieces
}

/** `---` or `...` at `at`, followed by a space, a tab or the end of the line (or of the text). */
function isMarker(text: string, at: number, c: number): boolean {
  if (text.charCodeAt(at + 1) !== c || text.charCodeAt(at + 2) !== c) return false
  const after = text.charCodeAt(at + 3)
  return Number.isNaN(after) || after === 32 || after === 9 || after === 10 || after === 13
}
