import type { CodeInfo } from './code-info.ts'

/** Codes for command-line usage. */
export const CLI_CODES = {
  CLI_USAGE: { kind: 'operational', summary: 'A command-line value is malformed (for example an address that is not host:port).' },
  CLI_NO_INPUT: { kind: 'operational', summary: 'A command that reads files was given none.' },
} as const satisfies Record<string, CodeInfo>
