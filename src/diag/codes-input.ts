import type { CodeInfo } from './code-info.ts'

/** Codes for reading files of any kind (app model, environment, Gateway API YAML). */
export const INPUT_CODES = {
  INPUT_FILE_NOT_FOUND: { kind: 'operational', summary: 'A file named on the command line does not exist.' },
  INPUT_FILE_UNREADABLE: { kind: 'operational', summary: 'A file exists but cannot be read (permissions, a directory, an I/O error).' },
  INPUT_YAML_SYNTAX: { kind: 'diagnostic', summary: 'The file is not well-formed YAML or JSON.' },
  INPUT_YAML_WARNING: { kind: 'diagnostic', summary: 'The YAML parser accepted the file but warns about it (for example a duplicate key).' },
  INPUT_NOT_RESOURCES: { kind: 'diagnostic', summary: 'A document is neither a resource nor a list of resources.' },
  INPUT_EMPTY: { kind: 'diagnostic', summary: 'The files given hold no resources at all.' },
} as const satisfies Record<string, CodeInfo>
