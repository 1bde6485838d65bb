// The packed consume of kcli's patch, called directly: asked to, it marks each key and value that is one JSON text on
// one line (what the JSON-lines output embeds without a scan of its own), and marks nothing unless asked.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {packedSource} from '../../src/lib/consume/source.js'
import {isJson} from '../../src/lib/records/json-validate.js'
import {
  JSON_KEY,
  JSON_KEY_CHECKED,
  JSON_VALUE,
  JSON_VALUE_CHECKED,
  RECORD_MESSAGE,
  RecordCursor,
} from '../../src/lib/records/packed.js'
import {createTopic, disconnect, kcli, libraryConsumer, uniqueName} from '../helpers.js'

/** Each message's JSON flags and value, in order, from the packed consume of partition 0. */
async function flagsOf(topic: string, classifyJson: boolean, count: number): Promise<Array<[number, Buffer | null]>> {
  const consumer = await libraryConsumer(uniqueName('packed'), {log_level: 0})
  try {
    consumer.assign([{topic, partition: 0, offset: 0}])
    const source = packedSource(consumer, classifyJson)
    const records: Array<[number, Buffer | null]> = []
    while (records.length < count) {
      const c = new RecordCursor(await source(1000))
      while (c.next()) if (c.kind === RECORD_MESSAGE) records.push([c.jsonFlags, c.value()])
    }
    return records
  } finally {
    await disconnect(consumer)
  }
}

async function produceValues(topic: string, values: Buffer[]): Promise<void> {
  const input = values.map((v) => JSON.stringify({value: v.toString('base64'), valueEncoding: 'base64'})).join('\n')
  const produced = await kcli(['produce', '-t', topic, '--input', 'envelope', '-q'], {input: `${input}\n`})
  assert.equal(produced.code, 0, produced.stderr)
}

describe('packed consume', () => {
  it("sets each message's JSON flags when asked, and none otherwise", async () => {
    const topic = await createTopic(uniqueName('packed-json'), 1)
    const input = [
      {key: {k: 1}, value: [1, 2]},
      {key: 'text', value: '{"a":\n1}'},
      {value: 'not json'},
      {key: '', value: null},
    ]
    const produced = await kcli(['produce', '-t', topic, '--input', 'envelope', '-q'], {
      input: input.map((m) => JSON.stringify(m)).join('\n') + '\n',
    })
    assert.equal(produced.code, 0, produced.stderr)

    const checked = JSON_KEY_CHECKED | JSON_VALUE_CHECKED
    const flags = async (classify: boolean) => (await flagsOf(topic, classify, 4)).map(([f]) => f)
    assert.deepEqual(await flags(true), [
      checked | JSON_KEY | JSON_VALUE,
      // A key given as text is stored as its bytes: `text`, not JSON; a value spread over lines is JSON, not one line.
      checked,
      // No key; empty keys and null values are not checked either.
      JSON_VALUE_CHECKED,
      0,
    ])
    assert.deepEqual(await flags(false), [0, 0, 0, 0])
  })

  it("agrees with kcli's own check wherever it gives a verdict, and gives one short of its nesting limit", async () => {
    const text = [
      '0',
      '-0',
      '01',
      '1.',
      '.5',
      '1e',
      '1E+2',
      '-',
      '1.5e-3',
      '-12.0E-00',
      'true',
      'tru',
      'null ',
      ' false',
      '"\\u00e9"',
      '"\\x"',
      '"\\ud800"',
      '"\\u12"',
      '"a\tb"',
      '"a\u007fb"',
      '"unterminated',
      '{"a":\t1} ',
      '{"a":\n1}',
      '{"a":\r1}',
      '[1,]',
      '{"a" 1}',
      '{"a":1,}',
      '{"a":1}}',
      '[]',
      '{}',
      '[[]]',
      '{"":[{}]}',
      '[1 2]',
      '{"a":nul}',
      '"é"',
      '"日本語 😀"',
    ].map((t) => Buffer.from(t))
    const bytes = [
      [0x22, 0xc0, 0x80, 0x22], // overlong
      [0x22, 0xe0, 0x80, 0x80, 0x22], // overlong
      [0x22, 0xed, 0xa0, 0x80, 0x22], // a surrogate
      [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], // beyond U+10FFFF
      [0x22, 0xf5, 0x80, 0x80, 0x80, 0x22],
      [0x22, 0xc2, 0x22], // cut short
      [0x22, 0xe2, 0x82, 0x22],
      [0x22, 0xff, 0x22],
    ].map((b) => Buffer.from(b))
    // Strings are checked 8 bytes at a time until a byte that is not plain ASCII: each kind of such byte after 0 to 17
    // plain ones, so it falls at every place in a word and after one or two whole words.
    const afterPlain = ['"', '\\n', '\\u00e9', '\\x', '\x01', '\x7f', 'é', '😀']
      .flatMap((special) => Array.from({length: 18}, (_, n) => `"${'a'.repeat(n)}${special}bc"`))
      .map((t) => Buffer.from(t))
    const afterPlainBytes = [[0xff], [0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80]].flatMap((special) =>
      Array.from({length: 18}, (_, n) => Buffer.from([0x22, ...Buffer.from('a'.repeat(n)), ...special, 0x22])),
    )
    const nested = (depth: number, inner = '') => Buffer.from('['.repeat(depth) + inner + ']'.repeat(depth))
    const deep = [nested(4095, '1'), nested(4096), nested(4097, '1'), nested(5000)]
    const values = [...text, ...bytes, ...afterPlain, ...afterPlainBytes, ...deep]
    const topic = await createTopic(uniqueName('packed-corpus'), 1)
    await produceValues(topic, values)

    const records = await flagsOf(topic, true, values.length)
    records.forEach(([flags, value], i) => {
      assert.ok(value?.equals(values[i]), `record ${i} is value ${i}`)
      if (i < values.length - 2) assert.ok(flags & JSON_VALUE_CHECKED, `value ${i} is checked`)
      if (flags & JSON_VALUE_CHECKED)
        assert.equal((flags & JSON_VALUE) !== 0, isJson(values[i], 0, values[i].length, true), `value ${i}: ${value}`)
    })
    // Beyond 4,096 levels the library leaves the verdict to kcli.
    assert.equal(records.at(-1)![0] & JSON_VALUE_CHECKED, 0)
  })
})
