// The e2e stamp: written and read back exactly, and only this run's values are recognised.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {fillerValue, newRunId, readStamp, stamp, stampBytes} from '../../../src/lib/perf/payload.js'

describe('perf payload', () => {
  it('fills values with printable letters', () => {
    const value = fillerValue(1000)
    assert.equal(value.length, 1000)
    assert.match(value.toString('latin1'), /^[A-Z]+$/)
  })

  it('reads back the sequence number and the send time to the sub-microsecond', () => {
    const run = newRunId()
    const value = fillerValue(100)
    stamp(value, run, 123_456_789, 98_765.4321)
    assert.deepEqual(readStamp(Buffer.from(value), run), {seq: 123_456_789, sentAtMs: 98_765.4321})
    assert.match(value.subarray(stampBytes).toString('latin1'), /^[A-Z]+$/, 'the rest stays filler')
  })

  it('ignores values of other runs, short values and tombstones', () => {
    const run = newRunId()
    const value = fillerValue(stampBytes)
    stamp(value, newRunId(), 1, 1)
    assert.equal(readStamp(value, run), undefined)
    assert.equal(readStamp(Buffer.alloc(stampBytes - 1), run), undefined)
    assert.equal(readStamp(null, run), undefined)
  })
})
