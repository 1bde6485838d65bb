// produce's delivery settings: which acks is in effect when a flag, -X and the rc file each may set it, and the
// contradictions (acks against acks, idempotence against fewer acknowledgements) refused before anything is sent.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {KcliError} from '../../../src/lib/errors.js'
import {effectiveAcks, producerProperties} from '../../../src/lib/produce/producer-settings.js'
import type {Source} from '../../../src/lib/settings/layers.js'

const flag: Source = {kind: 'flag', name: 'flags'}
const rcFile: Source = {kind: 'file', name: '/home/ann/.kclirc.yaml'}

/** Settings holding librdkafka properties, each from the given source (-X when none is given). */
function withProperties(properties: Record<string, string>, source: Source = flag) {
  return {
    properties,
    sources: {properties: Object.fromEntries(Object.keys(properties).map((k) => [k, source]))},
  }
}

function usage(run: () => unknown, ...parts: string[]): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof KcliError, String(err))
    assert.equal(err.exit, 2)
    for (const part of parts) assert.ok(err.message.includes(part), `"${err.message}" should name ${part}`)
    return true
  })
}

describe('effectiveAcks', () => {
  const cases: Array<{name: string; flag?: string; properties?: Record<string, string>; value: string; from: RegExp}> =
    [
      {name: 'nothing given: all', value: '-1', from: /default acks=all/},
      {name: '--acks all', flag: 'all', value: '-1', from: /^--acks all$/},
      {name: '--acks 1', flag: '1', value: '1', from: /^--acks 1$/},
      {name: '-X acks=0', properties: {acks: '0'}, value: '0', from: /^-X acks=0$/},
      {name: '-X request.required.acks=all', properties: {'request.required.acks': 'ALL'}, value: '-1', from: /-X/},
      {name: '--acks all and -X acks=-1 agree', flag: 'all', properties: {acks: '-1'}, value: '-1', from: /--acks/},
      {
        name: 'acks and request.required.acks that agree',
        properties: {acks: '1', 'request.required.acks': '1'},
        value: '1',
        from: /acks=1/,
      },
    ]
  for (const c of cases) {
    it(c.name, () => {
      const acks = effectiveAcks(c.flag, withProperties(c.properties ?? {}))
      assert.equal(acks.value, c.value)
      assert.match(acks.from, c.from)
    })
  }

  it('refuses two that disagree, naming both as the user wrote them', () => {
    usage(() => effectiveAcks('1', withProperties({acks: 'all'})), '--acks 1', '-X acks=all')
    usage(
      () => effectiveAcks(undefined, withProperties({acks: '1', 'request.required.acks': '0'})),
      'acks=1',
      'request.required.acks=0',
    )
  })

  it('names the rc file when the property came from it', () => {
    usage(
      () => effectiveAcks('all', withProperties({acks: '1'}, rcFile)),
      '--acks all',
      'acks=1 (/home/ann/.kclirc.yaml)',
    )
  })
})

describe('producerProperties', () => {
  it('by default: acks=all with idempotence, the Java partitioner, linger 5 ms, bounded delivery', () => {
    const props = producerProperties({}, withProperties({}))
    assert.equal(props.acks, '-1')
    assert.equal(props['enable.idempotence'], true)
    assert.equal(props.partitioner, 'murmur2_random')
    assert.equal(props['linger.ms'], 5)
    assert.equal(props['message.timeout.ms'], 30_000)
    assert.equal('compression.type' in props, false)
  })

  it('fewer acknowledgements turn idempotence off by default', () => {
    assert.equal(producerProperties({acks: '1'}, withProperties({}))['enable.idempotence'], false)
    assert.equal(producerProperties({}, withProperties({acks: '0'}))['enable.idempotence'], false)
  })

  it('refuses idempotence asked for with fewer acknowledgements, by flag or property', () => {
    usage(() => producerProperties({acks: '1', idempotence: true}, withProperties({})), 'idempotence', '--acks 1')
    usage(() => producerProperties({acks: '0'}, withProperties({'enable.idempotence': 'true'})), '--acks 0')
    usage(() => producerProperties({}, withProperties({acks: '1', 'enable.idempotence': 'true'})), '-X acks=1')
  })

  it('--no-idempotence or -X enable.idempotence=false keeps acks=all without idempotence', () => {
    assert.equal(producerProperties({idempotence: false}, withProperties({}))['enable.idempotence'], false)
    assert.equal(producerProperties({}, withProperties({'enable.idempotence': 'false'}))['enable.idempotence'], false)
  })

  it('passes compression, linger and batch size through', () => {
    const props = producerProperties({compression: 'zstd', 'linger-ms': 50, 'batch-size': 65536}, withProperties({}))
    assert.equal(props['compression.type'], 'zstd')
    assert.equal(props['linger.ms'], 50)
    assert.equal(props['batch.size'], 65536)
  })
})
