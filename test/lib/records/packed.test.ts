// The stock consume()'s messages packed into the native path's layout: a batch of every kind of message reads back
// field by field through the cursor the consume loop uses.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {Message} from '@confluentinc/kafka-javascript'

import {RECORD_MESSAGE, RecordCursor, packMessages} from '../../../src/lib/records/packed.js'

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'))

describe('packMessages', () => {
  it('packs a mixed batch that reads back field by field, in order', () => {
    const messages = [
      {topic: 'orders', partition: 0, offset: 7, timestamp: 1763900000000, key: null, value: Buffer.from('{"a":1}')},
      {topic: 'orders', partition: 2, offset: 9, timestamp: -1, key: Buffer.from('k-1'), value: null},
      {topic: 'audit', partition: 1, offset: 0, timestamp: 1, key: 'ключ', value: Buffer.alloc(0)},
      {
        topic: 'orders',
        partition: 1,
        offset: 2 ** 40,
        timestamp: undefined,
        key: Buffer.alloc(0),
        value: Buffer.from([0, 255, 10]),
        headers: [{trace: Buffer.from('abc')}, {empty: Buffer.alloc(0)}, {gone: null}, {ü: 'text'}],
      },
    ] as unknown as Message[]
    // The batch's memory is not zeroed first: make what it will get dirty (the rest of Buffer's shared pool).
    const probe = Buffer.allocUnsafe(1)
    new Uint8Array(probe.buffer, probe.byteOffset + 8).fill(0xff)
    const batch = packMessages(messages)
    assert.equal(batch.buffer.buffer, probe.buffer, "the batch came from the pool's dirtied part")
    assert.equal(batch.count, 4)
    assert.deepEqual(batch.topics, ['orders', 'audit'])

    const cursor = new RecordCursor(batch)
    const read: unknown[] = []
    while (cursor.next()) {
      const headers: Array<[string, string | null]> = []
      cursor.eachHeader((nameStart, nameLength, valueStart, valueLength) =>
        headers.push([
          batch.buffer.toString('utf8', nameStart, nameStart + nameLength),
          valueLength < 0 ? null : batch.buffer.toString('latin1', valueStart, valueStart + valueLength),
        ]),
      )
      read.push({
        kind: cursor.kind,
        errorCode: cursor.errorCode,
        jsonFlags: cursor.jsonFlags,
        topic: cursor.topic,
        partition: cursor.partition,
        offset: cursor.offset,
        timestamp: cursor.timestamp,
        key: text(cursor.key()),
        value: cursor.value(),
        headers: cursor.headersLength < 0 ? null : headers,
      })
    }
    const record = {kind: RECORD_MESSAGE, errorCode: 0, jsonFlags: 0}
    assert.deepEqual(read, [
      {
        ...record,
        topic: 'orders',
        partition: 0,
        offset: 7,
        timestamp: 1763900000000,
        key: null,
        value: Buffer.from('{"a":1}'),
        headers: null,
      },
      {...record, topic: 'orders', partition: 2, offset: 9, timestamp: -1, key: 'k-1', value: null, headers: null},
      {
        ...record,
        topic: 'audit',
        partition: 1,
        offset: 0,
        timestamp: 1,
        key: 'ключ',
        value: Buffer.alloc(0),
        headers: null,
      },
      {
        ...record,
        topic: 'orders',
        partition: 1,
        offset: 2 ** 40,
        timestamp: -1,
        key: '',
        value: Buffer.from([0, 255, 10]),
        headers: [
          ['trace', 'abc'],
          ['empty', ''],
          ['gone', null],
          ['ü', 'text'],
        ],
      },
    ])
    assert.equal(cursor.next(), false)
  })

  it('packs an empty batch', () => {
    const batch = packMessages([])
    assert.equal(batch.count, 0)
    assert.equal(new RecordCursor(batch).next(), false)
  })
})
