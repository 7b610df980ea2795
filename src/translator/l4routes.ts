import type * as ir from '../ir/index.ts'
import type { TCPRoute, TLSRoute, UDPRoute } from '../k8s/index.ts'
import { resolveBackend } from './backends.ts'
import type { Context } from './context.ts'
import { Problems } from './status/index.ts'

export interface LoweredL4Route {
  readonly route: TLSRoute | TCPRoute | UDPRoute
  /** `<kind>/<ns>/<name>/rule/0`. */
  readonly name: string
  readonly backends: readonly ir.L4Backend[]
  readonly refs: Problems
}

/**
 * Lowers a TLSRoute, TCPRoute or UDPRoute (gateway-api.md §6): its rule's backends, weighted per
 * connection (or UDP flow). Invalid backends keep their weight as `invalid` shares, which the data
 * plane rejects, and set ResolvedRefs=False; the route stays Accepted. The v1 CRDs allow one rule.
 */
export function lowerL4Route(ctx: Context, route: TLSRoute | TCPRoute | UDPRoute): LoweredL4Route {
  const refs = new Problems()
  const name = `${route.kind.toLowerCase()}/${route.metadata.namespace}/${route.metadata.name}/rule/0`
  const backends: ir.L4Backend[] = []
  const rule = route.spec.rules[0]
  for (const [k, ref] of (rule?.backendRefs ?? []).entries()) {
    const bname = `${name}/backend/${k}`
    const r = resolveBackend(ctx, route.kind, route.metadata.namespace, ref)
    if (r.ok) backends.push({ kind: 'service', name: bname, weight: ref.weight, service: r.service, endpoints: r.endpoints })
    else {
      refs.add(r.reason, r.message)
      backends.push({ kind: 'invalid', name: bname, weight: ref.weight, reason: r.reason })
    }
  }
  return { route, name, backends, refs }
}
