import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {parseOffsetRange, startOffset, stopOffset} from '../../../src/lib/consume/offset-spec.js'

const now = Date.parse('2026-11-23T12:00:00Z')
const bounds = {low: 10, high: 100}

describe('offset specs', () => {
  it('parses every start form', () => {
    assert.deepEqual(parseOffsetRange('beginning', now).start, {kind: 'beginning'})
    assert.deepEqual(parseOffsetRange('end', now).start, {kind: 'end'})
    assert.deepEqual(parseOffsetRange('42', now).start, {kind: 'offset', offset: 42})
    assert.deepEqual(parseOffsetRange('-5', now).start, {kind: 'fromEnd', count: 5})
    assert.deepEqual(parseOffsetRange('+5', now).start, {kind: 'fromBeginning', count: 5})
    assert.deepEqual(parseOffsetRange('@1700000000000', now).start, {kind: 'time', ms: 1700000000000})
    assert.deepEqual(parseOffsetRange('@2026-11-23T10:00:00Z', now), {start: {kind: 'time', ms: now - 7_200_000}})
    assert.deepEqual(parseOffsetRange('@-1h', now).start, {kind: 'time', ms: now - 3_600_000})
  })

  it('parses ranges, including ISO times with colons', () => {
    assert.deepEqual(parseOffsetRange(':end', now), {start: {kind: 'beginning'}, stop: {kind: 'end'}})
    assert.deepEqual(parseOffsetRange('10:20', now), {
      start: {kind: 'offset', offset: 10},
      stop: {kind: 'offset', offset: 20},
    })
    assert.deepEqual(parseOffsetRange('-5:+2', now), {
      start: {kind: 'fromEnd', count: 5},
      stop: {kind: 'count', count: 2},
    })
    assert.deepEqual(parseOffsetRange('@2026-11-23T10:00:00Z:@2026-11-23T11:00:00Z', now), {
      start: {kind: 'time', ms: now - 7_200_000},
      stop: {kind: 'time', ms: now - 3_600_000},
    })
    assert.deepEqual(parseOffsetRange('@-2h:@-1h', now), {
      start: {kind: 'time', ms: now - 7_200_000},
      stop: {kind: 'time', ms: now - 3_600_000},
    })
  })

  it('refuses what is not an offset, naming the flag', () => {
    assert.throws(() => parseOffsetRange('soon', now), /--offset: "soon" is not an offset/)
    assert.throws(() => parseOffsetRange('@yesterday', now), /not a time/)
    assert.throws(() => parseOffsetRange('1:later', now), /not a stop offset/)
  })

  it('resolves starts within the partition bounds', () => {
    assert.equal(startOffset({kind: 'beginning'}, bounds), 10)
    assert.equal(startOffset({kind: 'end'}, bounds), 100)
    assert.equal(startOffset({kind: 'offset', offset: 5}, bounds), 10)
    assert.equal(startOffset({kind: 'offset', offset: 500}, bounds), 100)
    assert.equal(startOffset({kind: 'fromEnd', count: 5}, bounds), 95)
    assert.equal(startOffset({kind: 'fromEnd', count: 500}, bounds), 10)
    assert.equal(startOffset({kind: 'fromBeginning', count: 5}, bounds), 15)
    assert.equal(startOffset({kind: 'time', ms: 1}, bounds, 42), 42)
  })

  it('resolves stops', () => {
    assert.equal(stopOffset(undefined, 10, bounds), undefined)
    assert.equal(stopOffset({kind: 'end'}, 10, bounds), 100)
    assert.equal(stopOffset({kind: 'offset', offset: 20}, 10, bounds), 20)
    assert.equal(stopOffset({kind: 'count', count: 3}, 95, bounds), 98)
    assert.equal(stopOffset({kind: 'time', ms: 1}, 10, bounds), 100, 'a time range also ends at the current end')
  })
})
