/**
 * CloudFormation logical IDs: alphanumeric, unique in the template (AWS CloudFormation User Guide,
 * "Resources": "The logical ID must be alphanumeric (A-Za-z0-9) and unique within the template").
 * Built from the app's own names so a template reads like the app.
 */
export function logicalId(...parts: readonly (string | number)[]): string {
  return parts
    .flatMap((p) => String(p).split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
}

/** A hostname in a logical ID: `*.example.com` → `WildcardExampleCom`. */
export function hostId(hostname: string | null): string {
  if (hostname === null) return ''
  return logicalId('host', hostname.replace(/^\*\./, 'wildcard.'))
}

/** CloudFormation's intrinsic `Ref`: a parameter's value, or a resource's ARN for ELB resources. */
export const ref = (id: string) => ({ Ref: id }) as const
