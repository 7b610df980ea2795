/** Object metadata, as the API server keeps it (only the fields Switchyard reads). */
export interface ObjectMeta {
  readonly name: string
  /** Filled by the loader: objects given without a namespace are in `default` (DESIGN.md §5). */
  readonly namespace: string
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  /** RFC 3339; the loader stamps it at first observation unless given (gateway-api.md §1). */
  readonly creationTimestamp: string
  /** 1, +1 on every spec change; conditions report it as observedGeneration. */
  readonly generation: number
}

/** A Kubernetes label selector (metav1.LabelSelector). */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>
  readonly matchExpressions?: readonly LabelSelectorRequirement[]
}

export interface LabelSelectorRequirement {
  readonly key: string
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'
  readonly values?: readonly string[]
}

/** metav1.Condition. */
export interface Condition {
  readonly type: string
  readonly status: 'True' | 'False' | 'Unknown'
  readonly reason: string
  readonly message: string
  readonly observedGeneration: number
  readonly lastTransitionTime: string
}

/** Where a loaded object came from, so diagnostics can point at it. */
export interface ObjectSource {
  readonly file: string
  /** Index of the YAML document in the file (0-based). */
  readonly doc: number
}
