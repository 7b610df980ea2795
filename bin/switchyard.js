#!/usr/bin/env node
// The published package ships dist/; a checkout runs the TypeScript sources directly
// (Node >= 22.18 strips types), so `npx switchyard` works right after `npm ci`.
import { existsSync } from 'node:fs'
const built = new URL('../dist/cli/main.js', import.meta.url)
await import(existsSync(built) ? built.href : new URL('../src/cli/main.ts', import.meta.url).href)
