import { SwitchyardError } from '../diag/index.ts'
import type { Cluster } from './kubeconfig.ts'

/** What failed, for the message: `apply deployment.apps/frontend in default`. */
export interface Attempt {
  readonly verb: 'apply' | 'read' | 'list' | 'delete' | 'discover'
  readonly what: string
  readonly namespace?: string
}

/** The client's ApiException, seen structurally (the class lives in a lazily loaded module). */
interface ApiAnswer {
  readonly code: number
  readonly body: unknown
}

function isApiAnswer(e: unknown): e is ApiAnswer {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'number' && 'body' in e
}

/** The HTTP status of an API error answer, or undefined when the server never answered. */
export function statusOf(e: unknown): number | undefined {
  return isApiAnswer(e) ? e.code : undefined
}

/**
 * A failed request → SwitchyardError. An answer from the server is DEPLOY_REFUSED (or
 * DEPLOY_APPLY_CONFLICT for server-side apply's 409, whose message lists the fields and their
 * managers); no answer at all is DEPLOY_CLUSTER_UNREACHABLE, naming the context and the server so
 * the user sees at once which cluster was tried.
 */
export function apiError(cluster: Cluster, attempt: Attempt, e: unknown): SwitchyardError {
  if (e instanceof SwitchyardError) return e
  const target = `${attempt.verb} ${attempt.what}${attempt.namespace ? ` in namespace ${attempt.namespace}` : ''}`
  if (isApiAnswer(e)) {
    const reason = serverMessage(e.body) ?? `HTTP ${e.code}`
    if (e.code === 409 && attempt.verb === 'apply') {
      return new SwitchyardError('DEPLOY_APPLY_CONFLICT', `${target}: ${reason}. Another field manager owns these fields; pass --force-conflicts to take them over (server-side apply, manager "switchyard")`, { cause: e })
    }
    const hint = e.code === 401 || e.code === 403 ? ` (context "${cluster.context}": check the credentials and RBAC of this user)` : ''
    return new SwitchyardError('DEPLOY_REFUSED', `${target}: the API server at ${cluster.server} answered ${e.code}: ${reason}${hint}`, { cause: e })
  }
  return new SwitchyardError('DEPLOY_CLUSTER_UNREACHABLE', `cannot reach the cluster of kubeconfig context "${cluster.context}" at ${cluster.server} (${target}): ${networkReason(e, cluster.timeoutMs)}. Nothing was changed by this request`, { cause: e })
}

/** A Kubernetes `Status` body's message, if the body is one (as JSON text or parsed). */
function serverMessage(body: unknown): string | undefined {
  let value = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body)
    } catch {
      return body.trim() || undefined
    }
  }
  const message = (value as { message?: unknown } | null)?.message
  return typeof message === 'string' && message !== '' ? message : undefined
}

/** The root cause of a failed fetch, in words: refused, timed out, TLS, DNS. */
function networkReason(e: unknown, timeoutMs: number): string {
  let cur: unknown = e
  for (let depth = 0; cur instanceof Error && depth < 5; depth++) {
    const name = cur.name
    const code = (cur as NodeJS.ErrnoException).code
    if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000}s`
    if (code === 'ECONNREFUSED') return 'connection refused'
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name does not resolve (${code})`
    if (code === 'ECONNRESET') return 'the connection was reset'
    if (code !== undefined && /CERT|SELF_SIGNED|TLS|SSL/.test(code)) return `TLS failed: ${cur.message} (${code})`
    if (cur.cause === undefined) return cur.message
    cur = cur.cause
  }
  return String(cur)
}
