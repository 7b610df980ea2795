/**
 * deploy — rendered objects, applied to a Kubernetes cluster.
 *
 * Input: Kubernetes objects in apply order (the Kubernetes recipe's output), the kubeconfig
 * context to use, and what to prune. Output: one outcome per object (created, configured,
 * unchanged, pruned), as kubectl reports them. Side effects: requests to the API server through
 * the official client (@kubernetes/client-node): discovery, server-side apply (fieldManager
 * `switchyard`), list by label and delete. Invariants: nothing is written before the server has
 * answered discovery for every kind; only objects carrying every one of the app's labels are
 * ever deleted; every request has a deadline. The only folder that talks to a cluster.
 * May import diag and util.
 */
export { connect, type Cluster, type ConnectOptions } from './kubeconfig.ts'
export { deploy, type DeployPlan } from './deploy.ts'
export { formatOutcome, type Action, type KubeObject, type Outcome, type TypeRef } from './objects.ts'
