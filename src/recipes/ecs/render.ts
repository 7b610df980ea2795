import type { Diagnostic } from '../../diag/index.ts'
import type { App } from '../../model/index.ts'
import { withLegacyRoutes } from '../legacy-routes.ts'
import { planHttp } from '../precedence.ts'
import type { DocumentRecipe, DocumentRenderResult } from '../recipe.ts'
import { resourceProblem } from '../route-diagnostics.ts'
import { caseWidening, certificateParameter, renderAlb } from './alb.ts'
import { logicalId, ref } from './names.ts'
import { renderNlb } from './nlb.ts'
import { Targets, type TargetUse } from './targets.ts'

/** "Registering multiple target groups with a service": at most 5 per ECS service (platforms.md §1.2). */
const MAX_TARGET_GROUPS_PER_SERVICE = 5

/**
 * The app's routes → one CloudFormation template: an ALB for HTTP routes, an NLB for TCP, UDP and
 * TLS routes, a target group per (service, container, port, load balancer) with `TargetType: ip`
 * (Fargate's awsvpc networking requires it), and an ECS service per routed container resource,
 * wired with `LoadBalancers` and `DependsOn` the listeners and rules that use its target groups
 * (a service created before them fails: platforms.md §1.2). Task definitions, the VPC and the
 * cluster are the platform's: they come in as parameters. Legacy gateways join the same load
 * balancers, on their own listeners (docs/platforms.md).
 */
export function renderEcs(input: App): DocumentRenderResult {
  const { app, diagnostics: legacy } = withLegacyRoutes(input, 'ecs')
  const targets = new Targets()
  const plans = planHttp(app)
  const alb = renderAlb(plans, targets)
  const nlb = renderNlb(app, targets)
  const diagnostics: Diagnostic[] = [...legacy, ...alb.diagnostics, ...caseWidening(plans), ...nlb.diagnostics]

  const byService = new Map<string, TargetUse[]>()
  for (const t of [...targets.byId.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    byService.set(t.destination.resource, [...(byService.get(t.destination.resource) ?? []), t])
  }
  const resources: Record<string, unknown> = { ...alb.resources, ...nlb.resources }
  const parameters: Record<string, unknown> = {
    VpcId: { Type: 'AWS::EC2::VPC::Id' },
    LoadBalancerSubnetIds: { Type: 'List<AWS::EC2::Subnet::Id>' },
    ...(alb.listenerIds.length ? { LoadBalancerSecurityGroupId: { Type: 'AWS::EC2::SecurityGroup::Id' } } : {}),
    ...alb.parameters,
    ...(nlb.terminatesTls ? Object.fromEntries([certificateParameter({ kind: 'environment' })]) : {}),
    ClusterName: { Type: 'String' },
    TaskSubnetIds: { Type: 'List<AWS::EC2::Subnet::Id>' },
    TaskSecurityGroupId: { Type: 'AWS::EC2::SecurityGroup::Id' },
  }
  for (const t of targets.byId.values()) {
    resources[t.id] = {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      // UDP cannot be health-checked over UDP; NLB checks TCP on the traffic port (platforms.md §1.1).
      Properties: { VpcId: ref('VpcId'), TargetType: 'ip', Protocol: t.protocol, Port: t.destination.containerPort, ...(t.protocol === 'UDP' ? { HealthCheckProtocol: 'TCP' } : {}) },
    }
  }
  for (const [resource, uses] of byService) {
    const container = app.containers.find((c) => c.name === resource)!
    if (uses.length > MAX_TARGET_GROUPS_PER_SERVICE) {
      diagnostics.push(resourceProblem('RENDER_LIMIT', 'error', container, ['name'], `container "${resource}" would be attached to ${uses.length} target groups; an ECS service takes at most ${MAX_TARGET_GROUPS_PER_SERVICE}`))
    }
    const task = logicalId(resource, 'task', 'definition', 'arn')
    parameters[task] = { Type: 'String', Description: `The task definition of "${resource}"` }
    resources[logicalId(resource, 'service')] = {
      Type: 'AWS::ECS::Service',
      DependsOn: [...new Set(uses.flatMap((u) => u.users))].sort(),
      Properties: {
        Cluster: ref('ClusterName'),
        LaunchType: 'FARGATE',
        DesiredCount: 1,
        TaskDefinition: ref(task),
        NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ref('TaskSubnetIds'), SecurityGroups: [ref('TaskSecurityGroupId')], AssignPublicIp: 'DISABLED' } },
        LoadBalancers: uses.map((u) => ({ ContainerName: u.destination.containerName, ContainerPort: u.destination.containerPort, TargetGroupArn: ref(u.id) })),
      },
    }
  }
  const outputs: Record<string, unknown> = {
    ...(alb.listenerIds.length ? { LoadBalancerDnsName: { Description: 'Where the HTTP routes are served', Value: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] } } } : {}),
    ...(nlb.listenerIds.length ? { NetworkLoadBalancerDnsName: { Description: 'Where the TCP, UDP and TLS routes are served', Value: { 'Fn::GetAtt': ['NetworkLoadBalancer', 'DNSName'] } } } : {}),
  }
  const name = app.application?.name ?? 'app'
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Switchyard: the routes of "${name}" on AWS ECS`,
    Parameters: parameters,
    Resources: Object.fromEntries(Object.entries(resources).sort(([a], [b]) => a.localeCompare(b))),
    ...(Object.keys(outputs).length ? { Outputs: outputs } : {}),
  }
  return { documents: [{ name: 'template', body: template }], diagnostics }
}

export const ecsRecipe: DocumentRecipe = { target: 'ecs', defaultFormat: 'yaml', render: renderEcs }
