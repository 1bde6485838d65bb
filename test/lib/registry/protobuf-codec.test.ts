import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import protobuf from 'protobufjs'

import {ProtobufCodecError, parseProtobufSchema} from '../../../src/lib/registry/protobuf-codec.js'

const common = `syntax = "proto3";
package demo.common;
message Money {
  string currency = 1;
  int64 units = 2;
}
`
const orders = `syntax = "proto3";
package demo.orders;

import "common.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/any.proto";

enum Status { STATUS_UNKNOWN = 0; OPEN = 1; CLOSED = 2; }

message Order {
  string order_id = 1;
  demo.common.Money total = 2;
  repeated Line lines = 3;
  message Line {
    string sku = 1;
    uint32 qty = 2;
    message Note { string text = 1; }
    Note note = 3;
  }
  map<string, int64> counters = 4;
  Status status = 5;
  oneof payment { string card = 6; bytes token = 7; }
  optional int32 priority = 8;
  repeated sint64 deltas = 9;
  fixed64 checksum = 10;
  double ratio = 11;
  float weight = 12;
  bool gift = 13;
  google.protobuf.Timestamp created_at = 14;
  google.protobuf.Duration ttl = 15;
  google.protobuf.Int64Value big = 16;
  google.protobuf.Struct extra = 17;
  google.protobuf.FieldMask mask = 18;
  google.protobuf.Any any = 19;
  map<int64, string> by_id = 20;
  uint64 max = 21;
  string renamed = 22 [json_name = "otherName"];
}

message Refund {
  string order_id = 1;
  bytes reason = 2;
}
`

describe('protobuf schema and message indexes', () => {
  const schema = parseProtobufSchema(orders, {imports: [{name: 'common.proto', content: common}]})
  it('lists messages of the main file only, in index order', () => {
    assert.deepEqual(schema.messageNames, [
      'demo.orders.Order',
      'demo.orders.Order.Line',
      'demo.orders.Order.Line.Note',
      'demo.orders.Refund',
    ])
    assert.deepEqual(schema.indexesOf('demo.orders.Order'), [0])
    assert.deepEqual(schema.indexesOf('.demo.orders.Order.Line.Note'), [0, 0, 0])
    assert.deepEqual(schema.indexesOf('demo.orders.Refund'), [1])
    assert.equal(schema.nameAt([0, 0]), 'demo.orders.Order.Line')
    assert.deepEqual(schema.codec().messageIndexes, [0])
    assert.equal(schema.codec([1]).messageName, 'demo.orders.Refund')
  })
  it('reports unknown messages and indexes', () => {
    assert.throws(
      () => schema.indexesOf('demo.common.Money'),
      /message demo.common.Money is not defined in the schema \(messages: demo.orders.Order,/,
    )
    assert.throws(() => schema.nameAt([2]), /message indexes \[2\] point at no message/)
  })
  it('needs imports to be given (except well-known types)', () => {
    assert.throws(
      () => parseProtobufSchema(orders),
      /imports "common.proto", which was not given: register it as a reference/,
    )
  })
  it('reports syntax and resolution errors', () => {
    assert.throws(() => parseProtobufSchema('syntax = "proto3"; message X { string a = 1 '), ProtobufCodecError)
    assert.throws(() => parseProtobufSchema('syntax = "proto3"; message X { Nope a = 1; }'), /no such type: Nope|Nope/)
  })
  it('keeps top-level indexes per file when an import shares the package', () => {
    const a = 'syntax = "proto3"; package p; message A {}'
    const b = 'syntax = "proto3"; package p; import "a.proto"; message B { A a = 1; } message C {}'
    const s = parseProtobufSchema(b, {imports: {'a.proto': a}})
    assert.deepEqual(s.messageNames, ['p.B', 'p.C'])
  })
})

describe('protobuf canonical JSON', () => {
  const schema = parseProtobufSchema(orders, {imports: [{name: 'common.proto', content: common}]})
  const order = schema.codec('demo.orders.Order')
  const json =
    '{"orderId":"o-1","total":{"currency":"EUR","units":"9223372036854775807"},"lines":[{"sku":"a","qty":2,"note":{"text":"hi"}},{"sku":"b"}],' +
    '"counters":{"10":"-1","2":"9007199254740993"},"status":"CLOSED","token":"AAH/gA==","priority":0,"deltas":["-9223372036854775808","1"],' +
    '"checksum":"18446744073709551615","ratio":0.1,"weight":0.1,"gift":true,"createdAt":"2024-02-29T12:34:56.789Z","ttl":"-1.500s",' +
    '"big":"12345678901234567","extra":{"a":[1,"x",null,true,{"b":2.5}]},"mask":"a.bC,d","any":{"@type":"type.googleapis.com/demo.orders.Refund","orderId":"r"},' +
    '"byId":{"-5":"neg"},"max":"1","otherName":"x"}'

  it('round-trips JSON -> binary -> identical JSON', () => {
    const bin = order.encode(json)
    assert.equal(order.decode(bin), json)
  })
  it('agrees with protobufjs on the binary', () => {
    const bin = order.encode(json)
    const T = schema.root.lookupType('demo.orders.Order')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const m = T.decode(bin) as unknown as Record<string, any>
    assert.equal(m.total.units.toString(), '9223372036854775807')
    assert.equal(m.checksum.toUnsigned().toString(), '18446744073709551615')
    assert.equal(m.deltas[0].toString(), '-9223372036854775808')
    assert.equal(m.priority, 0)
    assert.equal(m.payment, 'token')
    assert.deepEqual([...m.token], [0, 1, 255, 128])
    // protobufjs decodes maps into plain objects, which move integer-like keys ("2" before "10"): same content,
    // different entry order. This codec keeps the wire order, so its own round trip is byte-exact.
    const again = T.encode(m).finish()
    assert.deepEqual(JSON.parse(order.decode(Buffer.from(again))), JSON.parse(json))
    assert.notEqual(order.decode(Buffer.from(again)), json)
  })
  it('decodes what protobufjs encodes', () => {
    const T = schema.root.lookupType('demo.orders.Refund')
    const bin = T.encode(T.fromObject({order_id: 'x', reason: Buffer.from([1, 2, 3])})).finish()
    const refund = schema.codec('demo.orders.Refund')
    assert.equal(refund.decode(bin), '{"orderId":"x","reason":"AQID"}')
    assert.deepEqual(refund.encode('{"order_id":"x","reason":"AQID"}'), Buffer.from(bin))
  })
  it('leaves out implicit-presence defaults but keeps explicit presence', () => {
    assert.equal(
      order.decode(order.encode('{"orderId":"","status":"STATUS_UNKNOWN","ratio":0,"priority":0,"card":""}')),
      '{"card":"","priority":0}',
    )
    assert.equal(order.decode(order.encode('{"ratio":-0.0}')), '{"ratio":-0.0}')
    assert.equal(order.encode('{}').length, 0)
  })
  it('nested messages by index', () => {
    const note = schema.codec([0, 0, 0])
    assert.equal(note.messageName, 'demo.orders.Order.Line.Note')
    assert.equal(note.decode(note.encode('{"text":"é"}')), '{"text":"é"}')
  })
  it('accepts the other spellings canonical parsers accept', () => {
    const a = order.encode(
      '{"order_id":"o","total":{"units":5},"status":2,"token":"AAH_gA","ratio":"NaN","weight":"1.5","max":1e3}',
    )
    assert.equal(
      order.decode(a),
      '{"orderId":"o","total":{"units":"5"},"status":"CLOSED","token":"AAH/gA==","ratio":"NaN","weight":1.5,"max":"1000"}',
    )
    assert.equal(order.decode(order.encode('{"status":7}')), '{"status":7}')
    assert.equal(
      order.decode(order.encode('{"createdAt":"2024-02-29T14:34:56+02:00"}')),
      '{"createdAt":"2024-02-29T12:34:56Z"}',
    )
  })
  it('reports bad values with a path', () => {
    assert.throws(() => order.encode('{"nope":1}'), /\$: demo.orders.Order has no field "nope"/)
    assert.throws(() => order.encode('{"orderId":"a","order_id":"b"}'), /given twice/)
    assert.throws(() => order.encode('{"card":"a","token":"AA=="}'), /both set but belong to the same oneof payment/)
    assert.throws(
      () => order.encode('{"total":{"units":"9223372036854775808"}}'),
      /\$\.total\.units: 9223372036854775808 is out of range for int64/,
    )
    assert.throws(() => order.encode('{"lines":[{"qty":-1}]}'), /\$\.lines\[0\]\.qty: -1 is out of range for uint32/)
    assert.throws(
      () => order.encode('{"status":"NOPE"}'),
      /not a value of enum demo.orders.Status \(STATUS_UNKNOWN, OPEN, CLOSED\)/,
    )
    assert.throws(() => order.encode('{"token":"!!"}'), /is not base64/)
    assert.throws(() => order.encode('{"createdAt":"yesterday"}'), /not an RFC 3339 timestamp/)
    assert.throws(() => order.encode('{"any":{"@type":"x/no.Such"}}'), /a type this schema does not define/)
  })
  it('reports payloads that do not match', () => {
    assert.throws(() => order.decode(Buffer.from([0x0a, 0x05, 0x61])), /ends early/)
    assert.throws(
      () => order.decode(Buffer.from([0x08, 0x01])),
      /wire type 0 at \$\.order_id does not match its declared type string/,
    )
    assert.throws(() => order.decode(Buffer.from([0x0f])), /invalid protobuf wire type 7/)
  })
  it('skips unknown fields when decoding', () => {
    const refund = schema.codec('demo.orders.Refund')
    assert.equal(refund.decode(Buffer.from([0x0a, 0x01, 0x61, 0xf8, 0x06, 0x01])), '{"orderId":"a"}')
  })
})

describe('protobuf: several messages, proto2, packing', () => {
  it('handles proto2 optional fields and unpacked repeated', () => {
    const s = parseProtobufSchema(
      'syntax = "proto2"; message A { optional int32 x = 1; repeated int32 r = 2; required string s = 3; } message B { optional A a = 1; }',
    )
    const a = s.codec('A')
    const bin = a.encode('{"x":0,"r":[1,2],"s":""}')
    assert.deepEqual([...bin], [0x08, 0x00, 0x10, 0x01, 0x10, 0x02, 0x1a, 0x00])
    assert.equal(a.decode(bin), '{"x":0,"r":[1,2],"s":""}')
    assert.deepEqual(s.indexesOf('B'), [1])
  })
  it('reads packed and unpacked encodings of the same field', () => {
    const s = parseProtobufSchema('syntax = "proto3"; message A { repeated int32 r = 1; }')
    const a = s.codec()
    assert.deepEqual(
      [...a.encode('{"r":[1,-1]}')],
      [0x0a, 0x0b, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    )
    assert.equal(a.decode(Buffer.from([0x08, 0x01, 0x08, 0x02])), '{"r":[1,2]}')
  })
  it('is exact against protobufjs for random 64-bit values', () => {
    const s = parseProtobufSchema(
      'syntax = "proto3"; message A { int64 a = 1; uint64 b = 2; sint64 c = 3; fixed64 d = 4; sfixed64 e = 5; }',
    )
    const a = s.codec()
    const T = s.root.lookupType('A')
    for (let i = 0; i < 200; i++) {
      const r = () =>
        BigInt.asIntN(
          64,
          BigInt('0x' + Buffer.from(Array.from({length: 8}, () => Math.floor(Math.random() * 256))).toString('hex')),
        )
      const [x, y, z, w, v] = [r(), BigInt.asUintN(64, r()), r(), BigInt.asUintN(64, r()), r()]
      const obj = {a: x.toString(), b: y.toString(), c: z.toString(), d: w.toString(), e: v.toString()}
      const ours = a.encode(JSON.stringify(obj))
      const theirs = T.encode(
        T.fromObject(
          Object.fromEntries(
            Object.entries(obj).map(([k, val]) => [
              k,
              (protobuf.util.Long as unknown as {fromString(s: string, u: boolean): unknown}).fromString(
                val,
                k === 'b' || k === 'd',
              ),
            ]),
          ),
        ),
      ).finish()
      assert.deepEqual(ours, Buffer.from(theirs))
      const expect = Object.fromEntries(Object.entries(obj).filter(([, val]) => val !== '0'))
      assert.deepEqual(JSON.parse(a.decode(ours)), expect)
    }
  })
})
