import { validateApp } from '../../src/model/index.ts'

/**
 * How long `validate` takes on an app of `n` containers, each with one HTTP route of two matches:
 * the model's share of every command's start-up and of each reload in `run`.
 */
export function generateApp(n: number): string {
  const lines = ['- type: Applications.Core/applications@2023-10-01-preview', '  name: big']
  for (let i = 0; i < n; i++) {
    lines.push(
      `- type: Radius.Compute/containers@2025-08-01-preview`,
      `  name: svc-${i}`,
      `  properties: { application: big, container: { image: example/svc:${i}, ports: { web: { containerPort: ${8000 + (i % 1000)} } } } }`,
      `- type: Radius.Compute/routes@2025-08-01-preview`,
      `  name: route-${i}`,
      `  properties:`,
      `    application: big`,
      `    hostnames: [svc-${i}.example.com]`,
      `    rules:`,
      `      - matches: [{ path: /api/${i}, httpMethod: GET, httpHeaders: [{ name: x-tenant, value: t${i} }] }, { path: /v2/${i} }]`,
      `        destinationContainerId: svc-${i}`,
    )
  }
  return lines.join('\n') + '\n'
}

export function benchModelValidate(n: number, rounds: number): { n: number; medianMs: number; perResourceUs: number } {
  const text = generateApp(n)
  const times: number[] = []
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now()
    const result = validateApp([{ file: 'big.yaml', text }])
    times.push(performance.now() - t0)
    if (!result.app) throw new Error(`the generated app is invalid: ${result.diagnostics[0]?.message}`)
  }
  times.sort((a, b) => a - b)
  const medianMs = times[Math.floor(times.length / 2)]!
  return { n, medianMs, perResourceUs: (medianMs * 1000) / (2 * n + 1) }
}
