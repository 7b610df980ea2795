import { k8sName } from '../util/index.ts'
import type { Container } from './types.ts'

/**
 * The Kubernetes Service a container's ports are reached through: one named after the resource
 * for legacy and single-`container` resources (radius:pkg/corerp/renderers/container), one per
 * container, `<resource>-<container>`, for a `containers` map (the Radius.Compute/containers
 * recipe). Legacy gateway destinations (`http://<service>:<port>`) name these, so the model checks
 * them and the Kubernetes recipe renders them with this one function.
 */
export function serviceName(c: Container, containerName: string): string {
  return c.single ? k8sName(c.name) : k8sName(c.name, containerName)
}
