import type * as k8s from '../k8s/index.ts'

/**
 * Lookup tables over the admitted objects, built once per translation. Everything the rules need
 * to find by name lives here, so rule code stays free of scanning.
 */
export interface Context {
  readonly controllerName: string
  readonly now: string
  readonly namespaceLabels: (namespace: string) => Readonly<Record<string, string>>
  readonly services: ReadonlyMap<string, k8s.Service>
  /** `<ns>/<service name>` → slices labelled `kubernetes.io/service-name`. */
  readonly endpointSlices: ReadonlyMap<string, readonly k8s.EndpointSlice[]>
  readonly secrets: ReadonlyMap<string, k8s.Secret>
  readonly configMaps: ReadonlyMap<string, k8s.ConfigMap>
  readonly grants: readonly k8s.ReferenceGrant[]
}

export function buildContext(objects: readonly k8s.K8sObject[], controllerName: string, now: string): Context {
  const namespaces = new Map<string, k8s.Namespace>()
  const services = new Map<string, k8s.Service>()
  const slices = new Map<string, k8s.EndpointSlice[]>()
  const secrets = new Map<string, k8s.Secret>()
  const configMaps = new Map<string, k8s.ConfigMap>()
  const grants: k8s.ReferenceGrant[] = []
  for (const o of objects) {
    const key = `${o.metadata.namespace}/${o.metadata.name}`
    switch (o.kind) {
      case 'Namespace':
        namespaces.set(o.metadata.name, o)
        break
      case 'Service':
        services.set(key, o)
        break
      case 'EndpointSlice': {
        const svc = o.metadata.labels['kubernetes.io/service-name']
        if (svc === undefined) break
        const k = `${o.metadata.namespace}/${svc}`
        slices.set(k, [...(slices.get(k) ?? []), o])
        break
      }
      case 'Secret':
        secrets.set(key, o)
        break
      case 'ConfigMap':
        configMaps.set(key, o)
        break
      case 'ReferenceGrant':
        grants.push(o)
        break
      default:
        break
    }
  }
  return {
    controllerName,
    now,
    // A namespace that no document declares still exists for selectors with its name label, as
    // every Kubernetes namespace carries it (gateway-api.md §1).
    namespaceLabels: (ns) => namespaces.get(ns)?.metadata.labels ?? { 'kubernetes.io/metadata.name': ns },
    services,
    endpointSlices: slices,
    secrets,
    configMaps,
    grants,
  }
}

/** Does a label selector match these labels? (metav1.LabelSelector; empty selector matches all.) */
export function selectorMatches(selector: k8s.LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key)
    const inValues = has && (e.values ?? []).includes(labels[e.key]!)
    switch (e.operator) {
      case 'In':
        if (!inValues) return false
        break
      case 'NotIn':
        if (inValues) return false
        break
      case 'Exists':
        if (!has) return false
        break
      case 'DoesNotExist':
        if (has) return false
        break
      default:
        return false
    }
  }
  return true
}
