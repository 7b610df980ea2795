import { existsSync, readFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where `npm run build:dashboard` (run by `npm ci`'s prepare step) writes the dashboard: `dist/dashboard/`
 * at the package root, the same place whether this file runs from src/ or from a build in dist/.
 */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/dashboard/', import.meta.url))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
}

/**
 * Serves one built file of the dashboard: `/` is index.html; other names must be plain file names
 * in the folder (no `/`, no `..`), so nothing outside it can be read. False when there is no such
 * file, so the caller answers 404.
 */
export function serveAsset(dir: string, pathname: string, res: ServerResponse): boolean {
  const name = pathname === '/' ? 'index.html' : pathname.slice(1)
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || !(extname(name) in TYPES)) return false
  const file = join(dir, name)
  if (!existsSync(file)) {
    if (name !== 'index.html') return false
    const text = 'The dashboard is not built. Run `npm run build:dashboard` (`npm ci` does it for you), then reload.\n'
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
    res.end(text)
    return true
  }
  const body = readFileSync(file)
  res.writeHead(200, { 'content-type': TYPES[extname(name)]!, 'content-length': body.length, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' })
  res.end(body)
  return true
}
