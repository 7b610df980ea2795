/**
 * translator — Gateway API objects → { IR snapshot, status per object, diagnostics }.
 *
 * Input: Gateway API YAML text (`loadObjects`: admission as a cluster would do it, with
 * file:line:col diagnostics) or already-typed objects (`translate`). Output: `ir.Snapshot` (what the
 * data plane serves), the status every GatewayClass, Gateway and Route would show in a cluster
 * (conditions with the spec's reasons), and diagnostics.
 * Invariants: pure and deterministic (time comes from `now`); never throws on bad input; invalid
 * objects are left out of the IR and explained in status or diagnostics. Rules:
 * ../../shared/research/gateway-api.md (cited by section in each file).
 */
export { loadObjects, type InputText, type LoadOptions, type LoadResult } from './load/load.ts'
export { LoadCache } from './load/load-cache.ts'
export { DEFAULT_CONTROLLER_NAME, translate, type ObjectStatus, type TranslateOptions, type TranslateResult } from './translate.ts'
export { translateTexts } from './translate-texts.ts'
export { compareSpecificity, hostnameMatches, intersectHostnames, selectMostSpecific } from './hostnames.ts'
export { comparePrecedence, pathPrefixMatches } from './precedence.ts'
