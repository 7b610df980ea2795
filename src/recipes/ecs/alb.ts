import type { Diagnostic } from '../../diag/index.ts'
import type { Route } from '../../model/index.ts'
import { groupCovers, type HttpListenerPlan } from '../precedence.ts'
import { matchPath, routeProblem } from '../route-diagnostics.ts'
import { albHostnameProblem, matchRules, type Condition } from './alb-conditions.ts'
import { hostId, logicalId, ref } from './names.ts'
import type { Targets } from './targets.ts'

/** "Rules per Application Load Balancer (excluding default rules)", the default quota (adjustable). */
export const ALB_RULE_QUOTA = 100
/** Gaps between priorities, so a rule added by hand fits without renumbering (platforms.md §0). */
const PRIORITY_STEP = 10

export interface AlbResources {
  readonly resources: Record<string, unknown>
  readonly listenerIds: readonly string[]
  readonly https: boolean
  readonly diagnostics: readonly Diagnostic[]
}

const NOT_FOUND = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no route' } } as const

/**
 * The ALB side of the HTTP routes: one listener per Gateway listener port, whose default action
 * answers 404 (Gateway API: no match → 404), and listener rules in Gateway API precedence order
 * with priorities 10, 20, …. Hostname groups do not fall through to less specific ones, as on the
 * gateway: after the rules of a hostname that a wildcard or catch-all group also covers comes a
 * rule answering 404 for that hostname.
 */
export function renderAlb(plans: readonly HttpListenerPlan[], targets: Targets): AlbResources {
  const resources: Record<string, unknown> = {}
  const diagnostics: Diagnostic[] = []
  const listenerIds: string[] = []
  let ruleCount = 0
  const badHosts = new Set<string>()
  for (const plan of plans) {
    const https = plan.listener.protocol === 'HTTPS'
    const listenerId = logicalId(https ? 'https' : 'http', 'listener', plan.listener.port)
    listenerIds.push(listenerId)
    resources[listenerId] = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: ref('LoadBalancer'),
        Protocol: plan.listener.protocol,
        Port: plan.listener.port,
        ...(https ? { Certificates: [{ CertificateArn: ref('CertificateArn') }] } : {}),
        DefaultActions: [NOT_FOUND],
      },
    }
    const prefix = plans.length > 1 ? [`port${plan.listener.port}`] : []
    let priority = 0
    const addRule = (id: string, route: Route | undefined, conditions: readonly Condition[], action: unknown, at: (string | number)[]) => {
      ruleCount++
      if (ruleCount === ALB_RULE_QUOTA + 1 && route) {
        diagnostics.push(routeProblem('RENDER_LIMIT', 'error', route, at, `the app needs more than ${ALB_RULE_QUOTA} ALB listener rules, the default "Rules per Application Load Balancer" quota; request an increase, or split the routes across load balancers`))
      }
      priority += PRIORITY_STEP
      resources[id] = { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: ref(listenerId), Priority: priority, Conditions: conditions, Actions: [action] } }
    }
    plan.groups.forEach((group, g) => {
      const hostProblem = group.hostname ? albHostnameProblem(group.hostname) : undefined
      for (const m of group.matches) {
        if (hostProblem) {
          const key = `${m.route.name}\n${group.hostname}`
          const i = m.route.hostnames.indexOf(group.hostname!)
          if (!badHosts.has(key)) diagnostics.push(routeProblem('RENDER_INVALID_VALUE', 'error', m.route, i >= 0 ? ['properties', 'hostnames', i] : ['properties', 'hostnames'], hostProblem))
          badHosts.add(key)
          continue
        }
        const { rules, diagnostics: problems } = matchRules(m, group.hostname)
        diagnostics.push(...problems)
        for (const r of rules) {
          const id = logicalId(...prefix, m.route.name, 'rule', m.ruleIndex, 'match', m.matchIndex, hostId(group.hostname), r.suffix)
          const tg = targets.use(m.destination, 'alb', 'HTTP', id)
          addRule(id, m.route, r.conditions, { Type: 'forward', TargetGroupArn: ref(tg) }, matchPath(m.ruleIndex, m.matchIndex))
        }
      }
      const h = group.hostname
      if (h !== null && !hostProblem && plan.groups.slice(g + 1).some((later) => groupCovers(later.hostname, h))) {
        addRule(logicalId(...prefix, 'not', 'found', hostId(h)), group.matches[0]?.route, [{ Field: 'host-header', HostHeaderConfig: { Values: [h] } }], NOT_FOUND, ['properties', 'hostnames'])
      }
    })
  }
  if (listenerIds.length) {
    resources.LoadBalancer = {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Type: 'application', Scheme: 'internet-facing', Subnets: ref('LoadBalancerSubnetIds'), SecurityGroups: [ref('LoadBalancerSecurityGroupId')] },
    }
  }
  return { resources, listenerIds, https: plans.some((p) => p.listener.protocol === 'HTTPS'), diagnostics }
}

/**
 * Header and query matching on ALB is case-insensitive in names and values (platforms.md §1.3);
 * the Gateway API compares values exactly. Rendered, with a warning per field.
 */
export function caseWidening(plans: readonly HttpListenerPlan[]): Diagnostic[] {
  const seen = new Set<string>()
  const out: Diagnostic[] = []
  for (const plan of plans)
    for (const group of plan.groups)
      for (const m of group.matches) {
        const key = `${m.route.name}/${m.ruleIndex}/${m.matchIndex}`
        if (seen.has(key)) continue
        seen.add(key)
        if (m.match.headers.length) out.push(routeProblem('RENDER_SEMANTICS_WIDENED', 'warning', m.route, matchPath(m.ruleIndex, m.matchIndex, 'httpHeaders'), 'AWS ALB compares header values case-insensitively; the Gateway API compares them exactly'))
        if (m.match.queryParams.length) out.push(routeProblem('RENDER_SEMANTICS_WIDENED', 'warning', m.route, matchPath(m.ruleIndex, m.matchIndex, 'httpQueryParams'), 'AWS ALB compares query parameter names and values case-insensitively; the Gateway API compares them exactly'))
      }
  return out
}
