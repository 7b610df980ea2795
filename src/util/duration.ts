const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * Parses a Go duration (`time.ParseDuration`, which Radius uses for gateway timeouts): one or more
 * `<number><unit>` terms such as `1h30m` or `2.5s`; a bare `0` is zero. Returns milliseconds, or
 * undefined when the text is not a duration. Negative durations are refused: no timeout is negative.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0
  if (!/^(\d+(\.\d+)?(ns|us|µs|μs|ms|s|m|h))+$/.test(text)) return undefined
  let total = 0
  for (const [, num, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(num) * UNIT_MS[unit!]!
  return total
}

/**
 * Parses a Gateway API Duration (GEP-2257): `^([0-9]{1,5}(h|m|s|ms)){1,4}$`. Returns milliseconds
 * or undefined.
 */
export function parseGatewayDuration(text: string): number | undefined {
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(text)) return undefined
  return parseGoDuration(text)
}
