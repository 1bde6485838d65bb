// The size Kafka checks against max.message.bytes (a record batch with the message alone in it), computed without a
// broker; test/commands/produce.test.ts shows the broker taking exactly that many bytes and refusing one more.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {type SizeLimit, headerBytes, singleRecordBatchBytes, tooLarge} from '../../../src/lib/produce/size-limit.js'

const limit = (topicBytes: number, extra: Partial<SizeLimit> = {}): SizeLimit => ({
  topicBytes,
  topicSource: "the topic's max.message.bytes",
  clientBytes: 1_000_000,
  compressed: false,
  ...extra,
})

describe('singleRecordBatchBytes', () => {
  it('is the 61-byte batch header and one record with its varint lengths', () => {
    // record: attributes, timestamp delta, offset delta (1 each), null key (1), value length (1) and 2 bytes, no
    // headers (1) = 8 bytes, after its own length (1).
    assert.equal(singleRecordBatchBytes(-1, 2), 61 + 1 + 8)
    // A value of 330 bytes: its length takes 2 bytes, the record 337 bytes, its length 2: exactly 400.
    assert.equal(singleRecordBatchBytes(-1, 330), 400)
    assert.equal(singleRecordBatchBytes(-1, 331), 401)
  })

  it('counts a key and headers', () => {
    const headers = [{key: Buffer.from('source'), value: Buffer.from('import')}]
    assert.equal(headerBytes(headers), 1 + 1 + 6 + 1 + 6)
    assert.equal(headerBytes([{key: Buffer.from('n'), value: null}]), 1 + 1 + 1 + 1)
    assert.equal(singleRecordBatchBytes(3, 2, headerBytes(headers)) - singleRecordBatchBytes(-1, 2), 3 + (15 - 1))
  })
})

describe('tooLarge', () => {
  it("says why a message is more than the topic's limit, and nothing for one that fits", () => {
    assert.equal(tooLarge(limit(400), -1, 330), undefined)
    assert.equal(
      tooLarge(limit(400), -1, 331),
      "the message is 401 bytes as a record batch, more than the topic's max.message.bytes (400)",
    )
  })

  it("checks librdkafka's own message.max.bytes as librdkafka does", () => {
    assert.match(
      tooLarge(limit(10_000_000, {clientBytes: 1000}), -1, 990) ?? '',
      /producer's message\.max\.bytes \(1000/,
    )
    assert.equal(tooLarge(limit(10_000_000, {clientBytes: 1000}), -1, 900), undefined)
  })

  it('leaves a compressed message to the broker: it may shrink below the limit', () => {
    assert.equal(tooLarge(limit(400, {compressed: true}), -1, 5000), undefined)
  })
})
