/**
 * Private keys must never reach a terminal, a log or an API answer, and diagnostics are where
 * they would slip out: a source excerpt under an error about a secret shows the line that holds
 * the key, and a YAML syntax error quotes the token it tripped on. This blanks what looks like key
 * material: a run of 40 or more base64 characters that mixes upper- and lower-case letters and
 * either has a digit or changes case as often as random bytes do (a 30-byte stretch of DER or PEM
 * body; hex digests, names, paths and words do not qualify).
 */
export const KEY_MATERIAL_REDACTED = '[redacted]'

// Not starting right after a backslash, so the `n` of an escaped `\n` in a JSON string stays.
const RUN = /(?<!\\)[A-Za-z0-9+/]{40,}={0,2}/g

function looksLikeKey(run: string): boolean {
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && (/[0-9]/.test(run) || caseChanges(run) * 4 >= run.length)
}

/**
 * Neighbouring letters of different case. Base64 of random bytes changes case at about a third
 * of its characters, and one PEM line in tens of thousands has no digit at all; camelCase names
 * and paths change case only where a word starts.
 */
function caseChanges(run: string): number {
  let changes = 0
  for (let i = 1; i < run.length; i++) {
    const a = run.charCodeAt(i - 1)
    const b = run.charCodeAt(i)
    const upperA = a >= 65 && a <= 90
    const upperB = b >= 65 && b <= 90
    const letterA = upperA || (a >= 97 && a <= 122)
    const letterB = upperB || (b >= 97 && b <= 122)
    if (letterA && letterB && upperA !== upperB) changes++
  }
  return changes
}

/** `text` with every key-like run replaced by `[redacted]`. */
export function redactKeyMaterial(text: string): string {
  return text.replace(RUN, (run) => (looksLikeKey(run) ? KEY_MATERIAL_REDACTED : run))
}

/**
 * The same for a line shown with a caret under it: also maps a column of the original line to
 * its place in the redacted one (a column inside a redacted run maps to where `[redacted]` starts).
 */
export function redactLineKeepingColumns(line: string): { readonly text: string; readonly column: (original: number) => number } {
  const runs: { start: number; end: number; shift: number }[] = []
  let shift = 0
  const text = line.replace(RUN, (run, start: number) => {
    if (!looksLikeKey(run)) return run
    runs.push({ start, end: start + run.length, shift })
    shift += KEY_MATERIAL_REDACTED.length - run.length
    return KEY_MATERIAL_REDACTED
  })
  const column = (i: number): number => {
    let delta = 0
    for (const r of runs) {
      if (i < r.start) break
      if (i < r.end) return r.start + r.shift
      delta = r.shift + KEY_MATERIAL_REDACTED.length - (r.end - r.start)
    }
    return i + delta
  }
  return { text, column }
}
