import type { NotAttached, StatusObject } from './types.ts'

interface ParentStatus {
  readonly parentRef?: { readonly name?: string; readonly namespace?: string; readonly sectionName?: string; readonly port?: number }
  readonly conditions?: readonly { readonly type?: string; readonly status?: string; readonly reason?: string; readonly message?: string }[]
}

const ROUTE_KINDS = new Set(['HTTPRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'])

/** `<ns>/<name>` → creationTimestamp, per Route kind (`HTTPRoute:<ns>/<name>`). */
export function creationTimes(objects: readonly StatusObject[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const o of objects) if (ROUTE_KINDS.has(o.kind) && o.metadata.creationTimestamp) out.set(`${o.kind}:${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o.metadata.creationTimestamp)
  return out
}

/**
 * Routes that name one of `listeners` (`<gwNs>/<gwName>/<listener>`) as a parent but are not
 * Accepted there, with the reason from their status (gateway-api.md §5.4, §8): the usual answer to
 * "why does my route not get this traffic?".
 */
export function notAttachedTo(objects: readonly StatusObject[], listeners: readonly string[]): NotAttached[] {
  const out: NotAttached[] = []
  for (const o of objects) {
    if (!ROUTE_KINDS.has(o.kind)) continue
    const ns = o.metadata.namespace ?? 'default'
    const parents = ((o.status as { parents?: ParentStatus[] } | undefined)?.parents ?? [])
    for (const p of parents) {
      const ref = p.parentRef
      if (!ref?.name) continue
      const gw = `${ref.namespace ?? ns}/${ref.name}`
      const hit = listeners.some((l) => l.startsWith(`${gw}/`) && (ref.sectionName === undefined || l === `${gw}/${ref.sectionName}`))
      const accepted = p.conditions?.find((c) => c.type === 'Accepted')
      if (!hit || !accepted || accepted.status === 'True') continue
      const parent = `${gw}${ref.sectionName ? `/${ref.sectionName}` : ''}${ref.port ? `:${ref.port}` : ''}`
      out.push({ route: `${o.kind} ${ns}/${o.metadata.name}`, parent, reason: accepted.reason ?? '', message: accepted.message ?? '' })
    }
  }
  return out
}
