import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {JsonExactError, JsonNumber, parseExact, stringifyExact, toPlain} from '../../../src/lib/registry/json-exact.js'

describe('exact JSON', () => {
  it('keeps number source text', () => {
    const v = parseExact('{"a": 12345678901234567890, "b": -0.0, "c": 1e400, "d": 0.1}') as Map<string, JsonNumber>
    assert.equal(v.get('a')!.text, '12345678901234567890')
    assert.equal(v.get('a')!.toBigInt(), 12345678901234567890n)
    assert.equal(v.get('b')!.text, '-0.0')
    assert.equal(v.get('c')!.text, '1e400')
    assert.equal(stringifyExact(v), '{"a":12345678901234567890,"b":-0.0,"c":1e400,"d":0.1}')
  })
  it('keeps key order, including integer-like keys', () => {
    const v = parseExact('{"b":1,"10":2,"2":3,"a":[true,false,null,"x\\u00e9\\n"]}')
    assert.equal(stringifyExact(v), '{"b":1,"10":2,"2":3,"a":[true,false,null,"xé\\n"]}')
  })
  it('rejects invalid JSON with a position', () => {
    for (const bad of [
      '',
      '{',
      '{"a":}',
      '[1,]',
      '01',
      '1.',
      '-',
      '"\\x"',
      '{"a":1}x',
      'tru',
      '"a\nb"',
      '{"a":1,"a":2}',
    ]) {
      assert.throws(() => parseExact(bad), JsonExactError, bad)
    }
    assert.throws(() => parseExact('{"a":1,"a":2}'), /duplicate key "a"/)
    assert.throws(() => parseExact('[1 2]'), /position 3/)
  })
  it('converts to plain values with BigInt only where needed', () => {
    assert.deepEqual(
      toPlain(parseExact('{"a":9007199254740993,"b":5,"__proto__":1}')),
      JSON.parse('{"a":0,"b":5,"__proto__":1}', (k, v) => (k === 'a' ? 9007199254740993n : v)),
    )
  })
  it('refuses absurd nesting instead of overflowing the stack', () => {
    assert.throws(() => parseExact('['.repeat(10000)), /nesting deeper/)
  })
  it('agrees with JSON.parse on ordinary documents', () => {
    const text = '{"s":"\\ud83d\\ude00 \\"q\\" \\\\","n":[0,-1,2.5,1e-7,1E+2],"o":{}}'
    assert.deepEqual(toPlain(parseExact(text), 'number'), JSON.parse(text))
  })
})
