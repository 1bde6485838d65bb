import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  WireFormatError,
  decodeFrame,
  decodeMessageIndexes,
  decodeProtobufFrame,
  encodeFrame,
  encodeMessageIndexes,
  encodeProtobufFrame,
  isFramed,
} from '../../../src/lib/registry/wire-format.js'

describe('wire format', () => {
  it('frames magic byte, big-endian id, payload', () => {
    const b = encodeFrame(0x01020304, Buffer.from('hi'))
    assert.deepEqual([...b], [0, 1, 2, 3, 4, 0x68, 0x69])
    assert.deepEqual(decodeFrame(b), {schemaId: 0x01020304, payload: Buffer.from('hi')})
  })
  it('handles the largest id and an empty payload', () => {
    const b = encodeFrame(0xffffffff, Buffer.alloc(0))
    assert.equal(decodeFrame(b).schemaId, 4294967295)
    assert.equal(decodeFrame(b).payload.length, 0)
  })
  it('rejects bad ids', () => {
    assert.throws(() => encodeFrame(-1, Buffer.alloc(0)), WireFormatError)
    assert.throws(() => encodeFrame(2 ** 32, Buffer.alloc(0)), WireFormatError)
    assert.throws(() => encodeFrame(1.5, Buffer.alloc(0)), WireFormatError)
  })
  it('gives clear errors for short or unframed input', () => {
    assert.throws(() => decodeFrame(null), /null value/)
    assert.throws(() => decodeFrame(Buffer.alloc(0)), /empty value/)
    assert.throws(() => decodeFrame(Buffer.from([0, 0, 1])), /3 bytes is too short for the 5-byte Confluent header/)
    assert.throws(() => decodeFrame(Buffer.from('{"a":1}')), /unknown magic byte 0x7b/)
    assert.equal(isFramed(Buffer.from('{"a":1}')), false)
    assert.equal(isFramed(Buffer.from([0, 0, 0, 0, 1])), true)
  })
  it('decodes a payload that is a view into a larger buffer', () => {
    const big = Buffer.from([9, 9, 0, 0, 0, 0, 7, 42, 9])
    const d = decodeFrame(big.subarray(2, 8))
    assert.equal(d.schemaId, 7)
    assert.deepEqual([...d.payload], [42])
  })
})

describe('protobuf message indexes', () => {
  it('writes [0] (and []) as the single byte 0', () => {
    assert.deepEqual([...encodeMessageIndexes([0])], [0])
    assert.deepEqual([...encodeMessageIndexes([])], [0])
    assert.deepEqual(decodeMessageIndexes(Buffer.from([0])), {indexes: [0], next: 1})
  })
  it('writes count and indexes as zigzag varints', () => {
    assert.deepEqual([...encodeMessageIndexes([1])], [2, 2])
    assert.deepEqual([...encodeMessageIndexes([0, 2])], [4, 0, 4])
    assert.deepEqual([...encodeMessageIndexes([64])], [2, 0x80, 0x01])
    for (const idx of [[1], [0, 0], [3, 1, 4], [1000, 70000], [0x7fffffff]]) {
      const b = encodeMessageIndexes(idx)
      assert.deepEqual(decodeMessageIndexes(b), {indexes: idx, next: b.length})
    }
  })
  it('round-trips a full protobuf frame', () => {
    const f = encodeProtobufFrame(42, [1, 0], Buffer.from([8, 1]))
    assert.deepEqual([...f], [0, 0, 0, 0, 42, 4, 2, 0, 8, 1])
    assert.deepEqual(decodeProtobufFrame(f), {schemaId: 42, messageIndexes: [1, 0], payload: Buffer.from([8, 1])})
    const g = encodeProtobufFrame(7, [0], Buffer.from([8, 1]))
    assert.deepEqual([...g], [0, 0, 0, 0, 7, 0, 8, 1])
  })
  it('rejects truncated or absurd indexes', () => {
    assert.throws(() => decodeMessageIndexes(Buffer.alloc(0)), /truncated protobuf message indexes/)
    assert.throws(() => decodeMessageIndexes(Buffer.from([4, 2])), /index 2 of 2 runs past the end/)
    assert.throws(() => decodeMessageIndexes(Buffer.from([1])), /count -1/)
    assert.throws(
      () => decodeMessageIndexes(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
      /does not fit in 32 bits|longer than 5 bytes/,
    )
    assert.throws(() => decodeMessageIndexes(Buffer.from([2, 1])), /negative/)
    assert.throws(() => encodeMessageIndexes([-1]), WireFormatError)
    assert.throws(() => decodeProtobufFrame(Buffer.from([0, 0, 0, 0, 1])), /truncated/)
  })
})
