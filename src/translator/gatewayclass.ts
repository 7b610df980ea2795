import { ConditionType, GatewayClassReason, type GatewayClass, type GatewayClassStatus } from '../k8s/index.ts'
import type { Context } from './context.ts'
import { SUPPORTED_FEATURES } from './features.ts'
import { cond, stamp, type PendingCondition } from './status/index.ts'

/**
 * GatewayClass status (gateway-api.md §8). Only classes whose controllerName is ours are managed;
 * the others belong to another controller and get no status. A parametersRef must name an existing
 * core ConfigMap (the only parameters kind we read), else Accepted=False/InvalidParameters.
 */
export function gatewayClassStatus(ctx: Context, gc: GatewayClass): GatewayClassStatus {
  const conditions: PendingCondition[] = []
  const ref = gc.spec.parametersRef
  let accepted = cond(ConditionType.Accepted, true, GatewayClassReason.Accepted, 'Accepted by ' + ctx.controllerName)
  if (ref) {
    const ok = ref.group === '' && ref.kind === 'ConfigMap' && ref.namespace !== undefined && ctx.configMaps.has(`${ref.namespace}/${ref.name}`)
    if (!ok) accepted = cond(ConditionType.Accepted, false, GatewayClassReason.InvalidParameters, `parametersRef ${ref.group || 'core'}/${ref.kind} ${ref.namespace ?? ''}/${ref.name} is not an existing ConfigMap`)
  }
  conditions.push(accepted)
  conditions.push(cond(ConditionType.SupportedVersion, true, GatewayClassReason.SupportedVersion, 'Gateway API CRDs at a supported version'))
  return {
    conditions: stamp(conditions, gc.metadata.generation, ctx.now),
    supportedFeatures: SUPPORTED_FEATURES.map((name) => ({ name })),
  }
}

export function isAccepted(status: GatewayClassStatus): boolean {
  return status.conditions.some((c) => c.type === ConditionType.Accepted && c.status === 'True')
}
