/**
 * `npm run bench [-- --quick]`: runs the benchmarks and prints a table of medians. Not part of
 * `npm test`: timings belong here, where they are measured, not asserted in unit tests.
 * Results and the machine they came from are recorded in docs/performance.md.
 */
import { cpus } from 'node:os'
import { benchModelValidate } from './model-validate.ts'

const quick = process.argv.includes('--quick')
const rounds = quick ? 3 : 7
const sizes = quick ? [100, 1000] : [100, 1000, 10000]

process.stdout.write(`Switchyard benchmarks — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${rounds} rounds, medians\n\n`)
process.stdout.write('| benchmark | size | median | per resource |\n|---|---:|---:|---:|\n')
for (const n of sizes) {
  const r = benchModelValidate(n, rounds)
  process.stdout.write(`| model: parse + validate | ${n} containers + ${n} routes | ${r.medianMs.toFixed(1)} ms | ${r.perResourceUs.toFixed(1)} µs |\n`)
}
