// Compiles src/ to JavaScript (`npm run build`) and copies beside it the files the code reads at
// run time by their path next to the module (the Gateway API CRDs the translator validates
// against), so the built CLI behaves as the sources do. bin/switchyard.js prefers dist/ once it
// exists. `node scripts/build.ts [outDir]`: outDir must sit in the repository's root, because the
// compiled modules import schemas/ by a relative path.
import { execFileSync } from 'node:child_process'
import { cpSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Files read at run time through `import.meta.url`, relative to src/. */
export const RUNTIME_ASSETS = ['translator/load/crds']

export function buildTo(outDir = join(ROOT, 'dist')): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' })
  for (const a of RUNTIME_ASSETS) cpSync(join(ROOT, 'src', a), join(outDir, a), { recursive: true })
}

if (import.meta.main) buildTo(process.argv[2] ? resolve(process.argv[2]) : undefined)
