/**
 * Radius resource IDs, e.g.
 * `/planes/radius/local/resourceGroups/default/providers/Radius.Compute/containers/frontend`
 * (or the Azure form `/subscriptions/…/resourceGroups/…/providers/…`).
 */
export interface ResourceId {
  readonly type: string
  readonly name: string
}

const ID_PATTERN = /^\/(?:planes\/[^/]+\/[^/]+|subscriptions\/[^/]+)\/resource[Gg]roups\/[^/]+\/providers\/([^/]+\/[^/]+)\/([^/]+)$/

/** Parses a resource ID, or returns undefined when the string is not one. */
export function parseResourceId(s: string): ResourceId | undefined {
  const m = ID_PATTERN.exec(s)
  return m ? { type: m[1]!, name: m[2]! } : undefined
}

/** The ID Radius would give a resource in the `default` group of the local plane. */
export function resourceId(type: string, name: string): string {
  return `/planes/radius/local/resourceGroups/default/providers/${type}/${name}`
}

/** A reference is an ID when it starts with `/`; otherwise it is a plain resource name. */
export function looksLikeId(s: string): boolean {
  return s.startsWith('/')
}
