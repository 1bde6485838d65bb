// kcli's own DescribeConfigs request: its bytes on the wire, the response it decodes, and when it refuses to run.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  decodeResponse,
  encodeRequest,
  nonDefaultConfigs,
  unsupportedReason,
} from '../../../src/lib/kafka/topic-configs.js'
import {mergeLayers} from '../../../src/lib/settings/resolve.js'

const i16 = (v: number) => Buffer.from([(v >> 8) & 0xff, v & 0xff])
const i32 = (v: number) => {
  const b = Buffer.alloc(4)
  b.writeInt32BE(v)
  return b
}
const str = (s: string | null) => (s === null ? i16(-1) : Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]))
const i8 = (v: number) => Buffer.from([v & 0xff])

interface Entry {
  name: string
  value: string | null
  source: number
  sensitive?: boolean
}

/** A DescribeConfigs v1 response body as a broker writes it (after the size prefix). */
function response(correlationId: number, resources: Array<{name: string; error?: number; entries: Entry[]}>): Buffer {
  return Buffer.concat([
    i32(correlationId),
    i32(0),
    i32(resources.length),
    ...resources.flatMap((r) => [
      i16(r.error ?? 0),
      str(r.error ? 'boom' : null),
      i8(2),
      str(r.name),
      i32(r.entries.length),
      ...r.entries.flatMap((e) => [
        str(e.name),
        str(e.value),
        i8(0),
        i8(e.source),
        i8(e.sensitive ? 1 : 0),
        i32(1),
        str(e.name),
        str(e.value),
        i8(e.source),
      ]),
    ]),
  ])
}

describe('DescribeConfigs request', () => {
  it('is a size-prefixed v1 request for every config of each topic', () => {
    const bytes = encodeRequest(7, 'kcli', ['orders', 'audit'])
    const expected = Buffer.concat([
      i16(32), // DescribeConfigs
      i16(1),
      i32(7),
      str('kcli'),
      i32(2),
      i8(2),
      str('orders'),
      i32(-1), // all configs of topic "orders"
      i8(2),
      str('audit'),
      i32(-1),
      i8(0), // no synonyms
    ])
    assert.deepEqual(bytes, Buffer.concat([i32(expected.length), expected]))
  })
})

describe('DescribeConfigs response', () => {
  it('decodes resources and keeps what is not a built-in default, naming where each value comes from', () => {
    const [resource] = decodeResponse(
      response(7, [
        {
          name: 'orders',
          entries: [
            {name: 'segment.bytes', value: '1073741824', source: 5},
            {name: 'retention.ms', value: '3600000', source: 1},
            {name: 'min.insync.replicas', value: '2', source: 3},
            {name: 'cleanup.policy', value: 'compact', source: 1},
            {name: 'log.secret', value: null, source: 4, sensitive: true},
          ],
        },
      ]),
      7,
    )
    assert.equal(resource.name, 'orders')
    assert.equal(resource.errorCode, 0)
    assert.equal(resource.errorMessage, null)
    assert.deepEqual(nonDefaultConfigs(resource), [
      {name: 'cleanup.policy', value: 'compact', source: 'DYNAMIC_TOPIC_CONFIG'},
      {name: 'log.secret', value: null, source: 'STATIC_BROKER_CONFIG'},
      {name: 'min.insync.replicas', value: '2', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG'},
      {name: 'retention.ms', value: '3600000', source: 'DYNAMIC_TOPIC_CONFIG'},
    ])
  })

  it('reports per-topic errors', () => {
    const resources = decodeResponse(response(1, [{name: 'gone', error: 3, entries: []}]), 1)
    assert.deepEqual(resources, [{name: 'gone', errorCode: 3, errorMessage: 'boom', entries: []}])
  })

  it('refuses an answer to another request and one cut short', () => {
    const body = response(7, [{name: 'orders', entries: [{name: 'retention.ms', value: '1', source: 1}]}])
    assert.throws(() => decodeResponse(body, 8), /another request/)
    assert.throws(() => decodeResponse(body.subarray(0, body.length - 3), 7), /truncated/)
  })
})

describe('unsupportedReason', () => {
  const settings = (properties: Record<string, string>) =>
    mergeLayers({source: {kind: 'flag', name: 'flags'}, properties})

  it('allows PLAINTEXT, said or implied', () => {
    assert.equal(unsupportedReason(settings({})), undefined)
    assert.equal(unsupportedReason(settings({'security.protocol': 'plaintext'})), undefined)
  })

  it('names the protocol it cannot speak', () => {
    assert.match(unsupportedReason(settings({'security.protocol': 'sasl_ssl'})) ?? '', /cannot be read over SASL_SSL/)
    assert.match(unsupportedReason(settings({'sasl.mechanisms': 'PLAIN'})) ?? '', /cannot be read over SSL or SASL/)
    const viaFlag = mergeLayers({source: {kind: 'flag', name: 'flags'}, security: {securityProtocol: 'SSL'}})
    assert.match(unsupportedReason(viaFlag) ?? '', /cannot be read over SSL:/)
  })
})
