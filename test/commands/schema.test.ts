// The schema registry against the real thing: Apicurio Registry from `kcli local start --schema-registry` (test/run.ts)
// and the suite's broker. `kcli schema ...`, produce --value-schema/--key-schema, consume's decoding, envelope round
// trips compared byte for byte, and what happens with unknown ids, a registry that is down, wrong credentials and an
// untrusted project rc file.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {createTopic, kcli, lines, trustRcFile, uniqueName} from '../helpers.js'
import {type RegistryProxy, rawMessages, registryProxy, registryUrl} from '../registry-helpers.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-schema-'))
const withRegistry = {KCLI_REGISTRY_URL: registryUrl}

function file(name: string, text: string): string {
  const full = path.join(dir, name)
  fs.mkdirSync(path.dirname(full), {recursive: true})
  fs.writeFileSync(full, text)
  return full
}

interface Line {
  key: unknown
  value: unknown
  keySchema?: {id: number; format: string; message?: string; indexes?: number[]}
  valueSchema?: {id: number; format: string; message?: string; indexes?: number[]}
}

async function consumeDecoded(topic: string, extra: string[] = []): Promise<{lines: Line[]; raw: string[]}> {
  const result = await kcli(['consume', '-t', topic, '--from-beginning', '-e', ...extra], {env: withRegistry})
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '', 'no warnings')
  return {lines: lines(result.out).map((l) => JSON.parse(l) as Line), raw: lines(result.out)}
}

/** consume -> produce --input envelope into a new topic; both topics must then hold the same bytes. */
async function assertRoundTrip(topic: string): Promise<void> {
  const copy = await createTopic(uniqueName(`${topic}-copy`))
  const consumed = await kcli(['consume', '-t', topic, '--from-beginning', '-e'], {env: withRegistry})
  assert.equal(consumed.code, 0, consumed.stderr)
  const produced = await kcli(['produce', '-t', copy, '--input', 'envelope'], {env: withRegistry, input: consumed.out})
  assert.equal(produced.code, 0, produced.stderr)
  assert.deepEqual(await rawMessages(copy), await rawMessages(topic))
}

const userV1 = JSON.stringify({
  type: 'record',
  name: 'Account',
  namespace: 'bank',
  fields: [
    {name: 'id', type: 'long'},
    {name: 'name', type: 'string'},
  ],
})

describe('kcli schema', () => {
  const subject = uniqueName('users-value')
  const v1 = file('user-v1.avsc', `${userV1}\n`)
  const v2 = file('user-v2.avsc', userV1.replace(']}', ',{"name":"email","type":["null","string"],"default":null}]}'))
  const incompatible = file('user-bad.avsc', userV1.replace(']}', ',{"name":"age","type":"int"}]}'))

  it('registers a file once, finds it the second time, and shows it exactly as registered', async () => {
    const first = await kcli(['schema', 'register', subject, v1], {env: withRegistry})
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.out, new RegExp(`^${subject} version 1 id \\d+ \\(registered\\)\\n$`))
    const again = await kcli(['schema', 'register', subject, v1, '--json'], {env: withRegistry})
    const report = JSON.parse(again.out) as {id: number; version: number; registered: boolean; schemaType: string}
    assert.deepEqual(
      {...report, id: 0},
      {
        subject,
        version: 1,
        id: 0,
        registered: false,
        schemaType: 'AVRO',
        references: [],
      },
    )
    const got = await kcli(['schema', 'get', subject], {env: withRegistry})
    assert.equal(got.code, 0, got.stderr)
    assert.equal(got.out, `${userV1}\n`, 'the text as registered, on stdout alone')
    assert.match(got.stderr, new RegExp(`${subject} version 1, id ${report.id}, AVRO`))
    const byId = JSON.parse(
      (await kcli(['schema', 'get', '--id', String(report.id), '--json'], {env: withRegistry})).out,
    )
    // Ids are content ids: the same text under other subjects shares it.
    assert.ok((byId.versions as Array<{subject: string}>).some((v) => v.subject === subject))
    assert.equal(byId.schemaType, 'AVRO')
    const list = await kcli(['schema', 'list', '--json'], {env: withRegistry})
    assert.ok((JSON.parse(list.out) as {subjects: string[]}).subjects.includes(subject))
  })

  it('checks compatibility: exit 0 when compatible, 1 with the registry reason when not', async () => {
    const ok = await kcli(['schema', 'check', subject, v2], {env: withRegistry})
    assert.equal(ok.code, 0, ok.out + ok.stderr)
    assert.match(ok.out, /^compatible with /)
    const bad = await kcli(['schema', 'check', subject, incompatible, '--json'], {env: withRegistry})
    assert.equal(bad.code, 1)
    const report = JSON.parse(bad.out) as {compatible: boolean; messages: string[]}
    assert.equal(report.compatible, false)
    assert.match(report.messages.join(' '), /age/, 'the registry names the field')
    const fresh = await kcli(['schema', 'check', uniqueName('fresh-value'), v1], {env: withRegistry})
    assert.equal(fresh.code, 0, fresh.stderr)
  })

  it('refuses an incompatible registration with the registry message (exit 1)', async () => {
    const result = await kcli(['schema', 'register', subject, incompatible], {env: withRegistry})
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^kcli: schema registry POST .*: 409 incompatible schema: Incompatible artifact: .*age/m,
    )
    assert.doesNotMatch(result.stderr, /RuleViolationException|\n\s+at /)
    const versions = await kcli(['schema', 'get', subject, '--json'], {env: withRegistry})
    assert.equal((JSON.parse(versions.out) as {version: number}).version, 1, 'nothing registered')
  })

  it('refuses an invalid schema file before asking the registry, and names unknown subjects (exit 2)', async () => {
    const broken = file('broken.avsc', '{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}')
    const result = await kcli(['schema', 'register', subject, broken], {
      env: {KCLI_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7'},
    })
    assert.equal(result.code, 2, result.stderr)
    assert.match(result.stderr, /^kcli: schema file .*broken\.avsc: invalid Avro schema/m)
    const unknown = await kcli(['schema', 'get', uniqueName('nope')], {env: withRegistry})
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /404 subject not found/)
    const noRegistry = await kcli(['schema', 'list'])
    assert.equal(noRegistry.code, 2)
    assert.match(noRegistry.stderr, /^kcli: no schema registry given\n {2}hint: Set --registry-url/m)
  })

  it('deletes only with --yes off a terminal, softly: the schema stays readable by id', async () => {
    const refused = await kcli(['schema', 'delete', subject], {env: withRegistry})
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /confirmation needed.*\n.*--yes/)
    const id = (JSON.parse((await kcli(['schema', 'get', subject, '--json'], {env: withRegistry})).out) as {id: number})
      .id
    const deleted = await kcli(['schema', 'delete', subject, '--yes', '--json'], {env: withRegistry})
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.deepEqual(JSON.parse(deleted.out), {subject, versions: [1], permanent: false})
    const list = JSON.parse((await kcli(['schema', 'list', '--json'], {env: withRegistry})).out) as {subjects: string[]}
    assert.ok(!list.subjects.includes(subject))
    const withDeleted = await kcli(['schema', 'list', '--deleted', '--json'], {env: withRegistry})
    assert.ok((JSON.parse(withDeleted.out) as {subjects: string[]}).subjects.includes(subject))
    assert.equal((await kcli(['schema', 'get', '--id', String(id)], {env: withRegistry})).code, 0)
  })
})

describe('produce and consume with Avro', () => {
  const schema = file(
    'payment.avsc',
    JSON.stringify({
      type: 'record',
      name: 'Payment',
      namespace: 'shop',
      fields: [
        {name: 'id', type: 'long'},
        {name: 'amount', type: {type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2}},
        {name: 'at', type: {type: 'long', logicalType: 'timestamp-millis'}},
        {name: 'day', type: {type: 'int', logicalType: 'date'}},
        {name: 'ref', type: {type: 'string', logicalType: 'uuid'}},
        {name: 'raw', type: 'bytes'},
        {name: 'hash', type: {type: 'fixed', name: 'Hash', size: 4}},
        {name: 'note', type: ['null', 'string', 'long'], default: null},
        {name: 'ratio', type: 'double'},
        {name: 'tags', type: {type: 'map', values: 'long'}},
        {
          name: 'status',
          type: {type: 'enum', name: 'Status', symbols: ['NEW', 'PAID']},
        },
      ],
    }),
  )
  const values = [
    '{"id":9223372036854775807,"amount":"\\u0000\\u00ff","at":1709208000123,"day":19782,"ref":"0b7c1f5e-6a2b-4c1d-9e8f-000000000001","raw":"\\u0000\\u0001\\u007f\\u0080\\u00ff","hash":"abcd","note":{"long":-9223372036854775808},"ratio":0.1,"tags":{"10":1,"2":9007199254740993},"status":"PAID"}',
    '{"id":-9007199254740993,"amount":"","at":0,"day":0,"ref":"","raw":"","hash":"\\u0000\\u0000\\u0000\\u0000","note":null,"ratio":-0.0,"tags":{},"status":"NEW"}',
    '{"id":1,"amount":"\\u0001","at":-1,"day":-1,"ref":"x","raw":"\\"\\\\","hash":"wxyz","note":{"string":"caf\\u00e9 \\u2603"},"ratio":1e300,"tags":{"a":0},"status":"NEW"}',
  ]
  let topic: string

  before(async () => {
    topic = await createTopic(uniqueName('avro'))
  })

  it('encodes JSON lines, registering the schema under <topic>-value, and decodes them back exactly', async () => {
    const produced = await kcli(['produce', '-t', topic, '--value-schema', schema], {
      env: withRegistry,
      input: values.join('\n') + '\n',
    })
    assert.equal(produced.code, 0, produced.stderr)
    assert.match(
      produced.stderr,
      new RegExp(`values: avro schema .*payment\\.avsc, registered as ${topic}-value version 1, id \\d+`),
    )
    const {lines: consumed, raw} = await consumeDecoded(topic)
    assert.equal(consumed.length, 3)
    // The value member is the JSON as written (big longs, bytes, key order of maps), not a rounded copy.
    const expected = [
      '{"id":9223372036854775807,"amount":"\\u0000\\u00ff","at":1709208000123,"day":19782,"ref":"0b7c1f5e-6a2b-4c1d-9e8f-000000000001","raw":"\\u0000\\u0001\\u007f\\u0080\\u00ff","hash":"abcd","note":{"long":-9223372036854775808},"ratio":0.1,"tags":{"10":1,"2":9007199254740993},"status":"PAID"}',
    ]
    assert.ok(
      raw[0].includes(`"value":${expected[0]},"valueSchema":{"id":${consumed[0].valueSchema!.id},"format":"avro"}`),
      raw[0],
    )
    assert.ok(raw[1].includes('"id":-9007199254740993'), raw[1])
    assert.ok(raw[1].includes('"ratio":-0.0'), raw[1])
    const valueOnly = await kcli(['consume', '-t', topic, '--from-beginning', '-e', '--output', 'value'], {
      env: withRegistry,
    })
    assert.equal(lines(valueOnly.out)[0], expected[0])
    // The bytes are Avro in the Confluent wire format: magic byte 0, the schema id, then the record.
    const [first] = await rawMessages(topic)
    assert.equal(first.value![0], 0)
    assert.equal(first.value!.readUInt32BE(1), consumed[0].valueSchema!.id)
  })

  it('copies the topic through envelopes to the identical bytes', async () => {
    await assertRoundTrip(topic)
  })

  it('treats a line that does not fit the schema as invalid input, with its line number and path', async () => {
    const bad = values[1].replace('"status":"NEW"', '"status":"LOST"')
    const failed = await kcli(['produce', '-t', topic, '--value-schema', schema], {
      env: withRegistry,
      input: `${values[0]}\n${bad}\n`,
    })
    assert.equal(failed.code, 2)
    assert.match(
      failed.stderr,
      /^kcli: line 2: the value does not fit schema id \d+ \(.*-value version 1\): \$\.status: "LOST" is not a symbol of shop\.Status/m,
    )
    assert.match(failed.stderr, /1 delivered, 1 invalid/)
    const skipped = await kcli(['produce', '-t', topic, '--value-schema', schema, '--on-invalid', 'skip'], {
      env: withRegistry,
      input: `${bad}\n${values[2].replace('"id":1', '"id":"one"')}\n${values[0]}\n`,
    })
    assert.equal(skipped.code, 0, skipped.stderr)
    assert.match(skipped.stderr, /1 delivered, 2 invalid/)
  })
})

describe('produce with a schema the subject refuses', () => {
  it('exits 1 with the registry reason before sending; --dry-run checks lines against the file alone', async () => {
    const topic = await createTopic(uniqueName('refused'))
    const v1 = file('r1.avsc', userV1)
    const first = await kcli(['produce', '-t', topic, '--value-schema', v1], {
      env: withRegistry,
      input: '{"id":1,"name":"a"}\n',
    })
    assert.equal(first.code, 0, first.stderr)
    const v2 = file('r2.avsc', userV1.replace(']}', ',{"name":"age","type":"int"}]}'))
    const refused = await kcli(['produce', '-t', topic, '--value-schema', v2], {
      env: withRegistry,
      input: '{"id":2,"name":"b","age":3}\n',
    })
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /409 incompatible schema: Incompatible artifact: .*age/)
    assert.equal((await rawMessages(topic)).length, 1, 'nothing sent')
    const dry = await kcli(['produce', '-t', topic, '--value-schema', v2, '--dry-run'], {
      env: {KCLI_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7'},
      input: '{"id":2,"name":"b","age":3}\n{"id":"x"}\n',
    })
    assert.equal(dry.code, 2)
    assert.match(dry.stderr, /line 2: the value does not fit .*r2\.avsc: \$\.id: expected long/)
  })
})

describe('produce and consume with Protobuf', () => {
  // The import path is its subject: unique per run, so that a registry kept between runs starts it at version 1.
  const common = uniqueName('common')
  file(
    `protos/${common}/money.proto`,
    'syntax = "proto3";\npackage shop.common;\nmessage Money {\n  string currency = 1;\n  int64 units = 2;\n}\n',
  )
  const order = file(
    'protos/order.proto',
    `syntax = "proto3";
package shop;
import "${common}/money.proto";
import "google/protobuf/timestamp.proto";

message Customer { string id = 1; }
message Order {
  string id = 1;
  shop.common.Money total = 2;
  repeated Line lines = 3;
  google.protobuf.Timestamp at = 4;
  map<string, int64> attrs = 5;
  message Line {
    string sku = 1;
    uint64 qty = 2;
    bytes note = 3;
  }
}
`,
  )

  it('registers the .proto with its import as a reference and writes the message indexes', async () => {
    const topic = await createTopic(uniqueName('proto'))
    const orderJson =
      '{"id":"o1","total":{"currency":"EUR","units":"9223372036854775807"},"lines":[{"sku":"a","qty":"18446744073709551615","note":"AP8="}],"at":"2024-02-29T12:00:00.123Z","attrs":{"10":"1","2":"-2"}}'
    const first = await kcli(
      [
        'produce',
        '-t',
        topic,
        '--value-schema',
        order,
        '--value-message',
        'shop.Order',
        '--key-schema',
        order,
        '--key-message',
        'shop.Customer',
        '-k',
        '{"id":"c1"}',
      ],
      {env: withRegistry, input: `${orderJson}\n`},
    )
    assert.equal(first.code, 0, first.stderr)
    const line = await kcli(['produce', '-t', topic, '--value-schema', order, '--value-message', 'shop.Order.Line'], {
      env: withRegistry,
      input: '{"sku":"b","qty":2}\n',
    })
    assert.equal(line.code, 0, line.stderr)

    const {lines: consumed} = await consumeDecoded(topic)
    assert.deepEqual(consumed[0].key, {id: 'c1'})
    assert.deepEqual(
      {...consumed[0].keySchema, id: 0},
      {id: 0, format: 'protobuf', message: 'shop.Customer', indexes: [0]},
    )
    assert.deepEqual(
      {...consumed[0].valueSchema, id: 0},
      {id: 0, format: 'protobuf', message: 'shop.Order', indexes: [1]},
    )
    assert.deepEqual(consumed[1].value, {sku: 'b', qty: '2'})
    assert.deepEqual(consumed[1].valueSchema!.indexes, [1, 0])
    const raw = await rawMessages(topic)
    // Message indexes after the 5-byte header: [0] is the single byte 0; [1] is count 1, index 1 (zigzag: 2 2);
    // [1,0] is 4 2 0.
    assert.deepEqual([...raw[0].key!.subarray(5, 6)], [0])
    assert.deepEqual([...raw[0].value!.subarray(5, 7)], [2, 2])
    assert.deepEqual([...raw[1].value!.subarray(5, 8)], [4, 2, 0])

    const refs = await kcli(['schema', 'get', `${topic}-value`, '--json'], {env: withRegistry})
    assert.deepEqual((JSON.parse(refs.out) as {references: unknown}).references, [
      {name: `${common}/money.proto`, subject: `${common}/money.proto`, version: 1},
    ])
    await assertRoundTrip(topic)
  })

  it('names a message that is not in the file (exit 2) and a value that does not fit it, with the path', async () => {
    const topic = await createTopic(uniqueName('proto-bad'))
    const unknown = await kcli(['produce', '-t', topic, '--value-schema', order, '--value-message', 'shop.Nope'], {
      env: withRegistry,
      input: '{}\n',
    })
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /--value-message shop\.Nope: message shop\.Nope is not defined in the schema/)
    const bad = await kcli(['produce', '-t', topic, '--value-schema', order, '--value-message', 'shop.Order'], {
      env: withRegistry,
      input: '{"lines":[{"qty":"-1"}]}\n',
    })
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /line 1: the value does not fit .*: \$\.lines\[0\]\.qty: -1 is out of range for uint64/)
  })
})

describe('produce and consume with JSON Schema, keys and values of different formats', () => {
  it('validates with the JSON Schema, sends the text as written and reads it back', async () => {
    const topic = await createTopic(uniqueName('jsonschema'))
    const valueSchema = file(
      'event.json',
      JSON.stringify({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {user: {type: 'string'}, amount: {type: 'integer'}},
        required: ['user'],
      }),
    )
    const keySchema = file('key.avsc', '"string"')
    const input = '{"user":"ada", "amount":12345678901234567890}\n{"user":"alan","amount":7}\n'
    const produced = await kcli(
      ['produce', '-t', topic, '--value-schema', valueSchema, '--key-schema', keySchema, '--key-field', 'user'],
      {env: withRegistry, input},
    )
    assert.equal(produced.code, 0, produced.stderr)
    const {lines: consumed, raw} = await consumeDecoded(topic)
    assert.equal(consumed[0].key, 'ada')
    assert.equal(consumed[0].keySchema!.format, 'avro')
    assert.equal(consumed[0].valueSchema!.format, 'json')
    assert.ok(raw[0].includes('"value":{"user":"ada", "amount":12345678901234567890}'), raw[0])
    await assertRoundTrip(topic)
    const invalid = await kcli(['produce', '-t', topic, '--value-schema', valueSchema], {
      env: withRegistry,
      input: '{"amount":1.5}\n',
    })
    assert.equal(invalid.code, 2)
    assert.match(
      invalid.stderr,
      /line 1: the value does not fit .*: value does not match the JSON schema: \$: must have required property 'user'; \$\.amount: must be integer/,
    )
  })
})

describe('messages the registry cannot decode', () => {
  let topic: string
  let proxy: RegistryProxy | undefined

  before(async () => {
    topic = await createTopic(uniqueName('undecodable'))
    const schema = file('n.avsc', '{"type":"record","name":"N","fields":[{"name":"n","type":"long"}]}')
    const produced = await kcli(['produce', '-t', topic, '--value-schema', schema], {
      env: withRegistry,
      input: '{"n":1}\n',
    })
    assert.equal(produced.code, 0, produced.stderr)
    // An id the registry never gave out, and a known id whose payload is not a record of that schema.
    const unknownId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xfe, 1, 2])
    const known = (await rawMessages(topic))[0].value!
    const garbage = Buffer.concat([known.subarray(0, 5), Buffer.from([0xff, 0xff])])
    const envelopes = [unknownId, garbage]
      .map((b) => JSON.stringify({value: b.toString('base64'), valueEncoding: 'base64'}))
      .join('\n')
    assert.equal((await kcli(['produce', '-t', topic, '--input', 'envelope'], {input: `${envelopes}\n`})).code, 0)
  })
  after(async () => {
    await proxy?.close()
  })

  it('prints them as raw bytes with one warning each, never dropping a message', async () => {
    const result = await kcli(['consume', '-t', topic, '--from-beginning', '-e'], {env: withRegistry})
    assert.equal(result.code, 0, result.stderr)
    const out = lines(result.out).map((l) => JSON.parse(l) as Line & {valueEncoding?: string})
    assert.equal(out.length, 3)
    assert.deepEqual(out[0].value, {n: 1})
    assert.equal(out[1].valueEncoding, 'base64')
    assert.equal(Buffer.from(out[1].value as string, 'base64').readUInt32BE(1), 0x7ffffffe)
    assert.equal(out[2].valueEncoding, 'base64')
    assert.match(
      result.stderr,
      /warning: .*@1: value: schema id 2147483646 is not in the registry; printed as raw bytes/,
    )
    assert.match(result.stderr, /warning: .*@2: value: does not decode with schema id \d+ \(Avro payload ends early/)
    assert.equal(lines(result.stderr).length, 2)
  })

  it('exits 3 at start when the registry is down, and warns per message when it goes away later', async () => {
    const down = {KCLI_REGISTRY_URL: 'http://127.0.0.1:9/apis/ccompat/v7'}
    const consume = await kcli(['consume', '-t', topic, '--from-beginning', '-e'], {env: down})
    assert.equal(consume.code, 3)
    assert.match(
      consume.stderr,
      /^kcli: cannot reach the schema registry: GET http:\/\/127\.0\.0\.1:9\/apis\/ccompat\/v7\/schemas\/types: connection refused\n {2}hint: /m,
    )
    assert.equal(consume.out, '')
    const produce = await kcli(['produce', '-t', topic, '--value-schema', file('m.avsc', '"long"')], {
      env: down,
      input: '1\n',
    })
    assert.equal(produce.code, 3)
    assert.equal((await rawMessages(topic)).length, 3, 'nothing sent')
    // A registry that answers at start and then fails for schema lookups.
    proxy = await registryProxy({fail: (p) => p.includes('/schemas/ids/')})
    const later = await kcli(['consume', '-t', topic, '--from-beginning', '-e'], {env: {KCLI_REGISTRY_URL: proxy.url}})
    assert.equal(later.code, 0, later.stderr)
    assert.equal(lines(later.out).length, 3)
    assert.match(later.stderr, /@0: value: schema id \d+: cannot reach the schema registry: .*; printed as raw bytes/)
  })
})

describe('registry credentials', () => {
  let proxy: RegistryProxy
  const password = 'pw-0f9c2e'
  before(async () => {
    proxy = await registryProxy({authorization: `Basic ${Buffer.from(`ann:${password}`).toString('base64')}`})
  })
  after(() => proxy.close())

  it('sends basic auth from the environment, exits 3 on a refusal, and never prints the password', async () => {
    const env = {KCLI_REGISTRY_URL: proxy.url, KCLI_REGISTRY_USERNAME: 'ann', KCLI_REGISTRY_PASSWORD: password}
    const ok = await kcli(['schema', 'list'], {env})
    assert.equal(ok.code, 0, ok.stderr)
    const wrong = await kcli(['schema', 'list'], {env: {...env, KCLI_REGISTRY_PASSWORD: 'wrong-pw-1'}})
    assert.equal(wrong.code, 3)
    assert.match(wrong.stderr, /401 authentication required or rejected/)
    assert.match(wrong.stderr, /hint: Check --registry-username/)
    assert.doesNotMatch(wrong.stderr + wrong.out, /wrong-pw-1|pw-0f9c2e/)
    const consume = await kcli(['consume', '-t', await createTopic(uniqueName('auth')), '-e'], {
      env: {...env, KCLI_REGISTRY_PASSWORD: 'wrong-pw-1'},
    })
    assert.equal(consume.code, 3, 'refused credentials end consume before it reads')
    const noPassword = await kcli(['schema', 'list'], {env: {...env, KCLI_REGISTRY_PASSWORD: undefined}})
    assert.equal(noPassword.code, 2)
    assert.match(noPassword.stderr, /no registry\.password given, and no terminal to ask for it on/)
    const flag = await kcli(['schema', 'list', '--registry-password', password], {
      env: {...env, KCLI_REGISTRY_PASSWORD: undefined},
    })
    assert.equal(flag.code, 0, flag.stderr)
    assert.match(flag.stderr, /--registry-password on the command line can be seen by other users/)
    assert.doesNotMatch(flag.stderr, new RegExp(password))
  })

  it('shows the registry settings in config show with secrets masked', async () => {
    const result = await kcli(['config', 'show', '--json'], {
      env: {KCLI_REGISTRY_URL: proxy.url, KCLI_REGISTRY_USERNAME: 'ann', KCLI_REGISTRY_PASSWORD: password},
    })
    assert.equal(result.code, 0, result.stderr)
    const rows = (JSON.parse(result.out) as {settings: Array<{key: string; value: string; source: {name: string}}>})
      .settings
    assert.deepEqual(
      rows.filter((r) => r.key.startsWith('registry.')).map((r) => [r.key, r.value, r.source.name]),
      [
        ['registry.url', proxy.url, 'KCLI_REGISTRY_URL'],
        ['registry.username', 'ann', 'KCLI_REGISTRY_USERNAME'],
        ['registry.password', '********', 'KCLI_REGISTRY_PASSWORD'],
      ],
    )
    assert.doesNotMatch(result.out, new RegExp(password))
  })
})

describe('project rc files and the registry', () => {
  it('an untrusted project file never sends registry credentials anywhere; once trusted it does', async () => {
    const capture = await registryProxy()
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-project-'))
    const dataHome = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-data-'))
    const rc = path.join(project, '.kclirc.yaml')
    fs.writeFileSync(rc, `registry:\n  url: ${capture.url}\n`)
    const env = {KCLI_REGISTRY_USERNAME: 'ann', KCLI_REGISTRY_PASSWORD: 'secret-from-env', XDG_DATA_HOME: dataHome}
    try {
      const list = await kcli(['schema', 'list'], {cwd: project, env})
      assert.equal(list.code, 2, 'no registry: the project file is ignored')
      assert.match(
        list.stderr,
        /warning: ignoring .*\.kclirc\.yaml: rc files found in a project are used only once trusted/,
      )
      const topic = await createTopic(uniqueName('untrusted'))
      const consume = await kcli(['consume', '-t', topic, '-e'], {cwd: project, env})
      assert.equal(consume.code, 0, consume.stderr)
      const produce = await kcli(['produce', '-t', topic, '--value-schema', file('t.avsc', '"long"')], {
        cwd: project,
        env,
        input: '1\n',
      })
      assert.equal(produce.code, 2)
      assert.deepEqual(capture.requests, [], 'the registry named by the untrusted file heard nothing')
      trustRcFile(rc, dataHome)
      const trusted = await kcli(['schema', 'list'], {cwd: project, env})
      assert.equal(trusted.code, 0, trusted.stderr)
      assert.equal(capture.requests.length, 1)
      assert.equal(capture.requests[0].authorization, `Basic ${Buffer.from('ann:secret-from-env').toString('base64')}`)
    } finally {
      await capture.close()
    }
  })
})
