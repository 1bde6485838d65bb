import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {isJson} from '../../../src/lib/records/json-validate.js'
import {parsesAsJson} from '../../helpers.js'

describe('isJson agrees with JSON.parse', () => {
  const cases = [
    '{}',
    '[]',
    '{"a":1}',
    ' { "a" : [ 1 , 2.5e-3 , -0 , true , false , null , "x" ] } ',
    '"s"',
    '0',
    '-1',
    '1.0',
    '1e5',
    '1E+5',
    '12345678901234567890',
    '{"a":{"b":[{"c":[]}]}}',
    '"\\u00e9\\n\\t\\"\\\\\\/"',
    '[[[[[]]]]]',
    '"ünïcode ✓"',
    '{"":""}',
    '',
    ' ',
    '{',
    '}',
    '[',
    '[1,]',
    '[,1]',
    '{"a"}',
    '{"a":}',
    '{a:1}',
    '{"a":1,}',
    '{"a":1 "b":2}',
    '01',
    '1.',
    '.5',
    '-',
    '+1',
    '1e',
    '1e+',
    'tru',
    'nul',
    'truex',
    '"abc',
    '"\\x"',
    '"\\u12g4"',
    '"tab\there"',
    '"line\nbreak"',
    '{"a":1}{',
    '{"a":1} x',
    '[1 2]',
    'NaN',
    'Infinity',
    "'s'",
    '[1]]',
    '{"a":[1}',
    '[{"a":1]]',
    '{"a":1}}',
    '"\\u123"',
  ]
  for (const text of cases) {
    it(JSON.stringify(text), () => assert.equal(isJson(Buffer.from(text)), parsesAsJson(text)))
  }

  it('checks a range of a larger buffer', () => {
    const b = Buffer.from('xx{"a":1}yy')
    assert.equal(isJson(b, 2, 9), true)
    assert.equal(isJson(b, 2, 10), false)
  })

  it('agrees on random mutations of valid documents', () => {
    const base = '{"id":123,"tags":["a","b\\n"],"n":-1.5e3,"ok":true,"none":null,"o":{"x":[{}]}}'
    let seed = 7
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n
    const alphabet = '{}[]",:.-+eE0123456789 \\tnulrfas\n'
    for (let k = 0; k < 3000; k++) {
      const chars = [...base]
      const edits = 1 + rand(3)
      for (let e = 0; e < edits; e++) {
        const at = rand(chars.length)
        const op = rand(3)
        if (op === 0) chars.splice(at, 1)
        else if (op === 1) chars.splice(at, 0, alphabet[rand(alphabet.length)])
        else chars[at] = alphabet[rand(alphabet.length)]
      }
      const text = chars.join('')
      assert.equal(isJson(Buffer.from(text)), parsesAsJson(text), text)
    }
  })
})
