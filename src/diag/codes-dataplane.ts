import type { CodeInfo } from './code-info.ts'

/** Codes for the gateway data plane (`DP_`), the reload pipeline (`PIPELINE_`) and the admin API (`ADMIN_`). */
export const DATAPLANE_CODES = {
  DP_BIND_FAILED: { kind: 'operational', summary: 'A listener port could not be bound (in use, no permission, or the address is not local).' },
  PIPELINE_REJECTED: { kind: 'diagnostic', summary: 'A reload was rejected (unreadable file, YAML errors, or IR invariant errors); the last good configuration stays live.' },
  PIPELINE_IR_INVALID: { kind: 'ir', summary: 'The translated configuration broke an IR invariant; it was not published.' },
  ADMIN_BIND_FAILED: { kind: 'operational', summary: 'The admin API address could not be bound.' },
} as const satisfies Record<string, CodeInfo>
