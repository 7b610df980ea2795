import type { App } from './types.ts'

export const REDACTED = '[redacted]'

/**
 * The app with every secret value and inline private key replaced by `[redacted]`: what may be
 * printed, logged or written to a golden file. Private keys never leave in output.
 */
export function redactApp(app: App): App {
  return {
    ...app,
    secretStores: app.secretStores.map((s) => ({
      ...s,
      data: Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, v.value === undefined ? v : { ...v, value: REDACTED }])),
    })),
    ...(app.environment
      ? {
          environment: {
            ...app.environment,
            certificates: Object.fromEntries(Object.entries(app.environment.certificates).map(([k, c]) => [k, c.key === undefined ? c : { ...c, key: REDACTED }])),
            gateways: app.environment.gateways.map((o) => (o.kind === 'Secret' ? { ...o, ...(o.data ? { data: REDACTED } : {}), ...(o.stringData ? { stringData: REDACTED } : {}) } : o)),
          },
        }
      : {}),
  }
}
