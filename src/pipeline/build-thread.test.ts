import assert from 'node:assert/strict'
import { test } from 'node:test'
import { InlineBuilder, ThreadBuilder } from './build-thread.ts'
import type { BuildRequest } from './config-builder.ts'

const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: c }
spec: { controllerName: switchyard.dev/gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec: { gatewayClassName: c, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r }
spec: { parentRefs: [{ name: gw }], rules: [{ matches: [{ path: { type: PathPrefix, value: /a } }], filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: x, value: "1" }] } }] }] }
`
const request = (text: string, now = '2026-01-01T00:00:00Z'): BuildRequest => ({ inputs: [{ file: 'gw.yaml', text }], prepared: [], now, liveCertificateProblems: null })

test('a build on the worker thread comes back equal to the same build in this thread', { timeout: 30_000 }, async () => {
  const inline = new InlineBuilder()
  const thread = new ThreadBuilder()
  try {
    const a = await inline.build(request(gateway))
    const b = await thread.build(request(gateway))
    assert.equal(a.kind, 'built')
    assert.equal(b.kind, 'built')
    if (a.kind !== 'built' || b.kind !== 'built') return
    assert.deepEqual(b.ir, a.ir)
    assert.deepEqual(b.statuses, a.statuses)
    assert.deepEqual(b.diagnostics, a.diagnostics)
    assert.equal(b.key, a.key)
    // The key ignores the clock, so an unchanged file is recognised as unchanged.
    const second = await thread.build(request(gateway, '2026-01-02T00:00:00Z'))
    const third = await thread.build(request(gateway, '2026-01-03T00:00:00Z'))
    assert.equal(third.kind === 'built' && third.key, second.kind === 'built' && second.key)
  } finally {
    await thread.close()
  }
})

test('a rejection on the worker thread carries the diagnostics with file and line', { timeout: 30_000 }, async () => {
  const thread = new ThreadBuilder()
  try {
    const r = await thread.build(request(`${gateway}---\nkind: [\n`))
    assert.equal(r.kind, 'rejected')
    const d = r.kind === 'rejected' ? r.errors[0] : undefined
    assert.equal(d?.code, 'INPUT_YAML_SYNTAX')
    assert.equal(d?.source?.file, 'gw.yaml')
    // Line 17: the end of the file, where the flow sequence opened on line 16 should have closed.
    assert.equal(d?.source?.line, 17)
  } finally {
    await thread.close()
  }
})

test('a request that cannot cross to the thread is refused, and the builder goes on', { timeout: 30_000 }, async () => {
  const thread = new ThreadBuilder()
  try {
    await assert.rejects(thread.build({ ...request(gateway), now: (() => '') as unknown as string }))
    assert.equal((await thread.build(request(gateway))).kind, 'built')
  } finally {
    await thread.close()
  }
})

test('a worker thread that dies rejects the build in flight with PIPELINE_REJECTED, and the next build starts a new one', { timeout: 30_000 }, async () => {
  const dies = new URL(`data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3))")}`)
  const thread = new ThreadBuilder(dies)
  try {
    for (let i = 0; i < 2; i++) {
      const r = await thread.build(request(gateway))
      assert.equal(r.kind, 'rejected')
      assert.equal(r.kind === 'rejected' && r.errors[0]?.code, 'PIPELINE_REJECTED')
      assert.match(r.kind === 'rejected' ? r.errors[0]!.message : '', /stopped \(exit code 3\)/)
    }
  } finally {
    await thread.close()
  }
})
