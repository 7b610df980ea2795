import assert from 'node:assert/strict'

/**
 * What would betray a private key in some output: each line of its PEM body, and overlapping
 * pieces of the base64 of the whole PEM (the form a Secret's `data` and a secret store's base64
 * value hold). The armor lines, the same for every key, are left out.
 */
export function keyNeedles(keyPem: string): string[] {
  const body = keyPem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))
  const b64 = Buffer.from(keyPem).toString('base64')
  const pieces: string[] = []
  for (let i = 48; i + 24 <= b64.length - 48; i += 12) pieces.push(b64.slice(i, i + 24))
  return [...body, ...pieces]
}

/** Fails, naming the output and the piece found, if any needle occurs in `text`. */
export function assertNoKeyMaterial(label: string, text: string, needles: readonly string[]): void {
  const found = needles.find((n) => text.includes(n))
  assert.equal(found, undefined, `${label} shows private key material (${found})`)
}

/** The positive control: the needles are found where a key is meant to be, so their absence elsewhere means something. */
export function assertHasKeyMaterial(label: string, text: string, needles: readonly string[]): void {
  assert.ok(needles.some((n) => text.includes(n)), `${label} should hold the key`)
}
