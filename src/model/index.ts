/**
 * model — the app model developers and platform engineers write.
 *
 * Input: app and environment files (YAML streams, lists of resources, or JSON). Output: a
 * normalized `App` plus diagnostics. Two layers of checks: the JSON Schemas published under
 * schemas/ (structure), then semantic rules (references, ports, Radius's own gateway and secret
 * store rules with Radius's texts). Invariant: an `App` is returned only when there are no errors;
 * every problem in the input is reported in one run. May import diag and util.
 */
export { connectionEnv, connectionVar, findServicePort, type ConnectionTarget, type PlaceTarget } from './connections.ts'
export { describeApp, describeMatch } from './describe.ts'
export type { SourceFile } from './load.ts'
export { parseResourceId, resourceId } from './resource-id.ts'
export { serviceName } from './service-name.ts'
export type * from './types.ts'
export { HTTP_METHODS, RESOURCE_TYPES, ROUTE_KINDS, SECRET_STORE_TYPES } from './types.ts'
export { redactApp, REDACTED } from './redact.ts'
export { validateApp, type ValidateResult } from './validate.ts'
