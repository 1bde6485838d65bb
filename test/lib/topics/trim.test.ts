// `topic trim` and `topic offsets` from plain data: how --before and --at are read, and what is printed.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {atTimeNote, parseTimeFlag, renderTopicOffsets} from '../../../src/lib/topics/offsets-report.js'
import {type TrimResult, parseTrimPoint, renderTrimPlan, trimQuestion} from '../../../src/lib/topics/trim.js'

const now = Date.parse('2026-11-30T12:00:00Z')

describe('--at', () => {
  it('reads a time as consume -o @... does, with or without the @', () => {
    assert.equal(parseTimeFlag('@2026-11-30T10:00Z', '--at', now), Date.parse('2026-11-30T10:00:00Z'))
    assert.equal(parseTimeFlag('2026-11-30T10:00Z', '--at', now), Date.parse('2026-11-30T10:00:00Z'))
    assert.equal(parseTimeFlag('@-1h', '--at', now), now - 3_600_000)
    assert.equal(parseTimeFlag('@1764496800000', '--at', now), 1764496800000)
  })

  it('refuses offsets, ranges and what is not a time', () => {
    assert.throws(() => parseTimeFlag('@soon', '--at', now), /--at: "@soon" is not a time/)
    assert.throws(() => parseTimeFlag('@-1h:@-10m', '--at', now), /not a point in time/)
    assert.throws(() => parseTimeFlag('end', '--at', now), /not a time/)
  })
})

describe('topic offsets output', () => {
  it('adds the offset at the time and its timestamp, or "-" where no message is that recent', () => {
    const result = {
      topic: 'orders',
      at: Date.parse('2026-11-30T10:00:00Z'),
      partitions: [
        {partition: 0, earliest: 0, latest: 10, atTime: {offset: 4, timestamp: Date.parse('2026-11-30T10:00:01Z')}},
        {partition: 1, earliest: 2, latest: 3, atTime: {offset: 3, timestamp: null}},
      ],
    }
    assert.deepEqual(renderTopicOffsets(result).split('\n'), [
      'PARTITION  EARLIEST  LATEST  OFFSET-AT-TIME  TIMESTAMP',
      '0          0         10      4               2026-11-30T10:00:01.000Z',
      '1          2         3       3               - (none that recent)',
    ])
    assert.match(atTimeNote(result) ?? '', /^Offsets at 2026-11-30T10:00:00\.000Z: /)
    const plain = {...result, at: null, partitions: [{partition: 0, earliest: 0, latest: 1, atTime: null}]}
    assert.deepEqual(renderTopicOffsets(plain).split('\n'), ['PARTITION  EARLIEST  LATEST', '0          0         1'])
    assert.equal(atTimeNote(plain), undefined)
  })
})

describe('--before', () => {
  it('reads a point as consume -o reads a start', () => {
    assert.deepEqual(parseTrimPoint('100', now), {kind: 'offset', offset: 100})
    assert.deepEqual(parseTrimPoint('-5', now), {kind: 'fromEnd', count: 5})
    assert.deepEqual(parseTrimPoint('end', now), {kind: 'end'})
    assert.deepEqual(parseTrimPoint('@-7d', now), {kind: 'time', ms: now - 7 * 86_400_000})
    assert.throws(() => parseTrimPoint('100:200', now), /--before 100:200: give one point, not a range/)
    assert.throws(() => parseTrimPoint('soon', now), /--before: "soon" is not an offset/)
  })

  it('prints the plan, and asks about what goes', () => {
    const plan: TrimResult = {
      topic: 'orders',
      before: '100',
      dryRun: false,
      applied: false,
      partitions: [
        {partition: 0, earliest: 0, latest: 250, newEarliest: 100, deleted: 100},
        {partition: 1, earliest: 120, latest: 130, newEarliest: 120, deleted: 0},
      ],
    }
    assert.deepEqual(renderTrimPlan(plan).split('\n'), [
      'PARTITION  EARLIEST  LATEST  NEW-EARLIEST  TO-DELETE',
      '0          0         250     100           100',
      '1          120       130     120           0',
    ])
    assert.equal(trimQuestion(plan), 'Delete 100 messages of topic "orders" (partition 0)?')
    assert.match(renderTrimPlan({...plan, applied: true}), /DELETED$/m)
  })
})
