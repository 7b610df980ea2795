import type { CodeInfo } from './code-info.ts'

/** Codes for `switchyard deploy`: finding the cluster, applying, pruning. */
export const DEPLOY_CODES = {
  DEPLOY_NO_KUBECONFIG: { kind: 'operational', summary: 'No kubeconfig was found: KUBECONFIG names no existing file, or it is unset and ~/.kube/config does not exist.' },
  DEPLOY_KUBECONFIG_INVALID: { kind: 'operational', summary: 'The kubeconfig cannot be used: it does not parse, it has no current context, or the context asked for (--context) or its cluster is not in it.' },
  DEPLOY_CLUSTER_UNREACHABLE: { kind: 'operational', summary: 'The API server of the kubeconfig context did not answer: connection refused, a TLS failure, or no answer within the request timeout. Nothing was changed.' },
  DEPLOY_KIND_NOT_SERVED: { kind: 'operational', summary: 'The cluster does not serve a kind the app renders (usually Gateway API CRDs that are not installed). Nothing was changed.' },
  DEPLOY_APPLY_CONFLICT: { kind: 'operational', summary: 'Server-side apply found fields of an object owned by another field manager; --force-conflicts takes them over.' },
  DEPLOY_REFUSED: { kind: 'operational', summary: 'The API server refused a request (apply, list or delete): the answer names the object, the HTTP status and the server’s reason.' },
} as const satisfies Record<string, CodeInfo>
