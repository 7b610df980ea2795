import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node'
import { SwitchyardError } from '../diag/index.ts'
import { didYouMean } from '../util/index.ts'

/** Where the in-cluster service account token lives (a pod with no kubeconfig uses it, as kubectl does). */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token'

/** One cluster reached through one kubeconfig context, with the client that talks to it. */
export interface Cluster {
  readonly context: string
  readonly server: string
  readonly api: ObjectClient
  /** How long one request may take before the cluster counts as unreachable. */
  readonly timeoutMs: number
}

/** The client's dynamic object API, plus discovery: does the server serve this kind at this version? */
export type ObjectClient = KubernetesObjectApi & { served(apiVersion: string, kind: string): Promise<boolean> }

export interface ConnectOptions {
  /** A context of the kubeconfig instead of its current-context (`--context`). */
  readonly context?: string
  /** Per request. @default 10000 */
  readonly timeoutMs?: number
  /** Where KUBECONFIG and HOME are read (tests pass their own). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/**
 * Loads the kubeconfig the way kubectl finds it — the files in KUBECONFIG (missing ones skipped,
 * the first file's current-context wins), else ~/.kube/config, else the in-cluster service
 * account — and makes a client for the chosen context. The client library falls back to
 * `http://localhost:8080` when it finds nothing; that guess is refused here with an error saying
 * where we looked, because deploying to whatever answers on a local port is never what a user meant.
 */
export async function connect(options: ConnectOptions = {}): Promise<Cluster> {
  const env = options.env ?? process.env
  const k8s = await import('@kubernetes/client-node')
  const kc = new k8s.KubeConfig()
  const files = kubeconfigFiles(env)
  if (files.length > 0) {
    for (const [i, file] of files.entries()) {
      const one = i === 0 ? kc : new k8s.KubeConfig()
      try {
        one.loadFromFile(file)
      } catch (cause) {
        throw new SwitchyardError('DEPLOY_KUBECONFIG_INVALID', `the kubeconfig ${file} cannot be read: ${(cause as Error).message}`, { cause })
      }
      if (one !== kc) mergeFirstWins(kc, one)
    }
  } else if (env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster()
  } else {
    throw new SwitchyardError('DEPLOY_NO_KUBECONFIG', noKubeconfigMessage(env))
  }
  const context = chooseContext(kc, options.context, files)
  const cluster = kc.getCurrentCluster()
  if (!cluster) throw new SwitchyardError('DEPLOY_KUBECONFIG_INVALID', `context "${context}" names cluster "${kc.getContextObject(context)?.cluster}", which the kubeconfig (${files.join(delimiter)}) does not define`)
  const timeoutMs = options.timeoutMs ?? 10_000
  return { context, server: cluster.server, api: objectApi(k8s, kc, cluster.server, timeoutMs), timeoutMs }
}

/**
 * kubectl's merge of several kubeconfig files: the first file to name a cluster, user or context
 * (or to set current-context) wins. The client's own mergeConfig throws on a repeated name and lets
 * a later current-context override an earlier one.
 */
function mergeFirstWins(into: KubeConfig, from: KubeConfig): void {
  for (const c of from.getClusters()) if (!into.getCluster(c.name)) into.addCluster(c)
  for (const u of from.getUsers()) if (!into.getUser(u.name)) into.addUser(u)
  for (const x of from.getContexts()) if (!into.getContextObject(x.name)) into.addContext(x)
  const current = from.getCurrentContext()
  if (!into.getCurrentContext() && current) into.setCurrentContext(current)
}

/** KUBECONFIG's files that exist, or ~/.kube/config if KUBECONFIG is unset and it exists. */
function kubeconfigFiles(env: Readonly<Record<string, string | undefined>>): string[] {
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((f) => f !== '' && existsSync(f))
  const home = join(env.HOME || homedir(), '.kube', 'config')
  return existsSync(home) ? [home] : []
}

function noKubeconfigMessage(env: Readonly<Record<string, string | undefined>>): string {
  const where = env.KUBECONFIG
    ? `KUBECONFIG is "${env.KUBECONFIG}" and ${env.KUBECONFIG.includes(delimiter) ? 'none of those files exists' : 'that file does not exist'}`
    : `KUBECONFIG is not set and ${join(env.HOME || homedir(), '.kube', 'config')} does not exist`
  return `no kubeconfig to deploy with: ${where}. Point KUBECONFIG at the cluster's kubeconfig (the one kubectl uses), or render with \`switchyard render --target kubernetes -o DIR\` and apply the files yourself`
}

function chooseContext(kc: KubeConfig, wanted: string | undefined, files: readonly string[]): string {
  const names = kc.getContexts().map((c) => c.name)
  const from = files.length > 0 ? `the kubeconfig (${files.join(delimiter)})` : 'the in-cluster configuration'
  const name = wanted ?? kc.getCurrentContext()
  if (!name) throw new SwitchyardError('DEPLOY_KUBECONFIG_INVALID', `${from} has no current-context; pass --context with one of: ${names.join(', ') || '(none defined)'}`)
  if (!names.includes(name)) {
    const hint = didYouMean(name, names)
    throw new SwitchyardError('DEPLOY_KUBECONFIG_INVALID', `context "${name}" is not in ${from}${hint ? `; did you mean "${hint}"?` : `; it has: ${names.join(', ') || '(none)'}`}`)
  }
  kc.setCurrentContext(name)
  return name
}

/**
 * The dynamic object client, built as `KubernetesObjectApi.makeApiClient` builds it, plus one
 * middleware that gives every request a deadline: a black-holed API server address must fail the
 * command in bounded time, not hang it.
 */
function objectApi(k8s: typeof import('@kubernetes/client-node'), kc: KubeConfig, server: string, timeoutMs: number): ObjectClient {
  const configuration = k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [
      {
        pre: async (ctx) => {
          ctx.setHeaderParam('User-Agent', 'switchyard')
          ctx.setSignal(deadline(timeoutMs))
          return ctx
        },
        post: async (response) => response,
      },
    ],
  })
  // `resource()` (the client's cached discovery lookup) is protected; expose it as a yes/no.
  class Client extends k8s.KubernetesObjectApi {
    async served(apiVersion: string, kind: string): Promise<boolean> {
      try {
        return (await this.resource(apiVersion, kind)) !== undefined
      } catch (e) {
        if (e instanceof k8s.ApiException && e.code === 404) return false
        throw e
      }
    }
  }
  // No default namespace is needed: every request deploy makes names its namespace.
  return new Client(configuration)
}

/** The reason a request was abandoned at its deadline. */
export class RequestTimeout extends Error {
  override readonly name = 'TimeoutError'
}

/**
 * A signal that aborts after `ms` with a plain Error as its reason. Not `AbortSignal.timeout()`:
 * its reason is a DOMException with a read-only message, and the client's discovery code rewrites
 * the message of the error it catches, which then throws a TypeError hiding the timeout.
 */
function deadline(ms: number): AbortSignal {
  const controller = new AbortController()
  setTimeout(() => controller.abort(new RequestTimeout(`no answer within ${ms / 1000}s`)), ms).unref()
  return controller.signal
}
