import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Metrics } from './metrics.ts'

/** The sample lines of one metric family, without HELP/TYPE. */
function series(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
}

test('requests are counted per listener, route rule, backend and code; labels are escaped and built at render', () => {
  const m = new Metrics()
  m.request('gw/http', 'httproute/default/a/rule/0', 'default/svc:80', 200, 3, null)
  m.request('gw/http', 'httproute/default/a/rule/0', 'default/svc:80', 200, 0.5, null)
  m.request('gw/http', 'httproute/default/a/rule/0', 'default/svc:80', 503, 20, 'boom')
  m.request('gw/http', null, null, 404, 1, 'no route')
  m.request('gw/"q"\\', '', null, 404, 1, null)
  const text = m.render()
  assert.deepEqual(series(text, 'switchyard_http_requests_total'), [
    'switchyard_http_requests_total{listener="gw/\\"q\\"\\\\",route="",code="404"} 1',
    'switchyard_http_requests_total{listener="gw/http",route="",code="404"} 1',
    'switchyard_http_requests_total{listener="gw/http",route="httproute/default/a/rule/0",code="200"} 2',
    'switchyard_http_requests_total{listener="gw/http",route="httproute/default/a/rule/0",code="503"} 1',
  ])
  assert.deepEqual(series(text, 'switchyard_backend_requests_total'), ['switchyard_backend_requests_total{backend="default/svc:80",code="200"} 2', 'switchyard_backend_requests_total{backend="default/svc:80",code="503"} 1'])
  assert.deepEqual(series(text, 'switchyard_http_request_errors_total'), [
    'switchyard_http_request_errors_total{listener="gw/http",route="",backend="",code="404"} 1',
    'switchyard_http_request_errors_total{listener="gw/http",route="httproute/default/a/rule/0",backend="default/svc:80",code="503"} 1',
  ])
})

test('histogram buckets are cumulative, +Inf equals the count', () => {
  const m = new Metrics()
  for (const ms of [0.5, 0.5, 3, 20, 20000]) m.request('l', 'r', 'b', 200, ms, null)
  const lines = series(m.render(), 'switchyard_backend_request_duration_seconds_bucket')
  const at = (le: string) => Number(lines.find((l) => l.includes(`le="${le}"`))!.split(' ')[1])
  assert.equal(at('0.001'), 2)
  assert.equal(at('0.0025'), 2)
  assert.equal(at('0.005'), 3)
  assert.equal(at('0.025'), 4)
  assert.equal(at('10'), 4)
  assert.equal(at('+Inf'), 5)
  assert.match(m.render(), /switchyard_backend_request_duration_seconds_count\{backend="b"\} 5/)
})
