import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Route } from '../model/index.ts'
import { listenerTls } from './listener-tls.ts'
import type { PlatformListener } from './listeners.ts'
import type { HttpListenerPlan } from './precedence.ts'

const route = (name: string) => ({ type: 'Radius.Compute/routes', name, source: { file: 'app.yaml', line: 1, col: 1 } }) as Route
const plan = (...members: [string, PlatformListener][]): HttpListenerPlan => ({ listener: members[0]![1], members: members.map(([n, listener]) => ({ route: route(n), listener })), groups: [] })

test('certificates on one HTTPS port add up in route order, the environment’s once, each secret store once', () => {
  const https = (certificateStore?: string): PlatformListener => ({ port: 443, protocol: 'HTTPS', ...(certificateStore ? { certificateStore } : {}) })
  const tls = listenerTls(plan(['a', https()], ['b', https('shop-tls')], ['c', https()], ['d', https('shop-tls')], ['e', https('admin-tls')]), 'ecs', 'one ALB listener')
  assert.deepEqual(tls.certificates, [{ kind: 'environment' }, { kind: 'store', store: 'shop-tls' }, { kind: 'store', store: 'admin-tls' }])
  assert.deepEqual(tls.diagnostics, [])
})

test('HTTP and HTTPS on one port, or two minimum TLS versions, are a listener conflict at each later route', () => {
  const tls = listenerTls(
    plan(['first', { port: 443, protocol: 'HTTPS', minimumTlsVersion: '1.3' }], ['plain', { port: 443, protocol: 'HTTP' }], ['same', { port: 443, protocol: 'HTTPS', minimumTlsVersion: '1.3' }], ['older', { port: 443, protocol: 'HTTPS', minimumTlsVersion: '1.2' }]),
    'cloudrun',
    'one forwarding rule and target proxy',
  )
  assert.deepEqual(
    tls.diagnostics.map((d) => [d.code, d.resource, d.path]),
    [
      ['RENDER_LISTENER_CONFLICT', 'Radius.Compute/routes/plain', 'properties.kind'],
      ['RENDER_LISTENER_CONFLICT', 'Radius.Compute/routes/older', 'properties.tls.minimumProtocolVersion'],
    ],
  )
  assert.match(tls.diagnostics[0]!.message, /port 443 is one forwarding rule and target proxy with one protocol: route "first" needs HTTPS there, this one HTTP/)
  assert.equal(tls.minimumTlsVersion, '1.3')
})
