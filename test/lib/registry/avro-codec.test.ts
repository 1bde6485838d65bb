import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import avsc from 'avsc'

import {AvroCodecError, createAvroCodec, floatText} from '../../../src/lib/registry/avro-codec.js'

// avsc with exact 64-bit longs, used as an independent oracle.
const bigLong = avsc.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8)
    buf.writeBigInt64LE(BigInt(n))
    return buf
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
})
function oracle(schema: unknown): avsc.Type {
  return avsc.Type.forSchema(
    schema as avsc.Schema,
    {registry: {long: bigLong}, wrapUnions: true} as Partial<avsc.ForSchemaOptions>,
  )
}

const userSchema = {
  type: 'record',
  name: 'User',
  namespace: 'demo',
  fields: [
    {name: 'id', type: 'long'},
    {name: 'name', type: 'string'},
    {name: 'score', type: 'double'},
    {name: 'ratio', type: 'float'},
    {name: 'avatar', type: 'bytes'},
    {name: 'hash', type: {type: 'fixed', name: 'MD5', size: 4}},
    {name: 'kind', type: {type: 'enum', name: 'Kind', symbols: ['A', 'B']}},
    {name: 'tags', type: {type: 'array', items: 'string'}},
    {name: 'counts', type: {type: 'map', values: 'long'}},
    {name: 'email', type: ['null', 'string'], default: null},
    {name: 'ref', type: ['null', 'long', {type: 'record', name: 'Ref', fields: [{name: 'x', type: 'int'}]}]},
  ],
}

describe('avro codec: exact values', () => {
  const codec = createAvroCodec(JSON.stringify(userSchema))
  const json =
    '{"id":9223372036854775807,"name":"Ada é 😀","score":0.1,"ratio":0.1,"avatar":"\\u0000\\u00ff\\u0080A","hash":"\\u0001\\u0002\\u0003\\u00fe",' +
    '"kind":"B","tags":["x","y"],"counts":{"10":-9223372036854775808,"2":9007199254740993},"email":{"string":"a@b"},"ref":{"demo.Ref":{"x":-1}}}'

  it('round-trips JSON -> binary -> identical JSON', () => {
    const bin = codec.encode(json)
    assert.equal(codec.decode(bin), json)
  })
  it('matches an independent encoder bit for bit', () => {
    const bin = codec.encode(json)
    const o = oracle(userSchema)
    const val = o.fromBuffer(bin) as {id: bigint; counts: Record<string, bigint>} & Record<string, unknown>
    assert.equal(val.id, 9223372036854775807n)
    assert.equal(val.counts['10'], -9223372036854775808n)
    assert.equal(val.counts['2'], 9007199254740993n)
    assert.deepEqual([...val.avatar], [0, 255, 128, 65])
    assert.deepEqual(JSON.parse(JSON.stringify(val.ref)), {'demo.Ref': {x: -1}})
    // The oracle re-encodes the same bytes (its map keeps "10" after "2", so compare the map-free part via decode).
    assert.deepEqual(o.fromBuffer(o.toBuffer(val)), val)
  })
  it('re-encodes bytes written by another encoder identically', () => {
    const o = oracle(userSchema)
    const val = {
      id: -5n,
      name: '',
      score: -0,
      ratio: 3.4028234663852886e38,
      avatar: Buffer.from([]),
      hash: Buffer.from([0, 0, 0, 0]),
      kind: 'A',
      tags: [],
      counts: {a: 1n},
      email: null,
      ref: {long: 1n << 62n},
    }
    const bin = o.toBuffer(val)
    const text = codec.decode(bin)
    assert.match(text, /"score":-0\.0/)
    assert.match(text, /"ref":\{"long":4611686018427387904\}/)
    assert.deepEqual(codec.encode(text), bin)
  })
  it('accepts unwrapped union values and short names on input', () => {
    const base = JSON.parse(json.replace(/9223372036854775807|-9223372036854775808|9007199254740993/g, '1'))
    const a = codec.encode(JSON.stringify({...base, email: 'a@b', ref: 7}))
    const d = JSON.parse(codec.decode(a))
    assert.deepEqual(d.email, {string: 'a@b'})
    assert.deepEqual(d.ref, {long: 7})
    const b = codec.encode(JSON.stringify({...base, ref: {Ref: {x: 2}}}))
    assert.deepEqual(JSON.parse(codec.decode(b)).ref, {'demo.Ref': {x: 2}})
    const c = codec.encode(JSON.stringify({...base, ref: {x: 3}}))
    assert.deepEqual(JSON.parse(codec.decode(c)).ref, {'demo.Ref': {x: 3}})
  })
  it('fills defaults for missing fields', () => {
    const base = JSON.parse(json.replace(/9223372036854775807|-9223372036854775808|9007199254740993/g, '1'))
    delete base.email
    assert.equal(JSON.parse(codec.decode(codec.encode(JSON.stringify(base)))).email, null)
  })
  it('accepts longs as digit strings (lenient) and prints them as numbers', () => {
    const c = createAvroCodec('"long"')
    assert.equal(c.decode(c.encode('"-9223372036854775808"')), '-9223372036854775808')
    assert.equal(c.decode(c.encode('123')), '123')
  })
  it('prints floats shortest and keeps special values', () => {
    assert.equal(floatText(Math.fround(0.1)), '0.1')
    assert.equal(floatText(Math.fround(16777217)), '16777216')
    const f = createAvroCodec('"float"')
    for (const t of ['0.1', '-0.0', '"NaN"', '"Infinity"', '"-Infinity"', '1e-45', '3.4028235e+38']) {
      const bin = f.encode(t)
      assert.deepEqual(f.encode(f.decode(bin)), bin, t)
    }
    const d = createAvroCodec('"double"')
    for (const t of ['0.1', '-0.0', '5e-324', '1.7976931348623157e+308', '"NaN"']) {
      const bin = d.encode(t)
      assert.deepEqual(d.encode(d.decode(bin)), bin, t)
    }
  })
  it('round-trips every byte value in bytes', () => {
    const c = createAvroCodec('"bytes"')
    const all = Buffer.from(Array.from({length: 256}, (_, i) => i))
    const bin = Buffer.concat([Buffer.from([0x80, 0x04]), all])
    const text = c.decode(bin)
    assert.deepEqual(c.encode(text), bin)
    assert.equal(JSON.parse(text), all.toString('latin1'))
  })
})

describe('avro codec: logical types', () => {
  const schema = JSON.stringify({
    type: 'record',
    name: 'L',
    fields: [
      {name: 'amount', type: {type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2}},
      {
        name: 'fixedAmount',
        type: {type: 'fixed', name: 'Dec', size: 5, logicalType: 'decimal', precision: 10, scale: 3},
      },
      {name: 'at', type: {type: 'long', logicalType: 'timestamp-millis'}},
      {name: 'atMicros', type: {type: 'long', logicalType: 'timestamp-micros'}},
      {name: 'localAt', type: {type: 'long', logicalType: 'local-timestamp-millis'}},
      {name: 'day', type: {type: 'int', logicalType: 'date'}},
      {name: 'time', type: {type: 'int', logicalType: 'time-millis'}},
      {name: 'id', type: {type: 'string', logicalType: 'uuid'}},
      {name: 'maybeAt', type: ['null', {type: 'long', logicalType: 'timestamp-millis'}]},
      {name: 'bad', type: {type: 'string', logicalType: 'decimal', precision: 3}},
    ],
  })
  const raw = createAvroCodec(schema)
  const readable = createAvroCodec(schema, {logicalTypes: 'readable'})
  const readableJson =
    '{"amount":"-1234.50","fixedAmount":"0.001","at":"2024-02-29T12:34:56.789Z","atMicros":"1969-12-31T23:59:59.999999Z","localAt":"2024-01-01T00:00:00.000",' +
    '"day":"2024-02-29","time":"23:59:59.999","id":"6f1c2e1c-6a8e-4a77-9c55-8b0b7d1f0a11","maybeAt":{"long":"1970-01-01T00:00:00.001Z"},"bad":"x"}'

  it('readable mode round-trips ISO strings and decimal strings', () => {
    const bin = readable.encode(readableJson)
    assert.equal(readable.decode(bin), readableJson)
  })
  it('raw mode prints the underlying values (as avro-console-consumer does) and re-encodes identically', () => {
    const bin = readable.encode(readableJson)
    const text = raw.decode(bin)
    const v = JSON.parse(text)
    assert.equal(v.amount, '\u00fe\u001d\u00c6') // -123450 as two's complement bytes
    assert.match(text, /"amount":"\\u00fe\\u001d\\u00c6"/)
    assert.equal(v.at, 1709210096789)
    assert.equal(v.atMicros, -1)
    assert.equal(v.day, 19782)
    assert.equal(v.time, 86399999)
    assert.deepEqual(v.maybeAt, {long: 1})
    assert.deepEqual(raw.encode(text), bin)
  })
  it('readable mode also accepts raw numbers and falls back to raw when out of range', () => {
    const big = readableJson.replace('"2024-02-29T12:34:56.789Z"', '9223372036854775807')
    const text = readable.decode(readable.encode(big))
    assert.match(text, /"at":9223372036854775807/)
    assert.deepEqual(readable.encode(text), readable.encode(big))
  })
  it('rejects decimals that do not fit and malformed dates', () => {
    assert.throws(
      () => readable.encode(readableJson.replace('"-1234.50"', '"1.234"')),
      /more than 2 digit\(s\) after the point/,
    )
    assert.throws(() => readable.encode(readableJson.replace('"-1234.50"', '"123456789.00"')), /more than 10 digit/)
    assert.throws(() => readable.encode(readableJson.replace('"2024-02-29"', '"2023-02-29"')), /not a date/)
    assert.throws(
      () => readable.encode(readableJson.replace('"2024-02-29T12:34:56.789Z"', '"2024-02-29T12:34:56.789"')),
      /needs a time zone/,
    )
  })
  it('applies time zone offsets', () => {
    const a = readable.encode(readableJson.replace('"2024-02-29T12:34:56.789Z"', '"2024-02-29T14:34:56.789+02:00"'))
    assert.deepEqual(a, readable.encode(readableJson))
  })
})

describe('avro codec: errors and references', () => {
  it('reports invalid schemas', () => {
    assert.throws(
      () => createAvroCodec('{"type":"record","name":"X","fields":[{"name":"a","type":"nosuch"}]}'),
      /invalid Avro schema: .*nosuch/,
    )
    assert.throws(() => createAvroCodec('{"type":'), /not valid JSON/)
  })
  it('reports value errors with a path', () => {
    const c = createAvroCodec(JSON.stringify(userSchema))
    assert.throws(() => c.encode('{"id":1}'), /\$: missing field "name" of demo.User/)
    assert.throws(() => c.encode('{"id":1.5}'), /\$\.id: expected long \(a JSON integer\), got the number 1\.5/)
    assert.throws(() => c.encode('{"id":9223372036854775808}'), /does not fit in an Avro long/)
    assert.throws(() => c.encode('{"nope":1}'), /has no field "nope"/)
    assert.throws(() => c.encode('[1'), /invalid JSON at position 2/)
    assert.throws(() => createAvroCodec('"int"').encode('2147483648'), /does not fit in an Avro int/)
    assert.throws(() => createAvroCodec('"bytes"').encode('"Ā"'), /U\+0100 at index 0 is not a byte/)
    assert.throws(
      () => createAvroCodec('{"type":"enum","name":"E","symbols":["A"]}').encode('"B"'),
      /not a symbol of E \(A\)/,
    )
    assert.throws(() => createAvroCodec('["null","int"]').encode('"x"'), /matches no branch of the union \(null, int\)/)
  })
  it('reports payloads that do not match the schema', () => {
    const c = createAvroCodec(JSON.stringify(userSchema))
    assert.throws(() => c.decode(Buffer.from([2])), AvroCodecError)
    assert.throws(() => c.decode(Buffer.from([2])), /ends early while reading string length at \$\.name/)
    assert.throws(() => createAvroCodec('"int"').decode(Buffer.from([2, 2])), /1 unread byte/)
    assert.throws(() => createAvroCodec('["null","int"]').decode(Buffer.from([4])), /branch 2 .* out of range/)
    assert.throws(
      () =>
        createAvroCodec('"long"').decode(
          Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        ),
      /more than 10 bytes/,
    )
  })
  it('resolves named types from referenced schemas', () => {
    const money = '{"type":"record","name":"Money","namespace":"demo","fields":[{"name":"units","type":"long"}]}'
    const invoice =
      '{"type":"record","name":"Invoice","namespace":"demo","fields":[{"name":"total","type":"demo.Money"}]}'
    assert.throws(() => createAvroCodec(invoice), /undefined type name: demo.Money|demo.Money/)
    const c = createAvroCodec(invoice, {references: [money]})
    const t = '{"total":{"units":-12345678901234567}}'
    assert.equal(c.decode(c.encode(t)), t)
  })
})
