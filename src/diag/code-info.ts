/** What kind of error a code names (DESIGN.md §4: four kinds, never mixed). */
export type CodeKind = 'diagnostic' | 'condition' | 'ir' | 'operational'

export interface CodeInfo {
  readonly kind: CodeKind
  /** One line for docs/errors.md and `switchyard explain-code`. */
  readonly summary: string
}
