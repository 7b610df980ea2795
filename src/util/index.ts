/**
 * util — small pure helpers with no domain knowledge.
 *
 * Input/output: values in, values out; no I/O. May import only diag (for types).
 */
export { canonicalYaml } from './canonical-yaml.ts'
export { didYouMean, editDistance } from './did-you-mean.ts'
export { parseGatewayDuration, parseGoDuration } from './duration.ts'
export { normalizePath, type NormalizedPath } from './normalize-path.ts'
export { isDnsLabel, isGatewayHostname, k8sName, RADIUS_NAME_MAX, RADIUS_NAME_PATTERN } from './names.ts'
export { parseYamlDocuments, type ParsedYaml, type YamlDoc } from './yaml-source.ts'
export { splitYamlDocuments, type YamlPiece } from './yaml-split.ts'
