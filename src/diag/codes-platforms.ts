import type { CodeInfo } from './code-info.ts'

/**
 * Codes for rendering routes for AWS ECS, Azure Container Apps and Google Cloud Run: what a platform
 * cannot express, said per route, rule and field (research: platforms.md §1.4, §2.5, §3.4).
 */
export const PLATFORM_CODES = {
  RENDER_UNSUPPORTED_KIND: { kind: 'diagnostic', summary: 'The platform cannot carry this kind of route at all (UDP on Container Apps, TCP/UDP/TLS on Cloud Run).' },
  RENDER_UNSUPPORTED_MATCH: { kind: 'diagnostic', summary: 'A match field (method, header, query parameter) has no equivalent in the platform’s routing (Container Apps matches on path only).' },
  RENDER_SNI_ROUTING: { kind: 'diagnostic', summary: 'TLS routes told apart by SNI hostname share a port; the platform’s layer-4 load balancer cannot choose a destination by SNI.' },
  RENDER_ONE_DESTINATION_PER_PORT: { kind: 'diagnostic', summary: 'A layer-4 listener port can send traffic to one destination only, and this route needs more than one on its port.' },
  RENDER_LIMIT: { kind: 'diagnostic', summary: 'A route needs more than a platform limit allows (match evaluations or wildcards per ALB rule, rules per load balancer, target groups per ECS service, URL-map rules).' },
  RENDER_INVALID_VALUE: { kind: 'diagnostic', summary: 'A path, hostname, header or port is valid for the Gateway API but not for this platform (character set, length, wildcards, allowed ports).' },
  RENDER_DESTINATION_PORT: { kind: 'diagnostic', summary: 'The platform reaches an app on one port, and routes send traffic to more than one port (or container) of the same app.' },
  RENDER_SEMANTICS_WIDENED: { kind: 'diagnostic', summary: 'A warning: the platform renders the route, but matches more than the Gateway API would (case-insensitive header values, an SNI hostname that is not checked).' },
  RENDER_APPROXIMATED: { kind: 'diagnostic', summary: 'A warning: the platform renders the field with behaviour of its own (a load-balancer-wide idle timeout for a route timeout, a fixed ingress timeout, a WebSocket lifetime bounded by the service’s request timeout).' },
  RENDER_LISTENER_CONFLICT: { kind: 'diagnostic', summary: 'Routes sharing one platform listener port need different protocols or minimum TLS versions, and a listener has one of each.' },
  RENDER_NOT_RENDERED: { kind: 'diagnostic', summary: 'A resource or field the platform recipes do not render (a legacy gateway route to a host outside the app, secret-backed environment variables); it is named, never silently dropped.' },
} as const satisfies Record<string, CodeInfo>
