import assert from 'node:assert/strict'
import {isUtf8} from 'node:buffer'
import {describe, it} from 'node:test'

import {memberSources, sourceAtPath} from '../../../src/lib/records/json-spans.js'
import {InputError, parseEnvelope} from '../../../src/lib/records/envelope.js'
import {toJsonLine} from '../../../src/lib/records/envelope-writer.js'
import {parsesAsJson} from '../../helpers.js'

const roundTrip = (value: Buffer | null, key: Buffer | null = null) => {
  const line = toJsonLine({topic: 't', partition: 0, offset: 1, timestamp: 5, key, value, headers: []})
  assert.ok(!line.includes('\n'), 'one line per message')
  return {line, record: parseEnvelope(line)}
}

describe('records: consume line <-> produce envelope', () => {
  it('embeds JSON objects and arrays verbatim, big integers and whitespace included', () => {
    const value = Buffer.from('{"id": 12345678901234567890,  "b" :[1.0e3, "x"]}')
    const {line, record} = roundTrip(value)
    assert.ok(line.includes('"value":{"id": 12345678901234567890,  "b" :[1.0e3, "x"]}'))
    assert.deepEqual(record.value, value)
  })

  it('keeps text, JSON scalars and JSON spread over lines as strings with exact bytes', () => {
    for (const text of [
      'hello world',
      '42',
      '"quoted"',
      'true',
      'null',
      ' {"a":1}',
      '{"a":\n1}',
      '{"a":1}\r',
      'ünïcode ✓',
      'tab\there',
    ]) {
      const {line, record} = roundTrip(Buffer.from(text))
      assert.deepEqual(record.value, Buffer.from(text), `value ${JSON.stringify(text)} via ${line}`)
    }
  })

  it('marks bytes that are not UTF-8 as base64', () => {
    const value = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x0a])
    const {line, record} = roundTrip(value, Buffer.from([0x80]))
    assert.match(line, /"valueEncoding":"base64"/)
    assert.match(line, /"keyEncoding":"base64"/)
    assert.deepEqual(record.value, value)
    assert.deepEqual(record.key, Buffer.from([0x80]))
  })

  it('tells a tombstone from an empty value and a null key from the text "null"', () => {
    assert.equal(roundTrip(null).record.value, null)
    assert.deepEqual(roundTrip(Buffer.alloc(0)).record.value, Buffer.alloc(0))
    assert.match(roundTrip(Buffer.from('x'), null).line, /"key":null,/)
    assert.match(roundTrip(Buffer.from('x'), Buffer.from('null')).line, /"key":"null",/)
    assert.deepEqual(roundTrip(Buffer.from('x'), Buffer.from('null')).record.key, Buffer.from('null'))
  })

  it('keeps headers in order with duplicates, text or base64', () => {
    const headers = [{a: Buffer.from('1')}, {a: Buffer.from('2')}, {bin: Buffer.from([0xfe])}]
    const line = toJsonLine({topic: 't', partition: 0, offset: 0, value: Buffer.from('{}'), headers})
    assert.match(
      line,
      /"headers":\[\{"key":"a","value":"1"\},\{"key":"a","value":"2"\},\{"key":"bin","value":"\/g==","encoding":"base64"\}\]/,
    )
    const record = parseEnvelope(line)
    assert.deepEqual(
      record.headers.map((h) => [h.key.toString(), h.value]),
      [
        ['a', Buffer.from('1')],
        ['a', Buffer.from('2')],
        ['bin', Buffer.from([0xfe])],
      ],
    )
  })

  it('reads partition and timestamp, and hand-written header maps and numbers', () => {
    const record = parseEnvelope(
      '{"key":"k","value":123456789012345678901,"headers":{"h":"v"},"partition":2,"timestamp":1700000000000}',
    )
    assert.deepEqual(record.value, Buffer.from('123456789012345678901'))
    assert.equal(record.partition, 2)
    assert.equal(record.timestamp, 1700000000000)
    assert.deepEqual(record.headers, [{key: Buffer.from('h'), value: Buffer.from('v')}])
  })

  it('rejects bad envelopes with a reason', () => {
    const bad: Array<[string, RegExp]> = [
      ['not json', /invalid JSON/],
      ['[1]', /must be a JSON object/],
      ['{"key":"k"}', /no "value"/],
      ['{"value":"x","valueEncoding":"hex"}', /must be "base64"/],
      ['{"value":"***","valueEncoding":"base64"}', /not valid base64/],
      ['{"value":1,"partition":-1}', /partition/],
      ['{"value":1,"headers":[{"key":"h","value":1}]}', /"headers\[0\]\.value" must be a string/],
      [
        '{"value":1,"headers":[{"key":"aGk=","keyEncoding":"hex","value":"v"}]}',
        /"headers\[0\]\.keyEncoding" must be "base64"/,
      ],
      ['{"value":1,"headers":"x"}', /headers/],
      // Half a surrogate pair has no UTF-8 form: sending it would silently become U+FFFD.
      ['{"value":"a\\ud800b"}', /"value" holds a lone UTF-16 surrogate/],
      ['{"key":"\\udc00","value":""}', /"key" holds a lone UTF-16 surrogate/],
      ['{"value":"","headers":[{"key":"h","value":"\\ud83d"}]}', /"headers\[0\]\.value" holds a lone/],
      ['{"value":"","headers":[{"key":"\\ud83d","value":"v"}]}', /"headers\[0\]\.key" holds a lone/],
    ]
    for (const [line, reason] of bad)
      assert.throws(
        () => parseEnvelope(line),
        (e: unknown) => e instanceof InputError && reason.test(e.message),
        line,
      )
    // A whole pair is fine.
    assert.deepEqual(parseEnvelope('{"value":"\\ud83d\\ude00"}').value, Buffer.from('😀'))
  })
})

describe('json-spans', () => {
  it('finds the source text of members, the last duplicate winning', () => {
    const members = memberSources(' { "a" : [1, {"x":"}"}] , "b":"s\\"}" ,"a": 7 } ')
    assert.equal(members.get('a'), '7')
    assert.equal(members.get('b'), '"s\\"}"')
  })

  it('follows dotted paths', () => {
    assert.equal(sourceAtPath('{"user":{"id":12345678901234567890}}', ['user', 'id']), '12345678901234567890')
    assert.equal(sourceAtPath('{"user":{"id":1}}', ['user', 'name']), undefined)
    assert.equal(sourceAtPath('{"user":3}', ['user', 'id']), undefined)
  })
})

describe('the envelope writer agrees with a JSON.stringify reference', () => {
  // The reference: what the line must hold, written with JSON.parse and JSON.stringify rather than byte scanning.
  function member(name: string, bytes: Buffer | null): string {
    if (bytes === null) return `"${name}":null`
    if (bytes.length === 0) return `"${name}":""`
    const text = bytes.toString('utf8')
    const utf8 = isUtf8(bytes)
    const framed = /^[[{]/.test(text) && /[\]}]$/.test(text)
    if (utf8 && framed && !/[\n\r]/.test(text) && parsesAsJson(text)) return `"${name}":${text}`
    if (utf8) return `"${name}":${JSON.stringify(text)}`
    return `"${name}":"${bytes.toString('base64')}","${name}Encoding":"base64"`
  }
  let seed = 7
  const random = (limit: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % limit
  const samples = [
    '{"a":1}',
    '[1, 2]',
    '{"a":\n1}',
    'plain',
    '"q\\"',
    '\u0000\u001f\u007f',
    'ü✓😀',
    '{"a":"\u2028"}',
    '{}',
    '[]',
  ]
  function bytes(): Buffer | null {
    const kind = random(5)
    if (kind === 0) return null
    if (kind === 1) return Buffer.from(samples[random(samples.length)])
    const b = Buffer.alloc(random(12))
    for (let i = 0; i < b.length; i++) b[i] = kind === 2 ? 0x20 + random(0x60) : random(256)
    return b
  }

  it('on a thousand random keys, values and header values', () => {
    for (let n = 0; n < 1000; n++) {
      const key = bytes()
      const value = bytes()
      const headerValue = bytes() ?? Buffer.from('h')
      const line = toJsonLine({
        topic: 't"x',
        partition: 1,
        offset: n,
        timestamp: -1,
        key,
        value,
        headers: [{h: headerValue}],
        size: 0,
      })
      const headerText = isUtf8(headerValue)
        ? JSON.stringify(headerValue.toString('utf8'))
        : `"${headerValue.toString('base64')}","encoding":"base64"`
      const expected =
        `{"topic":"t\\"x","partition":1,"offset":${n},"timestamp":null,${member('key', key)},${member('value', value)},` +
        `"headers":[{"key":"h","value":${headerText}}]}`
      assert.equal(line, expected)
      const record = parseEnvelope(line)
      assert.deepEqual(record.key, key)
      assert.deepEqual(record.value, value)
      assert.deepEqual(record.headers[0].value, headerValue)
    }
  })
})
