import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {JsonSchemaCodecError, createJsonSchemaCodec, detectDraft} from '../../../src/lib/registry/json-schema-codec.js'
import {parseExact} from '../../../src/lib/registry/json-exact.js'

const d7 = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Payment',
  type: 'object',
  properties: {id: {type: 'string'}, amount: {type: 'integer'}, tags: {type: 'array', items: {type: 'string'}}},
  required: ['id'],
  additionalProperties: false,
})
const d2020 = JSON.stringify({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {pair: {type: 'array', prefixItems: [{type: 'string'}, {type: 'number'}], items: false}},
  $defs: {x: {type: 'string'}},
})

describe('json schema codec', () => {
  it('detects drafts', () => {
    assert.equal(detectDraft({}), 'draft-07')
    assert.equal(detectDraft(JSON.parse(d7)), 'draft-07')
    assert.equal(detectDraft(JSON.parse(d2020)), '2020-12')
    assert.equal(detectDraft({$schema: 'https://json-schema.org/draft/2019-09/schema'}), '2019-09')
    assert.throws(
      () => detectDraft({$schema: 'http://json-schema.org/draft-04/schema#'}),
      /draft-04 or older\) is not supported/,
    )
  })
  it('encodes the exact text (a parsed value compactly) and decodes it back', () => {
    const c = createJsonSchemaCodec(d7)
    const text = '{ "id": "p1", "amount": 12345678901234567890 , "tags": ["a"] }'
    const bytes = c.encode(text)
    assert.equal(bytes.toString('utf8'), text)
    assert.equal(c.decode(bytes), text)
    assert.equal(c.encode(parseExact(text)).toString('utf8'), '{"id":"p1","amount":12345678901234567890,"tags":["a"]}')
  })
  it('rejects invalid values with paths', () => {
    const c = createJsonSchemaCodec(d7)
    assert.deepEqual(c.validate('{"amount":1.5,"extra":1}'), [
      "$: must have required property 'id'",
      '$: must NOT have additional properties (extra)',
      '$.amount: must be integer',
    ])
    assert.throws(() => c.encode('{"id":1}'), /value does not match the JSON schema: \$\.id: must be string/)
    assert.throws(() => c.encode('{"id":'), JsonSchemaCodecError)
  })
  it('accepts draft-06 schemas', () => {
    const c = createJsonSchemaCodec(
      '{"$schema":"http://json-schema.org/draft-06/schema#","type":"object","properties":{"a":{"type":"integer"}}}',
    )
    assert.deepEqual(c.validate('{"a":"x"}'), ['$.a: must be integer'])
  })
  it('supports 2020-12 keywords', () => {
    const c = createJsonSchemaCodec(d2020)
    assert.equal(c.draft, '2020-12')
    assert.deepEqual(c.validate('{"pair":["a",1]}'), [])
    assert.deepEqual(c.validate('{"pair":["a",1,2]}'), ['$.pair: must NOT have more than 2 items'])
  })
  it('resolves references by name', () => {
    const address = JSON.stringify({type: 'object', properties: {city: {type: 'string'}}, required: ['city']})
    const main = JSON.stringify({type: 'object', properties: {home: {$ref: 'address.json'}}})
    const c = createJsonSchemaCodec(main, {references: [{name: 'address.json', content: address}]})
    assert.deepEqual(c.validate('{"home":{"city":"x"}}'), [])
    assert.deepEqual(c.validate('{"home":{}}'), ["$.home: must have required property 'city'"])
    assert.throws(() => createJsonSchemaCodec(main), /invalid JSON schema: can't resolve reference address.json/)
  })
  it('decodes with optional validation and rejects non-JSON payloads', () => {
    const c = createJsonSchemaCodec(d7)
    assert.equal(c.decode(Buffer.from('{"id":2}')), '{"id":2}')
    assert.throws(() => c.decode(Buffer.from('{"id":2}'), {validate: true}), /must be string/)
    assert.throws(() => c.decode(Buffer.from('not json')), /invalid JSON at position 0/)
  })
  it('reports invalid schemas', () => {
    assert.throws(() => createJsonSchemaCodec('{"type":12}'), /invalid JSON schema/)
    assert.throws(() => createJsonSchemaCodec('[1]'), /a schema must be an object or a boolean/)
  })
})
