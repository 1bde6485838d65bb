// consume's decoder with a registry stand-in: what decodes is marked with its schema, what does not stays raw with a
// warning, and nothing is dropped.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {RecordDecoder} from '../../../src/lib/registry/decode.js'
import {type RecordEncoder, recordEncoder} from '../../../src/lib/registry/encode.js'
import {RegistryError, type RegistryClient} from '../../../src/lib/registry/registry-client.js'
import {encodeFrame, encodeProtobufFrame} from '../../../src/lib/registry/wire-format.js'
import type {ConsumedMessage} from '../../../src/lib/records/envelope.js'
import {InputError} from '../../../src/lib/records/envelope.js'
import type {ResolvedSettings} from '../../../src/lib/settings/resolve.js'

const schemas: Record<number, {schema: string; schemaType: 'AVRO' | 'PROTOBUF' | 'JSON'}> = {
  1: {schema: '{"type":"record","name":"R","fields":[{"name":"n","type":"long"}]}', schemaType: 'AVRO'},
  2: {schema: 'syntax = "proto3"; message A { string s = 1; }', schemaType: 'PROTOBUF'},
  3: {schema: '{"type":"object"}', schemaType: 'JSON'},
}
const asked: number[] = []
const client = {
  async getSchemaById(id: number) {
    asked.push(id)
    if (schemas[id] === undefined) throw new RegistryError('not found', 'not-found', 'x', 404, 40403)
    return {id, references: [], ...schemas[id]}
  },
  async resolveReferences() {
    return []
  },
} as unknown as RegistryClient

const message = (value: Buffer, offset = 0): ConsumedMessage => ({topic: 't', partition: 0, offset, key: null, value})

describe('RecordDecoder', () => {
  it('decodes framed values exactly, and leaves anything else as it is with a warning', async () => {
    const warnings: string[] = []
    const decoder = new RecordDecoder(client, (w) => warnings.push(w))
    const avro = message(encodeFrame(1, Buffer.from([0x02])), 0)
    const proto = message(encodeProtobufFrame(2, [0], Buffer.from([0x0a, 0x01, 0x78])), 1)
    // Field 2 is unknown to the schema: JSON cannot carry it, so the bytes are printed raw.
    const unknownField = message(encodeProtobufFrame(2, [0], Buffer.from([0x0a, 0x01, 0x78, 0x10, 0x01])), 2)
    const json = message(encodeFrame(3, Buffer.from('{"a": 1}')), 3)
    const spread = message(encodeFrame(3, Buffer.from('{\n"a":1}')), 4)
    const unknownId = message(encodeFrame(99, Buffer.from([1])), 5)
    const again = message(encodeFrame(99, Buffer.from([2])), 6)
    const plain = message(Buffer.from('{"plain":true}'), 7)
    const batch = [avro, proto, unknownField, json, spread, unknownId, again, plain]
    await decoder.decodeBatch(batch)
    assert.deepEqual(avro.decodedValue, {json: '{"n":1}', schema: '{"id":1,"format":"avro"}'})
    assert.deepEqual(proto.decodedValue, {
      json: '{"s":"x"}',
      schema: '{"id":2,"format":"protobuf","message":"A","indexes":[0]}',
    })
    assert.deepEqual(json.decodedValue, {json: '{"a": 1}', schema: '{"id":3,"format":"json"}'})
    for (const m of [unknownField, spread, unknownId, again, plain]) assert.equal(m.decodedValue, undefined)
    assert.equal(warnings.length, 4)
    assert.match(
      warnings[0],
      /^t\[0\]@2: value: decoded with schema id 2, but its JSON would not encode to the same bytes/,
    )
    assert.match(warnings[1], /^t\[0\]@4: value: schema id 3: the JSON spans several lines/)
    assert.match(warnings[2], /^t\[0\]@5: value: schema id 99 is not in the registry; printed as raw bytes$/)
    assert.equal(asked.filter((id) => id === 99).length, 1, 'an unknown id is asked for once')
  })
})

describe('recordEncoder without a registry', () => {
  it('passes plain records through and refuses those that name a schema', async () => {
    const encode: RecordEncoder = await recordEncoder({security: {}} as ResolvedSettings, {
      topic: 't',
      mode: 'envelope',
      key: {},
      value: {},
      dryRun: false,
    })
    const plain = {key: null, value: Buffer.from('{}'), headers: []}
    assert.equal((await encode(plain)).value, plain.value)
    assert.throws(
      () => encode({...plain, valueSchema: {id: 7, format: 'avro'}}),
      (err: unknown) =>
        err instanceof InputError && /names schema id 7 .*no schema registry is configured/.test(err.message),
    )
    assert.throws(() => encode({...plain, valueSchema: {id: -1}}), /"valueSchema"\.id must be a schema id/)
    await assert.rejects(
      recordEncoder({security: {}} as ResolvedSettings, {
        topic: 't',
        mode: 'json',
        key: {},
        value: {subject: 's'},
        dryRun: false,
      }),
      /the schema flags need a schema registry/,
    )
  })
})
