import { RESOURCE_TYPES, type ResourceTypeName } from './types.ts'

/** The API versions each resource type is accepted at (the versions Radius ships). */
export const API_VERSIONS: Readonly<Record<ResourceTypeName, readonly string[]>> = {
  [RESOURCE_TYPES.application]: ['2023-10-01-preview'],
  [RESOURCE_TYPES.container]: ['2025-08-01-preview'],
  [RESOURCE_TYPES.legacyContainer]: ['2023-10-01-preview'],
  [RESOURCE_TYPES.route]: ['2025-08-01-preview'],
  [RESOURCE_TYPES.gateway]: ['2023-10-01-preview'],
  [RESOURCE_TYPES.secretStore]: ['2023-10-01-preview'],
  [RESOURCE_TYPES.environment]: ['2025-08-01-preview'],
}

/** Routes and legacy gateways may send traffic to either kind of container resource. */
export const CONTAINER_TYPES: readonly ResourceTypeName[] = [RESOURCE_TYPES.container, RESOURCE_TYPES.legacyContainer]

/** Resource types that belong to an application (`properties.application` is required). */
export const APP_SCOPED: readonly ResourceTypeName[] = [RESOURCE_TYPES.container, RESOURCE_TYPES.legacyContainer, RESOURCE_TYPES.route, RESOURCE_TYPES.gateway]
