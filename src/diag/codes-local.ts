import type { CodeInfo } from './code-info.ts'

/** Codes for local runs (`switchyard run`, `switchyard certs`): local containers and the local CA. */
export const LOCAL_CODES = {
  LOCAL_CA_UNREADABLE: { kind: 'operational', summary: 'The local CA’s certificate or key exists but cannot be read or parsed.' },
  LOCAL_CA_WRITE_FAILED: { kind: 'operational', summary: 'The local CA could not be created in the config directory.' },
  LOCAL_CA_EXPORT_FAILED: { kind: 'operational', summary: '`switchyard certs --export FILE` could not write the file.' },
  LOCAL_PORT_UNAVAILABLE: { kind: 'operational', summary: 'A local container’s configured port (`local.<name>.ports`) is already in use, or no free port could be found.' },
  LOCAL_CERTIFICATE_FILE: { kind: 'diagnostic', summary: 'An environment certificate’s `certFile` or `keyFile` cannot be read.' },
  LOCAL_COMMAND_EXITED: { kind: 'operational', summary: 'A local container’s command exited or could not start; it is restarted with back-off.' },
  LOCAL_CERTIFICATE_ISSUED: { kind: 'diagnostic', summary: 'Note: a certificate the app takes from an existing Kubernetes Secret is issued by the local CA for a local run.' },
} as const satisfies Record<string, CodeInfo>
