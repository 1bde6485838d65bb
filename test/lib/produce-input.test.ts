import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {readLineBatches} from '../../src/lib/line-reader.js'
import {type InputOptions, buildMessage, parseHeaderFlag} from '../../src/lib/produce-input.js'
import {InputError} from '../../src/lib/records.js'

const json: InputOptions = {mode: 'json', headers: [], emptyAsNull: false}
const build = (line: string | Buffer, options: Partial<InputOptions> = {}) => buildMessage(Buffer.from(line), {...json, ...options})
const rejects = (line: string | Buffer, reason: RegExp, options: Partial<InputOptions> = {}) =>
  assert.throws(() => build(line, options), (e: unknown) => e instanceof InputError && reason.test(e.message))

describe('produce input modes', () => {
  it('json: sends the exact bytes of a valid JSON line', () => {
    const line = '{"id": 12345678901234567890 , "x":[ ]}'
    assert.deepEqual(build(line)?.value, Buffer.from(line))
    assert.equal(build(line)?.key, null)
  })

  it('json: rejects invalid JSON and invalid UTF-8', () => {
    rejects('{"a":', /not valid JSON/)
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
    const message = build('{"value":{"a":1},"headers":[{"key":"h","value":"2"}]}', {mode: 'envelope', key: 'K', headers: [{key: 's', value: Buffer.from('1')}]})
    assert.deepEqual(message?.value, Buffer.from('{"a":1}'))
    assert.deepEqual(message?.key, Buffer.from('K'))
    assert.deepEqual(
      message?.headers.map((h) => h.key),
      ['s', 'h'],
    )
  })

  it('parses header flags in kcat and rpk spellings', () => {
    assert.deepEqual(parseHeaderFlag('a=b:c'), {key: 'a', value: Buffer.from('b:c')})
    assert.deepEqual(parseHeaderFlag('a:b=c'), {key: 'a', value: Buffer.from('b=c')})
    assert.deepEqual(parseHeaderFlag('empty='), {key: 'empty', value: Buffer.alloc(0)})
    assert.throws(() => parseHeaderFlag('novalue'))
  })
})

describe('line reader', () => {
  async function readAll(content: Buffer | string): Promise<Array<[number, string]>> {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-lines-')), 'in.txt')
    fs.writeFileSync(file, content)
    const out: Array<[number, string]> = []
    for await (const batch of readLineBatches([file])) batch.lines.forEach((l, i) => out.push([batch.firstLine + i, l.toString('latin1')]))
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
})
