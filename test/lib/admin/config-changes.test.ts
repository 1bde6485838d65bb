// The config changes of `topic alter-config` and `cluster alter-config`: flags, the plan, and the tables.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  parseConfigChanges,
  planConfigChanges,
  renderConfigList,
  renderConfigPlan,
  sourceLabel,
} from '../../../src/lib/admin/config-changes.js'
import type {ConfigInfo} from '../../../src/lib/admin/configs.js'

const config = (name: string, value: string | null, source: string, extra: Partial<ConfigInfo> = {}): ConfigInfo => ({
  name,
  value,
  source,
  readOnly: false,
  sensitive: false,
  ...extra,
})

const current = [
  config('retention.ms', '3600000', 'DYNAMIC_TOPIC_CONFIG'),
  config('cleanup.policy', 'delete', 'DEFAULT_CONFIG'),
  config('min.insync.replicas', '2', 'DYNAMIC_DEFAULT_BROKER_CONFIG'),
  config('ssl.keystore.password', null, 'DYNAMIC_BROKER_CONFIG', {sensitive: true}),
]

describe('config change flags', () => {
  it('read set, delete, append and subtract; a value may hold "="', () => {
    assert.deepEqual(parseConfigChanges({set: ['a=1', 'b=x=y'], delete: ['c'], append: ['d=e'], subtract: ['f=g']}), [
      {name: 'a', value: '1', op: 'set'},
      {name: 'b', value: 'x=y', op: 'set'},
      {name: 'c', op: 'delete'},
      {name: 'd', value: 'e', op: 'append'},
      {name: 'f', value: 'g', op: 'subtract'},
    ])
  })

  it('refuse nothing to do, a missing value, an empty name, and a config named twice', () => {
    assert.throws(() => parseConfigChanges({}), /say which configs to change/)
    assert.throws(() => parseConfigChanges({set: ['a']}), /--set a: expected name=value/)
    assert.throws(() => parseConfigChanges({append: ['=x']}), /--append =x: expected name=value/)
    assert.throws(() => parseConfigChanges({delete: [' ']}), /must not be empty/)
    assert.throws(() => parseConfigChanges({set: ['a=1'], subtract: ['a=2']}), /config a is named twice/)
  })
})

describe('the plan', () => {
  it('shows what each config is and becomes; lists are appended to and subtracted from', () => {
    const rows = planConfigChanges(
      parseConfigChanges({
        set: ['retention.ms=86400000'],
        delete: ['min.insync.replicas'],
        append: ['cleanup.policy=compact,delete'],
      }),
      current,
      'DYNAMIC_TOPIC_CONFIG',
    )
    assert.deepEqual(rows, [
      {
        name: 'retention.ms',
        op: 'set',
        value: '86400000',
        current: {value: '3600000', source: 'DYNAMIC_TOPIC_CONFIG'},
        newValue: '86400000',
        sensitive: false,
        unchanged: false,
      },
      {
        name: 'min.insync.replicas',
        op: 'delete',
        value: null,
        current: {value: '2', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG'},
        newValue: null,
        sensitive: false,
        unchanged: true,
      },
      {
        name: 'cleanup.policy',
        op: 'append',
        value: 'compact,delete',
        current: {value: 'delete', source: 'DEFAULT_CONFIG'},
        newValue: 'delete,compact',
        sensitive: false,
        unchanged: false,
      },
    ])
    const [subtracted] = planConfigChanges(
      [{name: 'cleanup.policy', op: 'subtract', value: 'delete'}],
      [config('cleanup.policy', 'delete,compact', 'DYNAMIC_TOPIC_CONFIG')],
      'DYNAMIC_TOPIC_CONFIG',
    )
    assert.equal(subtracted.newValue, 'compact')
    const [same] = planConfigChanges(
      [{name: 'retention.ms', op: 'set', value: '3600000'}],
      current,
      'DYNAMIC_TOPIC_CONFIG',
    )
    assert.equal(same.unchanged, true)
  })

  it('never holds a sensitive value, nor one whose name says it is a secret', () => {
    const rows = planConfigChanges(
      parseConfigChanges({set: ['ssl.keystore.password=hunter2', 'listener.name.x.sasl.jaas.config=secret']}),
      current,
      'DYNAMIC_BROKER_CONFIG',
    )
    assert.ok(rows.every((r) => r.sensitive && r.value === null && r.newValue === null))
    assert.ok(!JSON.stringify(rows).includes('hunter2') && !renderConfigPlan(rows).includes('hunter2'))
    assert.ok(!renderConfigPlan(rows).includes('secret '))
  })

  it('prints CONFIG CURRENT NEW with short source names', () => {
    const rows = planConfigChanges(
      parseConfigChanges({set: ['retention.ms=1', 'unknown.x=2'], delete: ['cleanup.policy']}),
      current,
      'DYNAMIC_TOPIC_CONFIG',
    )
    assert.deepEqual(renderConfigPlan(rows).split('\n'), [
      'CONFIG          CURRENT           NEW',
      'retention.ms    3600000 (topic)   1',
      'unknown.x       -                 2',
      'cleanup.policy  delete (default)  (not set here: nothing to delete)',
    ])
    assert.equal(sourceLabel('DYNAMIC_DEFAULT_BROKER_CONFIG'), 'cluster default')
    assert.equal(sourceLabel('STATIC_BROKER_CONFIG'), 'broker file')
  })
})

describe('config lists', () => {
  it('print values with their source, sensitive ones masked, read-only ones marked', () => {
    assert.deepEqual(
      renderConfigList([config('node.id', '1', 'STATIC_BROKER_CONFIG', {readOnly: true}), current[3]]).split('\n'),
      [
        'CONFIG                 VALUE        SOURCE',
        'node.id                1            broker file, read-only',
        'ssl.keystore.password  <sensitive>  broker',
      ],
    )
    assert.equal(renderConfigList([]), '')
  })
})
