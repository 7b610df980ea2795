import type { Snapshot } from './snapshot.ts'

export const REDACTED = '[redacted]'

/**
 * The snapshot as plain data safe to print, log or serve on `/config`: private keys become
 * `[redacted]` (Envoy Gateway's Printable). Certificates (public) stay.
 */
export function printable(snapshot: Snapshot): Snapshot {
  return JSON.parse(JSON.stringify(snapshot), (key, value: unknown) => (key === 'keyPem' && typeof value === 'string' ? REDACTED : value)) as Snapshot
}
