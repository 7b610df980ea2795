// Builds the dashboard (web/dashboard, Preact + TSX) into dist/dashboard, which the admin API
// serves at `/`. Run by `npm ci` (the `prepare` script) and by the browser tests, so a fresh clone
// needs no extra step. `node scripts/build-dashboard.ts [outDir]`.
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const DASHBOARD_SOURCES = join(ROOT, 'web/dashboard')

/** Bundles and minifies the app into `outDir` (index.html, app.js, app.css and their source maps). */
export async function buildDashboard(outDir = join(ROOT, 'dist/dashboard')): Promise<void> {
  mkdirSync(outDir, { recursive: true })
  await build({
    entryPoints: [join(DASHBOARD_SOURCES, 'src/main.tsx')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'warning',
  })
  copyFileSync(join(DASHBOARD_SOURCES, 'index.html'), join(outDir, 'index.html'))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDashboard(process.argv[2])
