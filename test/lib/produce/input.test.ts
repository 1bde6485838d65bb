import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import type {Producer} from '@confluentinc/kafka-javascript'

import {ProduceStats} from '../../../src/lib/produce/delivery.js'
import {type LineBatch, checkSources, lineAt, readLineBatches} from '../../../src/lib/produce/line-reader.js'
import {
  type ProduceOptions,
  deadLetterLine,
  invalidList,
  produceLines,
  sinkOptions,
} from '../../../src/lib/produce/loop.js'
import {StockSink} from '../../../src/lib/produce/sinks.js'
import {
  type InputOptions,
  buildMessage,
  explainInvalidJson,
  looksSpreadOverLines,
  parseHeaderFlag,
} from '../../../src/lib/produce/input.js'
import {InputError} from '../../../src/lib/records/envelope.js'

const json: InputOptions = {mode: 'json', headers: [], emptyAsNull: false}
const build = (line: string | Buffer, options: Partial<InputOptions> = {}) =>
  buildMessage(Buffer.from(line), {...json, ...options})
const rejects = (line: string | Buffer, reason: RegExp, options: Partial<InputOptions> = {}) =>
  assert.throws(
    () => build(line, options),
    (e: unknown) => e instanceof InputError && reason.test(e.message),
  )

describe('produce input modes', () => {
  it('json: sends the exact bytes of a valid JSON line', () => {
    const line = '{"id": 12345678901234567890 , "x":[ ]}'
    assert.deepEqual(build(line)?.value, Buffer.from(line))
    assert.equal(build(line)?.key, null)
  })

  it('json: rejects invalid JSON and invalid UTF-8', () => {
    rejects('{"a":}', /not valid JSON/)
    rejects('{"a":', /not a whole JSON value/)
    rejects(Buffer.from([0x22, 0xff, 0x22]), /not valid UTF-8/)
  })

  it('skips blank lines, or makes them tombstones with emptyAsNull', () => {
    assert.equal(build(''), undefined)
    assert.equal(build('  \t'), undefined)
    assert.deepEqual(build('', {emptyAsNull: true}), {key: null, value: null, headers: []})
  })

  it('takes the key from a field, keeping numbers exact', () => {
    assert.deepEqual(build('{"user":{"id":"u-1"}}', {keyField: ['user', 'id']})?.key, Buffer.from('u-1'))
    assert.deepEqual(build('{"id":12345678901234567890}', {keyField: ['id']})?.key, Buffer.from('12345678901234567890'))
    rejects('{"x":1}', /no field "id"/, {keyField: ['id']})
  })

  it('takes a JSON null key field as no key, and the string "null" as its text', () => {
    assert.equal(build('{"id":null}', {keyField: ['id']})?.key, null)
    assert.equal(build('{"id": null }', {keyField: ['id']})?.key, null)
    assert.deepEqual(build('{"id":"null"}', {keyField: ['id']})?.key, Buffer.from('null'))
  })

  it('splits key<delimiter>value like kcat -K', () => {
    const message = build('k1::{"a":1}', {keyDelimiter: '::'})
    assert.deepEqual(message?.key, Buffer.from('k1'))
    assert.deepEqual(message?.value, Buffer.from('{"a":1}'))
    rejects('{"a":1}', /no key delimiter/, {keyDelimiter: '|'})
  })

  it('raw: sends anything as it is', () => {
    assert.deepEqual(build('not json', {mode: 'raw'})?.value, Buffer.from('not json'))
    assert.deepEqual(build(Buffer.from([0xff]), {mode: 'raw'})?.value, Buffer.from([0xff]))
  })

  it('envelope: static headers come first, a static key fills a missing key', () => {
    const message = build('{"value":{"a":1},"headers":[{"key":"h","value":"2"}]}', {
      mode: 'envelope',
      key: 'K',
      headers: [{key: Buffer.from('s'), value: Buffer.from('1')}],
    })
    assert.deepEqual(message?.value, Buffer.from('{"a":1}'))
    assert.deepEqual(message?.key, Buffer.from('K'))
    assert.deepEqual(
      message?.headers.map((h) => h.key.toString()),
      ['s', 'h'],
    )
  })

  it('parses header flags in kcat and rpk spellings', () => {
    assert.deepEqual(parseHeaderFlag('a=b:c'), {key: Buffer.from('a'), value: Buffer.from('b:c')})
    assert.deepEqual(parseHeaderFlag('a:b=c'), {key: Buffer.from('a'), value: Buffer.from('b=c')})
    assert.deepEqual(parseHeaderFlag('empty='), {key: Buffer.from('empty'), value: Buffer.alloc(0)})
    assert.throws(() => parseHeaderFlag('novalue'))
  })
})

describe('pretty-printed JSON', () => {
  it('recognises the lines of a JSON value spread over several lines', () => {
    for (const line of ['{', '[', '{"id": 1,', '  "id": 1,', '"name": "x"', '}', '},', ']', '{"a": [1,'])
      assert.equal(looksSpreadOverLines(line), true, line)
    for (const line of ['{}', '[1]', '"a string"', '42', 'nope', '{"a":"{"}', '{"a":1}}', 'x: 1'])
      assert.equal(looksSpreadOverLines(line), false, line)
  })

  it('says one JSON value per line, with jq -c, in json and envelope modes', () => {
    assert.match(explainInvalidJson(Buffer.from('{')), /one JSON value per line \(pretty-printed JSON\? try `jq -c`\)/)
    rejects('{', /^the value is not a whole JSON value: input must be one JSON value per line/)
    rejects('{', /^the value is not a whole JSON value/, {keyField: ['id']})
    rejects('  "key": "k",', /^the line is not a whole JSON value/, {mode: 'envelope'})
    assert.match(explainInvalidJson(Buffer.from('nope')), /^the value is not valid JSON \(/)
  })
})

describe('the list of invalid lines', () => {
  it('names each line, its file, and how many more there were', () => {
    const listed = [
      {source: 'stdin', line: 2, reason: 'bad'},
      {source: 'a.jsonl', line: 7, reason: 'worse'},
    ]
    assert.deepEqual(invalidList(listed, 2), ['  line 2: bad', '  a.jsonl line 7: worse'])
    assert.deepEqual(invalidList(listed, 30), ['  line 2: bad', '  a.jsonl line 7: worse', '  and 28 more'])
  })
})

describe('line reader', () => {
  async function readAll(content: Buffer | string): Promise<Array<[number, string]>> {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-lines-')), 'in.txt')
    fs.writeFileSync(file, content)
    const out: Array<[number, string]> = []
    for await (const batch of readLineBatches([file]))
      for (let i = 0; i < batch.count; i++) out.push([batch.firstLine + i, lineAt(batch, i).toString('latin1')])
    return out
  }

  it('handles a BOM, CRLF and a last line without a newline, with line numbers', async () => {
    assert.deepEqual(await readAll('\uFEFF{"a":1}\r\n\r\n{"b":2}'), [
      [1, '{"a":1}'],
      [2, ''],
      [3, '{"b":2}'],
    ])
  })

  it('joins lines that cross chunk boundaries', async () => {
    const long = 'x'.repeat(3 * (1 << 20))
    const result = await readAll(`a\n${long}\nb\n`)
    assert.deepEqual(
      result.map(([n, l]) => [n, l.length]),
      [
        [1, 1],
        [2, long.length],
        [3, 1],
      ],
    )
  })

  it('names a missing file', async () => {
    await assert.rejects(async () => {
      for await (const _ of readLineBatches(['/nonexistent/file.jsonl'])) void _
    }, /\/nonexistent\/file.jsonl: no such file/)
  })

  it('checks every input up front: missing files and directories are usage errors naming them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-sources-'))
    const file = path.join(dir, 'a.jsonl')
    fs.writeFileSync(file, '{}\n')
    assert.doesNotThrow(() => checkSources([file, '-']))
    const usage = (message: RegExp) => (e: unknown) =>
      e instanceof Error && (e as {exit?: number}).exit === 2 && message.test(e.message)
    assert.throws(() => checkSources([file, path.join(dir, 'missing.jsonl')]), usage(/missing\.jsonl: no such file$/))
    assert.throws(() => checkSources([file, dir]), usage(/kcli-sources-\w+: is a directory, not a file$/))
  })
})

describe('dead-letter lines', () => {
  const invalid = {source: 'stdin', line: 3, reason: 'the value is not valid UTF-8'}

  it('keep UTF-8 input as text', () => {
    assert.deepEqual(JSON.parse(deadLetterLine(invalid, Buffer.from('nope ü'))), {...invalid, input: 'nope ü'})
  })

  it('keep other bytes as base64, so they can be recovered exactly', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x41])
    const entry = JSON.parse(deadLetterLine(invalid, bytes)) as {input: string; inputEncoding: string}
    assert.equal(entry.inputEncoding, 'base64')
    assert.deepEqual(Buffer.from(entry.input, 'base64'), bytes)
  })
})

describe('produce loop', () => {
  interface Call {
    partition: number
    value: Buffer | null
    headers: unknown
  }

  async function send(
    lines: string[],
    options: {input?: Partial<InputOptions>; partition?: number; partitionCount?: number} = {},
  ) {
    const calls: Call[] = []
    const producer = {
      produce: (
        _t: string,
        partition: number,
        v: Buffer | null,
        _k: unknown,
        _ts: unknown,
        _o: unknown,
        headers: unknown,
      ) => calls.push({partition, value: v === null ? null : Buffer.from(v), headers}),
      poll: () => undefined,
    } as unknown as Producer
    async function* batches(): AsyncGenerator<LineBatch> {
      const data = Buffer.from(lines.join('\n'))
      const starts = new Int32Array(lines.length)
      const ends = new Int32Array(lines.length)
      for (let i = 0, at = 0; i < lines.length; at += Buffer.byteLength(lines[i]) + 1, i++) {
        starts[i] = at
        ends[i] = at + Buffer.byteLength(lines[i])
      }
      yield {source: 'stdin', firstLine: 1, data, starts, ends, count: lines.length}
    }
    const stats = new ProduceStats()
    const input = {...json, ...options.input}
    const run: ProduceOptions = {
      topic: 't',
      partitionCount: options.partitionCount ?? 3,
      partition: options.partition,
      input,
      onInvalid: 'skip',
    }
    const where = {source: 'stdin'}
    const control = {stopped: false}
    const sink = new StockSink(producer, sinkOptions(run, stats, where), stats, control)
    await produceLines(sink, batches(), run, stats, control, where)
    return {calls, stats}
  }

  it("keeps the order of lines sent as they are and built messages, past the queue's first size", async () => {
    // Raw lines go out as spans of the input; with emptyAsNull an empty line is a built tombstone: one batch of
    // 40,000 lines alternates between the two kinds and outgrows the queue's 16,384 entries.
    const lines = Array.from({length: 40_000}, (_, i) => (i % 3 === 2 ? '' : `line ${i}`))
    const {calls, stats} = await send(lines, {input: {mode: 'raw', emptyAsNull: true}})
    assert.equal(stats.read, lines.length)
    assert.deepEqual(
      calls.map((c) => (c.value === null ? '' : c.value.toString())),
      lines,
    )
    assert.equal(calls.filter((c) => c.value === null).length, Math.floor(lines.length / 3))
  })

  it('converts the -H headers once and shares them between messages', async () => {
    const {calls} = await send(['{"a":1}', '{"a":2}'], {
      input: {headers: [{key: Buffer.from('src'), value: Buffer.from('x')}]},
    })
    assert.equal(calls.length, 2)
    assert.deepEqual(calls[0].headers, [{src: Buffer.from('x')}])
    assert.equal(calls[1].headers, calls[0].headers, 'the same object, not a copy per message')
  })

  it("sends to -p over an envelope's own partition, even one the topic does not have", async () => {
    const envelope = {mode: 'envelope' as const}
    const {calls, stats} = await send(['{"value":1,"partition":2}', '{"value":2,"partition":7}'], {
      input: envelope,
      partition: 0,
    })
    assert.deepEqual(
      calls.map((c) => c.partition),
      [0, 0],
    )
    assert.equal(stats.invalid, 0)
    const own = await send(['{"value":1,"partition":2}', '{"value":2,"partition":7}'], {input: envelope})
    assert.deepEqual(
      own.calls.map((c) => c.partition),
      [2],
    )
    assert.match(own.stats.firstInvalid?.reason ?? '', /partition 7 does not exist/)
  })
})
