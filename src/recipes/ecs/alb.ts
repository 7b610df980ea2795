import type { Diagnostic } from '../../diag/index.ts'
import type { Route } from '../../model/index.ts'
import { listenerTls, type CertificateSource } from '../listener-tls.ts'
import { groupCovers, matchIdParts, type HttpListenerPlan } from '../precedence.ts'
import { matchPath, routeProblem } from '../route-diagnostics.ts'
import { albHostnameProblem, matchRules, type Condition } from './alb-conditions.ts'
import { idleTimeout, urlRewrite, type Transform } from './alb-legacy.ts'
import { hostId, logicalId, ref } from './names.ts'
import type { Targets } from './targets.ts'

/** "Rules per Application Load Balancer (excluding default rules)", the default quota (adjustable). */
export const ALB_RULE_QUOTA = 100
/** Gaps between priorities, so a rule added by hand fits without renumbering (platforms.md §0). */
const PRIORITY_STEP = 10

export interface AlbResources {
  readonly resources: Record<string, unknown>
  readonly listenerIds: readonly string[]
  /** The certificate ARN parameters the HTTPS listeners use. */
  readonly parameters: Record<string, unknown>
  readonly diagnostics: readonly Diagnostic[]
}

/**
 * ALB security policies by minimum TLS version (ALB "Security policies"): TLS 1.2 and 1.3, the
 * policy AWS recommends; TLS 1.3 only. Without one, CloudFormation gives ELBSecurityPolicy-2016-08.
 */
const SSL_POLICIES = { '1.2': 'ELBSecurityPolicy-TLS13-1-2-2021-06', '1.3': 'ELBSecurityPolicy-TLS13-1-3-2021-06' } as const

/**
 * The CloudFormation parameter of a certificate: `CertificateArn` for the environment's, and per
 * legacy gateway secret store an ACM certificate ARN (ACM holds what the store's tls.crt and
 * tls.key hold; CloudFormation cannot import a key pair from a Kubernetes secret).
 */
export function certificateParameter(c: CertificateSource): [string, unknown] {
  if (c.kind === 'environment') return ['CertificateArn', { Type: 'String', Description: 'The ACM certificate the HTTPS or TLS listeners present' }]
  return [logicalId(c.store, 'certificate', 'arn'), { Type: 'String', Description: `The ACM certificate ARN of secret store "${c.store}" (import its tls.crt and tls.key into ACM)` }]
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
  const parameters: Record<string, unknown> = {}
  for (const plan of plans) {
    const https = plan.listener.protocol === 'HTTPS'
    const listenerId = logicalId(https ? 'https' : 'http', 'listener', plan.listener.port)
    listenerIds.push(listenerId)
    const tls = listenerTls(plan, 'ecs', 'one ALB listener')
    diagnostics.push(...tls.diagnostics)
    const certificates = tls.certificates.map((c) => {
      const [id, parameter] = certificateParameter(c)
      parameters[id] = parameter
      return { CertificateArn: ref(id) }
    })
    resources[listenerId] = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: ref('LoadBalancer'),
        Protocol: plan.listener.protocol,
        Port: plan.listener.port,
        // A listener takes exactly one (default) certificate; more are ListenerCertificates, chosen by SNI.
        ...(https ? { Certificates: certificates.slice(0, 1) } : {}),
        ...(https && tls.minimumTlsVersion ? { SslPolicy: SSL_POLICIES[tls.minimumTlsVersion] } : {}),
        DefaultActions: [NOT_FOUND],
      },
    }
    if (https && certificates.length > 1) {
      resources[logicalId(listenerId, 'certificates')] = { Type: 'AWS::ElasticLoadBalancingV2::ListenerCertificate', Properties: { ListenerArn: ref(listenerId), Certificates: certificates.slice(1) } }
    }
    const prefix = plans.length > 1 ? [`port${plan.listener.port}`] : []
    let priority = 0
    const addRule = (id: string, route: Route | undefined, conditions: readonly Condition[], action: unknown, at: (string | number)[], transforms: readonly Transform[] = []) => {
      ruleCount++
      if (ruleCount === ALB_RULE_QUOTA + 1 && route) {
        diagnostics.push(routeProblem('RENDER_LIMIT', 'error', route, at, `the app needs more than ${ALB_RULE_QUOTA} ALB listener rules, the default "Rules per Application Load Balancer" quota; request an increase, or split the routes across load balancers`))
      }
      priority += PRIORITY_STEP
      resources[id] = {
        Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
        Properties: { ListenerArn: ref(listenerId), Priority: priority, Conditions: conditions, ...(transforms.length ? { Transforms: transforms } : {}), Actions: [action] },
      }
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
        const rewrite = urlRewrite(m)
        diagnostics.push(...problems, ...rewrite.diagnostics)
        if (rewrite.diagnostics.length) continue
        for (const r of rules) {
          const id = logicalId(...prefix, ...matchIdParts(m), hostId(group.hostname), r.suffix)
          const tg = targets.use(m.destination, 'alb', 'HTTP', id)
          addRule(id, m.route, r.conditions, { Type: 'forward', TargetGroupArn: ref(tg) }, matchPath(m.ruleIndex, m.matchIndex), rewrite.transforms)
        }
      }
      const h = group.hostname
      if (h !== null && !hostProblem && plan.groups.slice(g + 1).some((later) => groupCovers(later.hostname, h))) {
        addRule(logicalId(...prefix, 'not', 'found', hostId(h)), group.matches[0]?.route, [{ Field: 'host-header', HostHeaderConfig: { Values: [h] } }], NOT_FOUND, ['properties', 'hostnames'])
      }
    })
  }
  if (listenerIds.length) {
    const idle = idleTimeout(plans)
    diagnostics.push(...idle.diagnostics)
    resources.LoadBalancer = {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Type: 'application',
        Scheme: 'internet-facing',
        Subnets: ref('LoadBalancerSubnetIds'),
        SecurityGroups: [ref('LoadBalancerSecurityGroupId')],
        ...(idle.seconds ? { LoadBalancerAttributes: [{ Key: 'idle_timeout.timeout_seconds', Value: String(idle.seconds) }] } : {}),
      },
    }
  }
  return { resources, listenerIds, parameters, diagnostics }
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
