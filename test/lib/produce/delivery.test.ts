import type {Producer} from '@confluentinc/kafka-javascript'

import assert from 'node:assert/strict'
import {EventEmitter} from 'node:events'
import {describe, it} from 'node:test'

import {RdCode} from '../../../src/lib/errors.js'
import {
  ProduceStats,
  failureReason,
  mayBeStored,
  nativeOutcome,
  reportedOutcome,
  total,
  watchDeliveries,
} from '../../../src/lib/produce/delivery.js'

const timedOut = {code: RdCode.msgTimedOut, message: 'Local: Message timed out'}
const tooLarge = {code: RdCode.msgSizeTooLarge, message: 'Broker: Message size too large'}
const report = {topic: 't', partition: 0, offset: -1}

describe('mayBeStored', () => {
  it("follows librdkafka's status where the report carries one", () => {
    assert.equal(mayBeStored(timedOut, {status: 0}), false)
    assert.equal(mayBeStored(tooLarge, {status: 1}), true)
    assert.equal(mayBeStored(tooLarge, {status: 2}), true)
  })

  it('without a status, says "may" for errors after which a sent message can be in the topic', () => {
    const possibly = [RdCode.msgTimedOut, RdCode.timedOut, RdCode.transport, RdCode.requestTimedOut, RdCode.ssl]
    possibly.push(RdCode.notLeaderOrFollower, RdCode.kafkaStorageError, 20, 45, 46, -199, -151, -150)
    for (const code of possibly) assert.equal(mayBeStored({code, message: 'x'}, {}), true, `code ${code}`)
    for (const code of [RdCode.msgSizeTooLarge, RdCode.unknownTopicOrPart, RdCode.unknownPartition, 29, -152])
      assert.equal(mayBeStored({code, message: 'x'}, {}), false, `code ${code}`)
    assert.equal(mayBeStored(new Error('not from librdkafka'), {}), false)
  })
})

describe('delivery reports counted in JS (the stock client)', () => {
  function watched(countFailures = true, withStatus = true) {
    const producer = new EventEmitter()
    const stats = new ProduceStats()
    const failed: Array<{opaque: unknown; stored: boolean}> = []
    watchDeliveries(producer as unknown as Producer, stats, {
      countFailures,
      withStatus,
      onFailed: (opaque, _reason, stored) => failed.push({opaque, stored}),
    })
    return {producer, stats, failed}
  }

  it('puts a failure that may have been stored under not confirmed, a refusal under failed', () => {
    const {producer, stats, failed} = watched()
    stats.accepted = 10
    producer.emit('delivery-report', timedOut, {...report, opaque: 1})
    producer.emit('delivery-report', timedOut, {...report, opaque: 2})
    producer.emit('delivery-report', tooLarge, {...report, opaque: 3})
    assert.deepEqual(failed, [
      {opaque: 1, stored: true},
      {opaque: 2, stored: true},
      {opaque: 3, stored: false},
    ])
    const outcome = reportedOutcome(stats, true, false)
    assert.equal(outcome.delivered, 7)
    assert.deepEqual([...outcome.failed], [[failureReason(tooLarge), 1]])
    assert.deepEqual([...outcome.unknown], [[failureReason(timedOut, true), 2]])
  })

  it('a timed-out message the client knows it never sent is failed', () => {
    const {producer, stats} = watched()
    stats.accepted = 1
    producer.emit('delivery-report', timedOut, {...report, status: 0})
    const outcome = reportedOutcome(stats, true, false)
    assert.equal(outcome.delivered, 0)
    assert.deepEqual([...outcome.failed], [['not acknowledged within message.timeout.ms (never sent)', 1]])
    assert.equal(total(outcome.unknown), 0)
  })

  it('a status the stock calls were forced past is not used (KCLI_DATA_PATH=stock)', () => {
    const {producer, stats} = watched(true, false)
    stats.accepted = 1
    producer.emit('delivery-report', timedOut, {...report, status: 0})
    assert.equal(total(reportedOutcome(stats, true, false).unknown), 1)
  })

  it('with every report in JS, what has no report yet is not settled', () => {
    const {producer, stats} = watched()
    stats.accepted = 5
    producer.emit('delivery-report', null, {...report, offset: 0})
    producer.emit('delivery-report', timedOut, report)
    const outcome = reportedOutcome(stats, false, true)
    assert.equal(outcome.delivered, 1)
    assert.equal(total(outcome.failed), 0)
    assert.equal(total(outcome.unknown), 4)
    assert.equal(outcome.delivered + total(outcome.failed) + total(outcome.unknown), stats.accepted)
  })

  it('with native counts, reports teach only the reasons', () => {
    const {producer, stats} = watched(false)
    stats.accepted = 3
    producer.emit('delivery-report', timedOut, report)
    assert.equal(stats.failed + stats.unconfirmed.size, 0)
    const outcome = nativeOutcome(
      {
        produced: 3,
        acked: 1,
        ackedPossiblyPersisted: 0,
        failedTotal: 2,
        inFlight: 0,
        failed: {[RdCode.msgTimedOut]: {notPersisted: 1, possiblyPersisted: 1, persisted: 0}},
      },
      stats,
    )
    assert.deepEqual([...outcome.failed], [[failureReason(timedOut, false), 1]])
    assert.deepEqual([...outcome.unknown], [[failureReason(timedOut, true), 1]])
    // The two buckets say which: never sent, or sent and perhaps stored.
    assert.notEqual(failureReason(timedOut, false), failureReason(timedOut, true))
  })
})
