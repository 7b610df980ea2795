import type { CodeInfo } from './code-info.ts'

/**
 * Codes for the Gateway API translator: loading and admission (`K8S_`, what a cluster's API server
 * would refuse), translation (`TRANSLATE_`), and IR invariants (`IR_`). Condition reasons are not
 * codes: they are spec strings in status.
 */
export const TRANSLATOR_CODES = {
  K8S_MISSING_KIND: { kind: 'diagnostic', summary: 'A document has no `apiVersion` or no `kind`.' },
  K8S_UNKNOWN_KIND: { kind: 'diagnostic', summary: 'Warning: a document’s kind is not one Switchyard reads; it is ignored.' },
  K8S_UNSUPPORTED_API_VERSION: { kind: 'diagnostic', summary: 'A known kind is given with an `apiVersion` Switchyard does not read (Gateway API kinds accept v1, v1beta1 and v1alpha2).' },
  K8S_INVALID_METADATA: { kind: 'diagnostic', summary: 'An object’s `metadata.name` or `metadata.namespace` is missing or not a valid Kubernetes name, or its labels, generation or creationTimestamp are malformed.' },
  K8S_SCHEMA_VIOLATION: { kind: 'diagnostic', summary: 'An object breaks its CRD’s OpenAPI schema (a wrong type, a missing required field, a value outside an enum, pattern or range); a cluster would refuse it, so it is left out.' },
  K8S_VALIDATION_RULE: { kind: 'diagnostic', summary: 'An object breaks one of its CRD’s CEL validation rules (for example duplicate listener names, `tls` on an HTTP listener, a path with `//`); a cluster would refuse it, so it is left out.' },
  K8S_DUPLICATE_OBJECT: { kind: 'diagnostic', summary: 'Two documents define the same kind, namespace and name; the later one is left out.' },
  K8S_INVALID_CORE_OBJECT: { kind: 'diagnostic', summary: 'A core object (Namespace, Service, EndpointSlice, Secret, ConfigMap) is malformed (for example a Service port outside 1-65535); it is left out.' },
  TRANSLATE_UNMANAGED_GATEWAYCLASS: { kind: 'diagnostic', summary: 'Warning: a GatewayClass names another controller; it and its Gateways are left to that controller and get no status here.' },
  TRANSLATE_INVALID_CERTIFICATE: { kind: 'diagnostic', summary: 'A listener’s certificate Secret exists but cannot serve (no tls.key, not PEM, or a key that does not match the certificate). A warning on first load (the listener is not programmed); a reload that brings it is refused.' },
  TRANSLATE_MISSING_GATEWAYCLASS: { kind: 'diagnostic', summary: 'Warning: a Gateway names a GatewayClass that does not exist; it is not served.' },
  IR_PORT_CONFLICT: { kind: 'ir', summary: 'Two ports in the IR bind the same address, port and transport.' },
  IR_PORT_OUT_OF_RANGE: { kind: 'ir', summary: 'A port in the IR is outside 1-65535.' },
  IR_DUPLICATE_NAME: { kind: 'ir', summary: 'Two listeners in the IR have the same name.' },
  IR_INVALID_WEIGHT: { kind: 'ir', summary: 'A backend weight in the IR is negative or not an integer.' },
  IR_INVALID_ENDPOINT: { kind: 'ir', summary: 'An endpoint in the IR has an empty address or a port outside 1-65535.' },
  IR_MISSING_CERTIFICATE: { kind: 'ir', summary: 'A terminating TLS listener in the IR has no certificate.' },
  IR_UNSORTED: { kind: 'ir', summary: 'An HTTP route table in the IR is not in precedence order.' },
} as const satisfies Record<string, CodeInfo>
