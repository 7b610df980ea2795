/**
 * Whether `text[start..end)` is a valid field value (RFC 9110 §5.5): visible ASCII, obs-text, SP
 * and HTAB; no CR, LF, NUL or other controls. `text` is a latin1 decoding of the wire bytes, so
 * every character is one byte. A loop rather than a regex over a sliced value: the parsers check
 * the line in place before slicing anything, and for values this short the loop is several times
 * cheaper than a regex call.
 */
export function isFieldValue(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if ((c < 0x20 && c !== 9) || c === 0x7f) return false
  }
  return true
}
