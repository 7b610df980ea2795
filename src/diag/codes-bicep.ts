import type { CodeInfo } from './code-info.ts'

/** Codes for reading Bicep files (src/bicep): syntax, the supported subset, evaluation, parameters. */
export const BICEP_CODES = {
  BICEP_SYNTAX: { kind: 'diagnostic', summary: 'The file is not well-formed Bicep: an unexpected token, an unterminated string or comment, an unknown escape sequence.' },
  BICEP_NOT_SUPPORTED: { kind: 'diagnostic', summary: 'Valid Bicep outside the subset Switchyard reads (modules, loops, conditions, user-defined types and functions, most built-in functions).' },
  BICEP_PLACEHOLDER: { kind: 'diagnostic', summary: '`{ ... }` or `...` stands for text a documentation example left out; write it.' },
  BICEP_UNDEFINED: { kind: 'diagnostic', summary: 'A name is used that no param, var or resource declares.' },
  BICEP_DUPLICATE: { kind: 'diagnostic', summary: 'A name is declared twice, or an object literal has a key twice.' },
  BICEP_TYPE: { kind: 'diagnostic', summary: 'A value has the wrong type for an operator, a function or a declared parameter type.' },
  BICEP_EVAL: { kind: 'diagnostic', summary: 'An expression cannot be evaluated: a missing property, an index out of range, a division by zero, a value too large.' },
  BICEP_CYCLE: { kind: 'diagnostic', summary: 'Declarations refer to each other in a cycle, or a resource refers to itself.' },
  BICEP_DEPLOY_TIME_VALUE: { kind: 'diagnostic', summary: 'An expression needs a value only a deployment knows (a property Radius computes, a property of an `existing` resource).' },
  BICEP_PARAMETER: { kind: 'diagnostic', summary: 'A parameter has no value, a value of the wrong type or outside its decorators’ limits, or a `-p` names no parameter.' },
  BICEP_PARAMETERS_FILE: { kind: 'diagnostic', summary: 'A parameters file given with `-p @file.json` is not JSON, or not an ARM parameters file or a plain object.' },
  BICEP_LOAD_FAILED: { kind: 'diagnostic', summary: '`loadTextContent()` (or another load function) cannot read the file it names.' },
} as const satisfies Record<string, CodeInfo>
