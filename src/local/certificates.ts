import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { Diagnostic } from '../diag/index.ts'
import type { App } from '../model/index.ts'
import type { IssuedCertificate } from './local-ca.ts'

type Obj = Readonly<Record<string, unknown>>

export interface LocalCertificates {
  /** kubernetes.io/tls Secrets for the listeners that reference them. */
  readonly secrets: Record<string, unknown>[]
  /** `<namespace>/<name>` of the Secrets the local CA issued (clients verify them with its certificate). */
  readonly issued: readonly string[]
  readonly diagnostics: readonly Diagnostic[]
}

/**
 * The TLS Secrets a local run needs, which a platform engineer would create in a cluster: the
 * environment's `certificates` (from files, inline PEM, or issued by the local CA for the
 * hostnames of the listeners that use them), and for a legacy `certificate` secret store that
 * names an existing Kubernetes Secret (`resource`) — which exists only in the cluster — one issued
 * by the local CA. A Secret already among `objects` is left alone.
 */
export function localCertificates(app: App, objects: readonly Obj[], envDir: string, issue: (names: readonly string[]) => IssuedCertificate): LocalCertificates {
  const env = app.environment
  const have = new Set(objects.filter((o) => o.kind === 'Secret').map((o) => key(meta(o).namespace ?? 'default', meta(o).name ?? '')))
  const secrets: Record<string, unknown>[] = []
  const issued: string[] = []
  const diagnostics: Diagnostic[] = []
  const add = (namespace: string, name: string, cert: IssuedCertificate) => {
    have.add(key(namespace, name))
    secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': cert.certPem, 'tls.key': cert.keyPem } })
  }
  for (const [name, c] of Object.entries(env?.certificates ?? {})) {
    const namespace = c.namespace ?? env!.namespace
    if (have.has(key(namespace, name))) continue
    if (c.localCA) {
      add(namespace, name, issue(hostnamesFor(objects, namespace, name)))
      issued.push(key(namespace, name))
    } else if (c.cert !== undefined && c.key !== undefined) add(namespace, name, { certPem: c.cert, keyPem: c.key })
    else if (c.certFile !== undefined && c.keyFile !== undefined) {
      const read = (field: 'certFile' | 'keyFile', file: string): string | undefined => {
        try {
          return readFileSync(isAbsolute(file) ? file : resolve(envDir, file), 'utf8')
        } catch (e) {
          diagnostics.push({ code: 'LOCAL_CERTIFICATE_FILE', severity: 'error', message: `certificate "${name}": cannot read ${field} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); paths are relative to the environment file`, path: `properties.certificates.${name}.${field}`, resource: `Radius.Core/environments/${env!.name}`, source: env!.source })
          return undefined
        }
      }
      const certPem = read('certFile', c.certFile)
      const keyPem = read('keyFile', c.keyFile)
      if (certPem !== undefined && keyPem !== undefined) add(namespace, name, { certPem, keyPem })
    }
  }
  const namespace = env?.namespace ?? 'default'
  for (const store of app.secretStores) {
    if (store.storeType !== 'certificate' || !store.resource) continue
    const [ns, name] = store.resource.includes('/') ? (store.resource.split('/', 2) as [string, string]) : [namespace, store.resource]
    if (have.has(key(ns, name))) continue
    add(ns, name, issue(hostnamesFor(objects, ns, name)))
    issued.push(key(ns, name))
    diagnostics.push({ code: 'LOCAL_CERTIFICATE_ISSUED', severity: 'warning', message: `secret store "${store.name}" names the Kubernetes Secret ${ns}/${name}, which exists only in a cluster: for this local run the local CA issues it`, path: 'properties.resource', resource: `${store.type}/${store.name}`, source: store.source })
  }
  return { secrets, issued, diagnostics }
}

/**
 * The names a certificate must carry: the hostname of every listener that references it, or for a
 * listener without one, the hostnames of the routes attached to its Gateway; `localhost` always,
 * so a client without a hostname can reach it too.
 */
export function hostnamesFor(objects: readonly Obj[], namespace: string, name: string): string[] {
  const names = new Set<string>(['localhost'])
  for (const gw of objects.filter((o) => o.kind === 'Gateway')) {
    const gwNs = meta(gw).namespace ?? 'default'
    const listeners = (spec(gw).listeners as Obj[] | undefined) ?? []
    for (const l of listeners) {
      const refs = ((l.tls as Obj | undefined)?.certificateRefs as Obj[] | undefined) ?? []
      if (!refs.some((r) => (r.kind ?? 'Secret') === 'Secret' && r.name === name && ((r.namespace as string | undefined) ?? gwNs) === namespace)) continue
      if (typeof l.hostname === 'string') names.add(l.hostname)
      else for (const h of routeHostnames(objects, gwNs, meta(gw).name ?? '', l.name as string)) names.add(h)
    }
  }
  return [...names]
}

function routeHostnames(objects: readonly Obj[], gwNs: string, gwName: string, listener: string): string[] {
  return objects
    .filter((o) => o.kind === 'HTTPRoute' || o.kind === 'TLSRoute')
    .filter((r) => ((spec(r).parentRefs as Obj[] | undefined) ?? []).some((p) => p.name === gwName && ((p.namespace as string | undefined) ?? meta(r).namespace ?? 'default') === gwNs && (p.sectionName === undefined || p.sectionName === listener)))
    .flatMap((r) => (spec(r).hostnames as string[] | undefined) ?? [])
}

const key = (namespace: string, name: string) => `${namespace}/${name}`
const meta = (o: Obj) => (o.metadata ?? {}) as { name?: string; namespace?: string }
const spec = (o: Obj) => (o.spec ?? {}) as Obj
