import type { CodeInfo } from './code-info.ts'

/** Codes for rendering an app for a platform. */
export const RECIPE_CODES = {
  RENDER_INVALID_OBJECT: { kind: 'diagnostic', summary: 'A rendered object breaks its official schema (Gateway API CRD or Kubernetes type); nothing is written.' },
  RENDER_TLS_HOSTNAME_REQUIRED: { kind: 'diagnostic', summary: 'A TLS route (or a legacy gateway with sslPassthrough) has no hostname; a TLSRoute routes by SNI and must name at least one.' },
  RENDER_OUTPUT_FAILED: { kind: 'operational', summary: 'The rendered files could not be written to the output directory.' },
} as const satisfies Record<string, CodeInfo>
