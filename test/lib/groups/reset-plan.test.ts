// The rules of `kcli group reset-offsets` with plain data: targets, --topic scopes, and the plan with its clamping.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {KcliError} from '../../../src/lib/errors.js'
import {tpKey} from '../../../src/lib/kafka/offsets.js'
import {
  type ResetTarget,
  clampedSummary,
  parseResetTarget,
  parseTopicScopes,
  planReset,
} from '../../../src/lib/groups/reset-plan.js'

const usage = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof KcliError && err.exit === 2 && message.test(err.message))

describe('parseResetTarget', () => {
  const now = Date.parse('2026-03-01T12:00:00Z')

  it('maps each flag to its target', () => {
    assert.deepEqual(parseResetTarget({'to-earliest': true}), {kind: 'earliest'})
    assert.deepEqual(parseResetTarget({'to-latest': true}), {kind: 'latest'})
    assert.deepEqual(parseResetTarget({'to-offset': 0}), {kind: 'offset', offset: 0})
    assert.deepEqual(parseResetTarget({'shift-by': '-5'}), {kind: 'shift', by: -5})
    assert.deepEqual(parseResetTarget({'shift-by': '+7'}), {kind: 'shift', by: 7})
    assert.deepEqual(parseResetTarget({'to-datetime': '2026-01-31T12:00:00Z'}), {
      kind: 'time',
      timestamp: Date.parse('2026-01-31T12:00:00Z'),
    })
    assert.deepEqual(parseResetTarget({'by-duration': '90m'}, now), {kind: 'time', timestamp: now - 90 * 60_000})
  })

  it('ignores boolean flags that are off, and wants exactly one target', () => {
    assert.deepEqual(parseResetTarget({'to-earliest': false, 'to-latest': true}), {kind: 'latest'})
    usage(() => parseResetTarget({}), /say where to move the offsets/)
    usage(
      () => parseResetTarget({'to-earliest': true, 'shift-by': '1'}),
      /--to-earliest and --shift-by cannot be used together/,
    )
  })

  it('rejects a time or a duration it cannot read', () => {
    usage(
      () => parseResetTarget({'to-datetime': 'yesterday'}),
      /--to-datetime: "yesterday" is not an ISO 8601 date-time/,
    )
    usage(() => parseResetTarget({'to-datetime': '2026-13-01'}), /not an ISO 8601/)
    usage(() => parseResetTarget({'by-duration': '-1h'}), /--by-duration: "-1h" is not a duration/)
    usage(() => parseResetTarget({'shift-by': '1.5'}), /--shift-by: "1.5" is not a whole number/)
  })
})

describe('parseTopicScopes', () => {
  it('reads whole topics and partition lists, merging repeats', () => {
    assert.deepEqual(parseTopicScopes(['orders', 'billing:2,0', 'billing:1,0']), [
      {topic: 'orders', partitions: undefined},
      {topic: 'billing', partitions: [0, 1, 2]},
    ])
    assert.deepEqual(parseTopicScopes(['orders:1', 'orders']), [{topic: 'orders', partitions: undefined}])
    assert.deepEqual(parseTopicScopes([]), [])
  })

  it('rejects a missing topic or a partition that is not a number', () => {
    usage(() => parseTopicScopes([':0']), /no topic name/)
    usage(() => parseTopicScopes(['orders:']), /partitions must be a comma-separated list of numbers/)
    usage(() => parseTopicScopes(['orders:0,x']), /partitions must be/)
    usage(() => parseTopicScopes(['orders:-1']), /partitions must be/)
  })
})

describe('planReset', () => {
  // Partition 0: log 10..50, committed 20. Partition 1: log 0..5, nothing committed. Partition 2: empty log 7..7,
  // committed 7.
  const partitions = [
    {topic: 't', partition: 2},
    {topic: 't', partition: 0},
    {topic: 't', partition: 1},
  ]
  const committed = new Map([
    [tpKey('t', 0), 20],
    [tpKey('t', 2), 7],
  ])
  const watermarks = new Map([
    [tpKey('t', 0), {logStart: 10, logEnd: 50}],
    [tpKey('t', 1), {logStart: 0, logEnd: 5}],
    [tpKey('t', 2), {logStart: 7, logEnd: 7}],
  ])
  const plan = (target: ResetTarget, timeOffsets?: Map<string, number>) =>
    planReset({target, partitions, committed, watermarks, timeOffsets}).map((r) => [
      r.partition,
      r.committed,
      r.newOffset,
      r.clamped,
    ])

  it('moves to the log start or end, sorted by partition, keeping the committed offset for reference', () => {
    assert.deepEqual(plan({kind: 'earliest'}), [
      [0, 20, 10, null],
      [1, null, 0, null],
      [2, 7, 7, null],
    ])
    assert.deepEqual(plan({kind: 'latest'}), [
      [0, 20, 50, null],
      [1, null, 5, null],
      [2, 7, 7, null],
    ])
  })

  it('clamps an offset outside the log to its nearest end, as kafka-consumer-groups does', () => {
    assert.deepEqual(plan({kind: 'offset', offset: 30}), [
      [0, 20, 30, null],
      [1, null, 5, 'logEnd'],
      [2, 7, 7, 'logEnd'],
    ])
    assert.deepEqual(plan({kind: 'offset', offset: 3}), [
      [0, 20, 10, 'logStart'],
      [1, null, 3, null],
      [2, 7, 7, 'logStart'],
    ])
  })

  it('shifts from the committed offset within the log, and needs one to shift from', () => {
    const committedOnly = partitions.filter((p) => p.partition !== 1)
    const shift = (by: number) =>
      planReset({target: {kind: 'shift', by}, partitions: committedOnly, committed, watermarks}).map((r) => [
        r.partition,
        r.newOffset,
        r.clamped,
      ])
    assert.deepEqual(shift(-5), [
      [0, 15, null],
      [2, 7, 'logStart'],
    ])
    assert.deepEqual(shift(100), [
      [0, 50, 'logEnd'],
      [2, 7, 'logEnd'],
    ])
    usage(
      () => plan({kind: 'shift', by: 1}),
      /--shift-by needs a committed offset to shift, and the group has none on t\[1\]/,
    )
  })

  it('takes the offset found for a time, and the log end where no record is that recent', () => {
    const found = new Map([
      [tpKey('t', 0), 42],
      [tpKey('t', 1), -1],
    ])
    assert.deepEqual(plan({kind: 'time', timestamp: 1}, found), [
      [0, 20, 42, null],
      [1, null, 5, null],
      [2, 7, 7, null],
    ])
  })

  it('summarises clamped partitions in one line, and says nothing when none were', () => {
    const rows = planReset({target: {kind: 'offset', offset: 30}, partitions, committed, watermarks})
    assert.equal(
      clampedSummary(rows),
      'the target is outside the log on 2 partitions: 2 partitions moved down to the log end offset',
    )
    const mixed = planReset({target: {kind: 'offset', offset: 8}, partitions, committed, watermarks})
    assert.equal(
      clampedSummary(mixed),
      'the target is outside the log on 3 partitions: 1 partition moved up to the log start offset, 2 partitions moved down to the log end offset',
    )
    assert.equal(clampedSummary(planReset({target: {kind: 'earliest'}, partitions, committed, watermarks})), undefined)
  })
})
