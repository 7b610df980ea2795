/**
 * A container port name (IANA_SVC_NAME: at most 15 characters, lower case, at least one letter),
 * or undefined when the model's port name cannot be one; the name is optional on container ports.
 */
export function containerPortName(name: string): string | undefined {
  const n = name.toLowerCase()
  return n.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n) && /[a-z]/.test(n) && !n.includes('--') ? n : undefined
}

