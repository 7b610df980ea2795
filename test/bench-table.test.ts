import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadTable, median, rotation, summarise, type Round, type Sample } from '../bench/table.ts'
import { parseWrk } from '../bench/wrk.ts'

// wrk 4.1 output as printed with --latency: one run with non-2xx answers, one with socket errors.
const NON_2XX = `Running 1s test @ http://127.0.0.1:18081/e
  1 threads and 5 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   686.72us    2.37ms  30.83ms   94.30%
    Req/Sec    50.39k    26.54k   69.92k    80.00%
  Latency Distribution
     50%   67.00us
     75%  129.00us
     90%    1.61ms
     99%   11.93ms
  50042 requests in 1.00s, 6.82MB read
  Non-2xx or 3xx responses: 50042
Requests/sec:  49976.98
Transfer/sec:      6.82MB
`

const SOCKET_ERRORS = `Running 10s test @ https://localhost:8443/1m
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20s   300.50ms   2.00s    70.00%
    Req/Sec     1.85k   120.00     2.10k    75.00%
  Latency Distribution
     50%    1.10s
     75%    1.40s
     90%    1.80s
     99%    2.00s
  18480 requests in 10.00s, 18.05GB read
  Socket errors: connect 1, read 2, write 3, timeout 4
Requests/sec:   1848.00
Transfer/sec:      1.81GB
`

test('wrk output parses into throughput, transfer, latency percentiles and errors', { timeout: 10_000 }, () => {
  const s = parseWrk(NON_2XX)
  assert.equal(s.rps, 49976.98)
  assert.equal(s.requests, 50042)
  assert.equal(s.bytesPerSec, 6.82 * 1024 * 1024)
  assert.equal(s.p50Ms, 0.067)
  assert.equal(s.p99Ms, 11.93)
  assert.ok(Math.abs(s.avgMs - 0.68672) < 1e-9)
  assert.equal(s.perThreadRps, 50390)
  assert.equal(s.non2xx, 50042)
  assert.equal(s.socketErrors, 0)
  assert.equal(s.socketErrorDetail, '')
})

test('wrk latencies in seconds, sizes in GB and every kind of socket error are counted', { timeout: 10_000 }, () => {
  const s = parseWrk(SOCKET_ERRORS)
  assert.equal(s.p50Ms, 1100)
  assert.equal(s.p99Ms, 2000)
  assert.equal(s.bytesPerSec, 1.81 * 1024 ** 3)
  assert.equal(s.socketErrors, 10)
  assert.equal(s.socketErrorDetail, 'connect 1, read 2, write 3, timeout 4')
  assert.equal(s.non2xx, 0)
})

test('wrk output without a Requests/sec line is an error, not a zero', { timeout: 10_000 }, () => {
  assert.throws(() => parseWrk('unable to connect to 127.0.0.1:18082 Connection refused\n'), /no Requests\/sec line/)
})

test('the median of an odd count is the middle value, of an even count the mean of the two middle ones', { timeout: 10_000 }, () => {
  assert.equal(median([3, 1, 2]), 2)
  assert.equal(median([4, 1, 3, 2]), 2.5)
  assert.equal(median([5, Number.NaN, 1, 3]), 3)
  assert.ok(Number.isNaN(median([])))
})

test('each round starts with the next target, so every target runs first once in as many rounds', { timeout: 10_000 }, () => {
  const t = ['a', 'b', 'c']
  assert.deepEqual([0, 1, 2, 3].map((r) => rotation(t, r).join('')), ['abc', 'bca', 'cab', 'abc'])
  assert.deepEqual(rotation([], 2), [])
})

function sample(rps: number, p50Ms: number, errors = 0): Sample {
  return { rps, bytesPerSec: rps * 100, requests: rps, p50Ms, p99Ms: p50Ms * 4, avgMs: p50Ms, perThreadRps: rps, socketErrors: errors, socketErrorDetail: '', non2xx: 0 }
}

test('ratios are taken within each round, then the median of the ratios is reported', { timeout: 10_000 }, () => {
  // The machine slows down by half in round 2: per-round ratios stay 0.5, a ratio of medians would not.
  const rounds: Round[] = [
    new Map([['direct', sample(1000, 0.1)], ['nginx', sample(400, 0.3)], ['x', sample(200, 0.5)]]),
    new Map([['direct', sample(500, 0.2)], ['nginx', sample(200, 0.6)], ['x', sample(100, 1.0, 3)]]),
    new Map([['direct', sample(1000, 0.1)], ['nginx', sample(400, 0.3)], ['x', sample(200, 0.5)]]),
  ]
  const rows = summarise(['direct', 'nginx', 'x'], rounds, ['direct', 'nginx'])
  const x = rows[2]!
  assert.equal(x.value, 200)
  assert.equal(x.ratios.get('direct'), 0.2)
  assert.equal(x.ratios.get('nginx'), 0.5)
  assert.ok(Math.abs(x.addedP50Ms! - 0.4) < 1e-9)
  assert.equal(x.socketErrors, 3)
  assert.equal(x.rounds, 3)
  assert.equal(rows[0]!.ratios.get('direct'), 1)
})

test('a target missing from a round is left out of that round, and a baseline never measured gives no ratio', { timeout: 10_000 }, () => {
  const rounds: Round[] = [new Map([['direct', sample(1000, 0.1)], ['x', sample(300, 0.2)]]), new Map([['direct', sample(1000, 0.1)]])]
  const [row] = summarise(['x'], rounds, ['direct', 'nginx'])
  assert.equal(row!.rounds, 1)
  assert.equal(row!.ratios.get('direct'), 0.3)
  assert.equal(row!.ratios.get('nginx'), null)
})

test('the load table shows ratios, latencies, errors and why a target was not measured', { timeout: 10_000 }, () => {
  const rounds: Round[] = [new Map([['direct', sample(100_000, 0.05)], ['nginx', sample(40_000, 0.2)], ['switchyard', sample(24_000, 0.15, 2)]])]
  const text = loadTable(summarise(['direct', 'nginx', 'switchyard'], rounds, ['direct', 'nginx']), ['direct', 'nginx'], 'rps', new Map([['haproxy', 'not installed']]))
  const lines = text.trimEnd().split('\n')
  assert.equal(lines[0], '| target | req/s | vs direct | vs nginx | p50 | p99 | p50 added vs direct | errors |')
  assert.equal(lines[4], '| switchyard | 24,000 | 0.24× | 0.60× | 0.150 ms | 0.600 ms | 0.100 ms | 2 socket, 0 non-2xx |')
  assert.equal(lines[5], '| haproxy | n/a (not installed) |  |  |  |  |  |  |')
  assert.equal(lines[2]!.split('|')[7]!.trim(), '–', 'the baseline adds nothing over itself')
})
