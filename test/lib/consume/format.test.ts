// How consume prints a message: format strings and their escapes, the output modes, and what a terminal is shielded
// from (control characters from messages) while a pipe gets the exact bytes.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {Message} from '@confluentinc/kafka-javascript'

import {type Formatter, compileFormat, formatterFor} from '../../../src/lib/consume/format.js'
import {KcliError} from '../../../src/lib/errors.js'
import {RecordCursor, packMessages} from '../../../src/lib/records/packed.js'
import {OutputBatch} from '../../../src/lib/terminal/stdout-writer.js'

const message = (overrides: Partial<Message> = {}): Message => ({
  topic: 'orders',
  partition: 2,
  offset: 41,
  timestamp: 1763900000000,
  key: Buffer.from('user-1'),
  value: Buffer.from('{"id":1}'),
  headers: [{source: Buffer.from('import')}, {trace: Buffer.from('abc')}],
  size: 0,
  ...overrides,
})

/** The one record of a message, as the consume loop hands it to a formatter. */
function cursorOf(m: Message): RecordCursor {
  const cursor = new RecordCursor(packMessages([m]))
  cursor.next()
  return cursor
}

/** What a formatter writes for one message: its bytes, without the line's newline. */
function render(formatter: Formatter, m: Message): Buffer {
  const cursor = cursorOf(m)
  const out = new OutputBatch(64)
  formatter.startBatch(cursor.batch)
  formatter.write(cursor, out)
  const bytes = out.buffer.subarray(0, out.length)
  return bytes.at(-1) === 0x0a ? bytes.subarray(0, -1) : bytes
}

const text = (out: string | Buffer) => (typeof out === 'string' ? out : out.toString('utf8'))

describe('compileFormat', () => {
  const cases: Array<{format: string; expected: string; message?: Partial<Message>}> = [
    {format: '%t %p %o', expected: 'orders 2 41'},
    {format: '%k=%v', expected: 'user-1={"id":1}'},
    {format: '%T', expected: '1763900000000'},
    {format: '%h', expected: '[{"key":"source","value":"import"},{"key":"trace","value":"abc"}]'},
    {format: '%k\\t%v\\n', expected: 'user-1\t{"id":1}\n'},
    {format: '100%% %v', expected: '100% {"id":1}'},
    {format: 'a\\\\b', expected: 'a\\b'},
    {format: 'keep \\x as it is', expected: 'keep \\x as it is'},
    {format: '%k\\x1f%v\\u00a6', expected: 'user-1\x1f{"id":1}\u00a6'},
    {format: 'ends with a backslash\\', expected: 'ends with a backslash\\'},
    {format: 'no directives', expected: 'no directives'},
    {format: '[%k]', expected: '[]', message: {key: null}},
    {format: '[%v]', expected: '[]', message: {value: null}},
    {format: '[%T]', expected: '[]', message: {timestamp: undefined}},
    {format: '%h', expected: '[]', message: {headers: undefined}},
    {format: '%v', expected: '/w==', message: {value: Buffer.from([0xff])}},
    {format: '%k', expected: 'text key', message: {key: 'text key' as never}},
  ]
  for (const c of cases) {
    it(`${JSON.stringify(c.format)} prints ${JSON.stringify(c.expected)}`, () => {
      assert.equal(compileFormat(c.format)(cursorOf(message(c.message))), c.expected)
    })
  }

  it('refuses an unknown directive, or a % at the end, as a usage error naming the known ones', () => {
    for (const format of ['%x', 'value: %']) {
      assert.throws(
        () => compileFormat(format),
        (err: unknown) =>
          err instanceof KcliError && err.exit === 2 && /^--format: unknown directive %/.test(err.message),
      )
    }
  })
})

describe('formatterFor', () => {
  const hostile = message({
    key: Buffer.from('k\u001b]0;title\u0007'),
    value: Buffer.from('v\u001b[2J\u009b'),
  })

  it('prints JSON lines on a pipe and in json mode, exactly', () => {
    const line = text(render(formatterFor('auto', undefined, false), message()))
    assert.deepEqual(JSON.parse(line), {
      topic: 'orders',
      partition: 2,
      offset: 41,
      timestamp: 1763900000000,
      key: 'user-1',
      value: {id: 1},
      headers: [
        {key: 'source', value: 'import'},
        {key: 'trace', value: 'abc'},
      ],
    })
    assert.equal(text(render(formatterFor('json', undefined, false), message())), line)
  })

  it('gives a pipe the exact bytes of a value, and a terminal an escaped text', () => {
    const bytes = Buffer.from([0x00, 0xff, 0x1b])
    const onPipe = render(formatterFor('value', undefined, false), message({value: bytes}))
    assert.ok(onPipe.equals(bytes))
    assert.equal(render(formatterFor('value', undefined, false), message({value: null})).length, 0)
    assert.equal(text(render(formatterFor('value', undefined, true), hostile)), 'v\\u001b[2J\\u009b')
  })

  it('escapes control characters from messages on a terminal, in every mode', () => {
    for (const out of [
      render(formatterFor('json', undefined, true), hostile),
      render(formatterFor('pretty', undefined, true), hostile),
      render(formatterFor('auto', '%k %v', true), hostile),
    ]) {
      assert.doesNotMatch(text(out), /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    }
    // On a pipe a format string prints the text as it is.
    assert.equal(text(render(formatterFor('auto', '%v', false), hostile)), 'v\u001b[2J\u009b')
  })

  it('shows people a readable view on a terminal: where, when, key, headers, then the value as jq shows it', () => {
    const view = text(render(formatterFor('auto', undefined, true), message()))
    assert.equal(view, 'orders[2]@41 2025-11-23T12:13:20.000Z key user-1 source=import trace=abc\n{\n  "id": 1\n}')
    const big = text(
      render(
        formatterFor('pretty', undefined, true),
        message({value: Buffer.from('{"n":[12345678901234567890, 1.50]}')}),
      ),
    )
    assert.match(
      big,
      /\n\{\n {2}"n": \[\n {4}12345678901234567890,\n {4}1\.50\n {2}\]\n\}$/,
      'numbers keep their digits',
    )
  })

  it('marks tombstones, empty values and binary ones unmistakably', () => {
    const view = (m: Partial<Message>) => text(render(formatterFor('pretty', undefined, true), message(m))).split('\n')
    assert.equal(view({value: null})[1], '<tombstone>')
    assert.equal(view({value: Buffer.alloc(0)})[1], '<empty>')
    assert.equal(view({value: Buffer.from([0xff, 0x00])})[1], '<binary, 2 bytes, base64> /wA=')
    assert.equal(view({value: Buffer.from('plain text')})[1], 'plain text')
    assert.match(view({key: Buffer.from([0xff])})[0], / key <binary, 1 byte, base64> \/w== /)
    assert.doesNotMatch(view({key: null})[0], / key /)
  })

  it('keeps the header line short: long keys and headers are cut', () => {
    const long = 'k'.repeat(200)
    const [head] = text(
      render(
        formatterFor('pretty', undefined, true),
        message({key: Buffer.from(long), headers: [{h: Buffer.from(long)}]}),
      ),
    ).split('\n')
    assert.ok(head.length < 160, head)
    assert.match(head, /k…/)
  })

  it('prints the view as plain text on a pipe (--output pretty): no colour codes', () => {
    const out = text(render(formatterFor('pretty', undefined, false), message()))
    assert.doesNotMatch(out, /\u001b/)
    assert.match(out, /^orders\[2\]@41 /)
  })
})
