import assert from 'node:assert/strict'
import { Command } from 'commander'
import { describe, test } from 'node:test'
import { SwitchyardError } from '../diag/index.ts'
import { addLimitOptions, limitsFrom, parseDurationMs, parseSize } from './limit-options.ts'

/** Parses `args` as a command with the limit flags, and returns what reaches RuntimeOptions.limits. */
function limitsOf(args: string[]): Record<string, number> {
  const command = addLimitOptions(new Command('x').exitOverride())
  command.parse(args, { from: 'user' })
  return limitsFrom(command.opts())
}

describe('limit flags', () => {
  const sizes: [string, number | undefined][] = [
    ['1', 1],
    ['1048576', 1048576],
    ['16k', 16 * 1024],
    ['16K', 16 * 1024],
    ['1m', 1024 ** 2],
    ['1g', 1024 ** 3],
    ['0', undefined],
    ['0k', undefined],
    ['1.5m', undefined],
    ['16kb', undefined],
    ['-1', undefined],
    ['k', undefined],
    ['', undefined],
    ['99999999999g', undefined],
  ]
  for (const [text, want] of sizes) test(`the size ${JSON.stringify(text)} is ${want ?? 'refused'}`, () => assert.equal(parseSize(text), want))

  const durations: [string, number | undefined][] = [
    ['500ms', 500],
    ['60s', 60_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['250', 250],
    ['0', undefined],
    ['0s', undefined],
    ['10 s', undefined],
    ['soon', undefined],
    ['-5s', undefined],
  ]
  for (const [text, want] of durations) test(`the duration ${JSON.stringify(text)} is ${want === undefined ? 'refused' : `${want} ms`}`, () => assert.equal(parseDurationMs(text), want))

  test('every flag reaches its field of Limits, with its unit applied', () => {
    assert.deepEqual(limitsOf(['--max-connections-per-port', '50', '--headers-timeout', '2s', '--request-timeout', '1m', '--max-header-bytes', '8k', '--max-body-bytes', '1m', '--keepalive-timeout', '300000']), {
      maxConnectionsPerPort: 50,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 60_000,
      maxHeaderBytes: 8192,
      maxBodyBytes: 1048576,
      keepAliveTimeoutMs: 300_000,
    })
  })

  test('flags left out are left out, so the runtime keeps its defaults', () => {
    assert.deepEqual(limitsOf([]), {})
    assert.deepEqual(limitsOf(['--max-body-bytes', '2k']), { maxBodyBytes: 2048 })
  })

  test('a malformed value stops with CLI_LIMIT naming the flag, what it wants and what it got', () => {
    for (const [flag, value, wants] of [
      ['--max-body-bytes', '12x', /a size in bytes/],
      ['--headers-timeout', 'soon', /a duration/],
      ['--max-connections-per-port', '0', /a positive whole number/],
      ['--max-connections-per-port', '1.5', /a positive whole number/],
    ] as const) {
      assert.throws(
        () => limitsOf([flag, value]),
        (e: unknown) => e instanceof SwitchyardError && e.code === 'CLI_LIMIT' && e.message.includes(flag) && e.message.includes(JSON.stringify(value)) && wants.test(e.message),
      )
    }
  })
})
