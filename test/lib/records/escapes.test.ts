// Backslash escapes as typed in a shell argument (-K for produce, -f for consume): one reading for both.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {escapeAt, unescape} from '../../../src/lib/records/escapes.js'

describe('unescape', () => {
  const cases: Array<[string, string]> = [
    ['\\t', '\t'],
    ['\\n', '\n'],
    ['\\r\\0', '\r\0'],
    ['::', '::'],
    ['\\x1f', '\x1f'],
    ['\\u00a6', '\u00a6'],
    ['\\\\', '\\'],
    ['\\\\t', '\\t'],
    ['a\\qb', 'a\\qb'],
    ['\\x1', '\\x1'],
    ['\\u12', '\\u12'],
    ['ends\\', 'ends\\'],
  ]
  for (const [typed, meant] of cases)
    it(`reads ${typed} as ${JSON.stringify(meant)}`, () => assert.equal(unescape(typed), meant))
})

describe('escapeAt', () => {
  it('says how many characters an escape spans, and nothing where none starts', () => {
    assert.deepEqual(escapeAt('a\\x41b', 1), {value: 'A', length: 4})
    assert.deepEqual(escapeAt('\\u00e9', 0), {value: 'é', length: 6})
    assert.equal(escapeAt('a\\x41b', 0), undefined)
    assert.equal(escapeAt('\\%', 0), undefined)
  })
})
