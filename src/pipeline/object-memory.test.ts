import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { K8sObject } from '../k8s/index.ts'
import { ObjectMemory } from './object-memory.ts'

const route = (path: string, now: string, generation = 1) =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default', labels: {}, annotations: {}, creationTimestamp: now, generation }, spec: { rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }] }] } }) as unknown as K8sObject

test('an object keeps its first-seen creationTimestamp and its generation goes up only when its spec changes', () => {
  const m = new ObjectMemory()
  const [first] = m.remember([route('/a', 'T1')], 'T1')
  assert.equal(first!.metadata.creationTimestamp, 'T1')
  assert.equal(first!.metadata.generation, 1)
  const [same] = m.remember([route('/a', 'T2')], 'T2')
  assert.deepEqual([same!.metadata.creationTimestamp, same!.metadata.generation], ['T1', 1])
  const [changed] = m.remember([route('/b', 'T3')], 'T3')
  assert.deepEqual([changed!.metadata.creationTimestamp, changed!.metadata.generation], ['T1', 2])
})

test('a generation given in the file wins, and a removed object is forgotten', () => {
  const m = new ObjectMemory()
  assert.equal(m.remember([route('/a', 'T1', 7)], 'T1')[0]!.metadata.generation, 7)
  m.remember([], 'T2')
  assert.equal(m.remember([route('/a', 'T3')], 'T3')[0]!.metadata.creationTimestamp, 'T3')
})

test('an object handed in again with the very same spec value (from the load cache) keeps its generation; a new spec value is compared by content', () => {
  const m = new ObjectMemory()
  const a = route('/a', 'T1')
  m.remember([a], 'T1')
  // The load cache restamps with a copy whose top-level values are the same references.
  const again = { ...a, metadata: { ...a.metadata, creationTimestamp: 'T2' } } as K8sObject
  assert.equal(m.remember([again], 'T2')[0]!.metadata.generation, 1)
  assert.equal(m.remember([route('/a', 'T3')], 'T3')[0]!.metadata.generation, 1)
  assert.equal(m.remember([route('/c', 'T4')], 'T4')[0]!.metadata.generation, 2)
})
