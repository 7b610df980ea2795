import { dirname, resolve } from 'node:path'
import { stringify } from 'yaml'
import { hasErrors, type Diagnostic } from '../diag/index.ts'
import { validateApp, type App } from '../model/index.ts'
import { defaultGateways, endpointSlices, localCertificates, missingGatewayClasses, type IssuedCertificate, type LocalRuntime } from '../local/index.ts'
import { renderKubernetes } from '../recipes/index.ts'
import type { Prepare } from './pipeline.ts'

export interface RunSourceOptions {
  readonly local: LocalRuntime
  /** Issues a certificate from the local CA (created on first use). */
  readonly issue: (names: readonly string[]) => IssuedCertificate
  readonly controllerName: string
}

/** What the last successful prepare produced, for the start-up summary. */
export interface RunView {
  readonly app: App
  /** True when the app gave no environment and the default Gateway was used. */
  readonly defaultEnvironment: boolean
  /** `<namespace>/<name>` of TLS Secrets the local CA issued. */
  readonly issued: readonly string[]
  /** Every object handed to the translator (Secrets included: never print them). */
  readonly objects: readonly Readonly<Record<string, unknown>>[]
}

/**
 * `switchyard run`'s way from files to Gateway API objects, one path with a cluster (DESIGN.md §1):
 * validate the app and its environment (or take the default Gateway), render them with the
 * Kubernetes recipe, bring the local containers in line, and add what a cluster's controllers
 * would: EndpointSlices for each Service pointing where its container runs here, the TLS Secrets
 * the listeners need, and the GatewayClass our controller serves. The translator sees nothing else.
 */
export class RunSource {
  readonly #o: RunSourceOptions
  #view: RunView | null = null

  constructor(options: RunSourceOptions) {
    this.#o = options
  }

  get view(): RunView | null {
    return this.#view
  }

  readonly prepare: Prepare = async (inputs) => {
    const validated = validateApp(inputs)
    if (!validated.app) return { inputs: [], diagnostics: validated.diagnostics }
    const app = validated.app
    const rendered = renderKubernetes(app)
    const diagnostics: Diagnostic[] = [...validated.diagnostics, ...rendered.diagnostics]
    if (hasErrors(diagnostics)) return { inputs: [], diagnostics }
    const gateways = app.environment ? app.environment.gateways : defaultGateways()
    // Locally the containers run beside the gateway (LocalRuntime plays the Deployments' part).
    const platform = [...gateways, ...rendered.objects.filter((o) => o.kind !== 'Deployment')]
    const envDir = app.environment ? dirname(resolve(app.environment.source.file)) : process.cwd()
    await this.#o.local.reconcile(app, envDir, hostnames(platform))
    const certificates = localCertificates(app, platform, envDir, this.#o.issue)
    diagnostics.push(...certificates.diagnostics)
    const objects = [...missingGatewayClasses(platform, this.#o.controllerName), ...platform, ...certificates.secrets, ...endpointSlices(this.#o.local.services())]
    if (!hasErrors(diagnostics)) this.#view = { app, defaultEnvironment: !app.environment, issued: certificates.issued, objects }
    const name = app.application?.name ?? 'app'
    return { inputs: [{ file: `${name} (rendered for this machine)`, text: objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n') }], diagnostics }
  }
}

/** Every hostname a route or listener names: what stand-in TLS certificates must carry. */
function hostnames(objects: readonly Readonly<Record<string, unknown>>[]): string[] {
  const out = new Set<string>()
  for (const o of objects) {
    const spec = (o.spec ?? {}) as { hostnames?: unknown; listeners?: { hostname?: unknown }[] }
    if (Array.isArray(spec.hostnames)) for (const h of spec.hostnames) if (typeof h === 'string') out.add(h)
    for (const l of spec.listeners ?? []) if (typeof l.hostname === 'string') out.add(l.hostname)
  }
  return [...out]
}
