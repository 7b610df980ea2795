/**
 * The labels every rendered object carries: the Kubernetes recommended ones and Radius's, so
 * `kubectl get -l radapp.io/application=<app>` finds an app's objects and `deploy` can prune the
 * ones an app no longer renders.
 */
export function labels(app: string, resource: string, resourceType: string): Record<string, string> {
  return {
    ...ownerLabels(app),
    'app.kubernetes.io/name': resource.toLowerCase(),
    'app.kubernetes.io/part-of': app.toLowerCase(),
    'radapp.io/resource': resource.toLowerCase(),
    // Label values cannot hold `/`: Radius writes Radius.Compute/routes as Radius.Compute.routes.
    'radapp.io/resource-type': resourceType.replace('/', '.'),
  }
}

/** The pod selector of a container resource: its app and resource labels. */
export function selector(app: string, resource: string): Record<string, string> {
  return { 'radapp.io/application': app.toLowerCase(), 'radapp.io/resource': resource.toLowerCase() }
}

/**
 * The labels that make an object this app's and ours: `deploy` prunes only objects carrying both,
 * so nothing another tool or another app created is ever deleted.
 */
export function ownerLabels(app: string): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': 'switchyard', 'radapp.io/application': app.toLowerCase() }
}
