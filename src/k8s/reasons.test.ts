import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConditionType, isUnhealthy } from './reasons.ts'

test('a positive condition is unhealthy when False or Unknown, a negative one only when True', () => {
  for (const type of [ConditionType.Accepted, ConditionType.Programmed, ConditionType.ResolvedRefs]) {
    assert.equal(isUnhealthy({ type, status: 'True' }), false, type)
    assert.equal(isUnhealthy({ type, status: 'False' }), true, type)
    assert.equal(isUnhealthy({ type, status: 'Unknown' }), true, type)
  }
  for (const type of [ConditionType.Conflicted, ConditionType.PartiallyInvalid, ConditionType.OverlappingTLSConfig]) {
    assert.equal(isUnhealthy({ type, status: 'True' }), true, type)
    assert.equal(isUnhealthy({ type, status: 'False' }), false, type)
  }
})
