/**
 * The app model's parse + validate time (in-process): the model's share of every command's
 * start-up and of each reload in `run`. The first benchmark of the project, kept as a scenario.
 */
import type { Scenario } from '../scenario.ts'
import { markdownTable } from '../table.ts'
import { benchModelValidate } from './model-validate.ts'

export const modelScenario: Scenario = {
  name: 'model',
  summary: 'app model parse + validate at 100, 1,000 (and 10,000) containers + routes',
  async run(ctx) {
    const rounds = ctx.quick ? 3 : 7
    const sizes = ctx.quick ? [100, 1000] : [100, 1000, 10000]
    const rows = sizes.map((n) => {
      const r = benchModelValidate(n, rounds)
      ctx.log(`model ${n}: ${r.medianMs.toFixed(1)} ms`)
      return [`${n.toLocaleString('en-US')} containers + ${n.toLocaleString('en-US')} routes`, `${r.medianMs.toFixed(1)} ms`, `${r.perResourceUs.toFixed(1)} µs`]
    })
    return [{ title: `App model: parse + validate (${rounds} rounds, median)`, body: markdownTable(['size', 'median', 'per resource'], rows) }]
  },
}
