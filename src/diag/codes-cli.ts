import type { CodeInfo } from './code-info.ts'

/** Codes for command-line usage. */
export const CLI_CODES = {
  CLI_USAGE: { kind: 'operational', summary: 'A command-line value is malformed (for example an address that is not host:port).' },
  CLI_LIMIT: { kind: 'operational', summary: 'A limit flag of serve or run (--max-body-bytes, --headers-timeout, …) has a value that is not a size, a duration or a positive number.' },
  CLI_NO_INPUT: { kind: 'operational', summary: 'A command that reads files was given none.' },
} as const satisfies Record<string, CodeInfo>
