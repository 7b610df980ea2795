import { k8sName } from '../../util/index.ts'
import { connectionEnv, serviceName, type App, type Container, type ContainerSpec, type PlaceTarget, type Port } from '../../model/index.ts'
import type { Manifest } from '../recipe.ts'
import { labels, selector } from './labels.ts'
import { containerPortName } from './names.ts'

/** The port a Service exposes for a container port: `port` if given (legacy), else containerPort. */
export function servicePort(p: Port): number {
  return p.port
}

/** One Deployment per container resource, and one ClusterIP Service per container with ports. */
export function renderContainer(app: App, c: Container, namespace: string): Manifest[] {
  const appName = c.application
  const meta = labels(appName, c.name, c.type)
  const out: Manifest[] = []
  out.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: k8sName(c.name), namespace, labels: meta },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector(appName, c.name) },
      template: {
        metadata: { labels: meta },
        spec: {
          // Services are found through CONNECTION_* variables, not Kubernetes' legacy link variables.
          enableServiceLinks: false,
          containers: Object.entries(c.containers).map(([name, spec]) => renderPodContainer(app, c, name, spec)),
        },
      },
    },
  })
  for (const [name, spec] of Object.entries(c.containers)) {
    const ports = Object.entries(spec.ports)
    if (ports.length === 0) continue
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: serviceName(c, name), namespace, labels: { ...meta, ...(c.single ? {} : { container: name.toLowerCase() }) } },
      spec: {
        type: 'ClusterIP',
        selector: selector(appName, c.name),
        ports: ports.map(([portName, p]) => ({ name: k8sName(portName), port: servicePort(p), targetPort: p.containerPort, protocol: p.protocol })),
      },
    })
  }
  return out
}

function renderPodContainer(app: App, c: Container, name: string, spec: ContainerSpec): Record<string, unknown> {
  const env: Record<string, unknown>[] = []
  for (const [k, v] of Object.entries(spec.env)) {
    if (v.secretRef) env.push({ name: k, valueFrom: { secretKeyRef: { name: k8sName(v.secretRef.source.split('/').pop() ?? v.secretRef.source), key: v.secretRef.key } } })
    else env.push({ name: k, value: v.value ?? '' })
  }
  env.push(...connectionEnv(app, c, inCluster))
  const ports = Object.entries(spec.ports).map(([portName, p]) => {
    const n = containerPortName(portName)
    return { ...(n ? { name: n } : {}), containerPort: p.containerPort, protocol: p.protocol }
  })
  return {
    name: k8sName(name),
    image: spec.image,
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.args ? { args: [...spec.args] } : {}),
    ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
    ...(ports.length ? { ports } : {}),
    ...(env.length ? { env } : {}),
  }
}

/** In a cluster a connection reaches a container of the app through its Service; URLs stay as written. */
const inCluster: PlaceTarget = (t) => (t.viaUrl ? undefined : { hostname: serviceName(t.container, t.containerName), port: servicePort(t.port) })
