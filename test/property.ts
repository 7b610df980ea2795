/**
 * fast-check parameters shared by the property and fuzz tests. A fixed seed keeps `npm test`
 * deterministic (a guard that depends on luck is no guard); `FC_SEED` explores other inputs and
 * `FC_RUNS` runs longer. fast-check prints the seed and the shrunk counterexample of any failure,
 * so `FC_SEED=<seed> npm test` reproduces it.
 */
export function propertyOptions(defaultRuns: number, defaultSeed = 20261121): { numRuns: number; seed: number } {
  return { numRuns: Number(process.env.FC_RUNS ?? defaultRuns), seed: Number(process.env.FC_SEED ?? defaultSeed) }
}
