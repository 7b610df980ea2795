import type { Diagnostic } from '../../diag/index.ts'
import type { App } from '../../model/index.ts'
import { planLayer4, portProblems } from '../layer4.ts'
import { logicalId, ref } from './names.ts'
import type { Targets } from './targets.ts'

export interface NlbResources {
  readonly resources: Record<string, unknown>
  readonly listenerIds: readonly string[]
  readonly terminatesTls: boolean
  readonly diagnostics: readonly Diagnostic[]
}

/**
 * TCP, UDP and TLS routes → Network Load Balancer listeners (platforms.md §1.1): one listener per
 * port with a forward default action (an NLB listener has no conditions). TLS passthrough is a TCP
 * listener, which hands the encrypted bytes on as they are; a TLS listener in Terminate mode is an
 * NLB TLS listener with the certificate, forwarding plain TCP.
 */
export function renderNlb(app: App, targets: Targets): NlbResources {
  const resources: Record<string, unknown> = {}
  const diagnostics: Diagnostic[] = []
  const listenerIds: string[] = []
  let terminatesTls = false
  for (const port of planLayer4(app)) {
    const checked = portProblems(port, app, 'ecs', 'an NLB listener')
    diagnostics.push(...checked.diagnostics)
    const route = checked.route
    if (!route) continue
    const terminate = route.routeKind === 'TLS' && port.listener.tlsMode === 'Terminate'
    terminatesTls ||= terminate
    const protocol = route.routeKind === 'UDP' ? 'UDP' : terminate ? 'TLS' : 'TCP'
    const id = logicalId(protocol, 'listener', port.listener.port)
    listenerIds.push(id)
    const tg = targets.use(route.rules[0]!.destination, 'nlb', route.routeKind === 'UDP' ? 'UDP' : 'TCP', id)
    resources[id] = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: ref('NetworkLoadBalancer'),
        Protocol: protocol,
        Port: port.listener.port,
        ...(terminate ? { Certificates: [{ CertificateArn: ref('CertificateArn') }] } : {}),
        DefaultActions: [{ Type: 'forward', TargetGroupArn: ref(tg) }],
      },
    }
  }
  if (listenerIds.length) {
    resources.NetworkLoadBalancer = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network', Scheme: 'internet-facing', Subnets: ref('LoadBalancerSubnetIds') } }
  }
  return { resources, listenerIds, terminatesTls, diagnostics }
}
