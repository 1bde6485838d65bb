// JSON as jq -C shows it, worked on the text: indentation, colours, and numbers that keep every digit.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Chalk} from 'chalk'

import {viewJson, viewJsonInline} from '../../../src/lib/terminal/json-view.js'

const plain = new Chalk({level: 0})
const colour = new Chalk({level: 1})

describe('viewJson', () => {
  it('indents objects and arrays, two spaces a level, empty ones kept short', () => {
    assert.equal(
      viewJson('{"a":1,"b":[true,null,{}],"c":[] , "d":{"e":"x"}}', plain),
      '{\n  "a": 1,\n  "b": [\n    true,\n    null,\n    {}\n  ],\n  "c": [],\n  "d": {\n    "e": "x"\n  }\n}',
    )
  })

  it('keeps numbers as written (big integers, trailing zeros) and strings with their escapes', () => {
    assert.equal(
      viewJson('[12345678901234567890, 1.50, -0, 1e400]', plain),
      '[\n  12345678901234567890,\n  1.50,\n  -0,\n  1e400\n]',
    )
    assert.equal(viewJson('{"q":"a\\"b:,{"}', plain), '{\n  "q": "a\\"b:,{"\n}')
    assert.equal(viewJson(' 42 ', plain), '42')
  })

  it('colours as jq -C: keys blue and bold, strings green, null grey, punctuation bold', () => {
    const out = viewJson('{"k":"v","n":null}', colour)
    assert.ok(out.includes('\u001b[34m\u001b[1m"k"'), out)
    assert.ok(out.includes('\u001b[32m"v"'), out)
    assert.ok(out.includes('\u001b[90mnull'), out)
    assert.ok(out.startsWith('\u001b[1m{'), out)
  })

  it('escapes control characters JSON leaves raw (C1, bidi)', () => {
    assert.equal(viewJson('"a\u009bb\u202e"', plain), '"a\\u009bb\\u202e"')
  })

  it('has a one-line form for keys', () => {
    assert.equal(viewJsonInline('{"a":1,"b":[1,2]}', plain), '{"a": 1, "b": [1, 2]}')
  })
})
