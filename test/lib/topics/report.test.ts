// Topic list and describe output, and the cluster's partition checks, from plain data.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Chalk} from 'chalk'

import {type ClusterReport, partitionHealth, renderClusterReport} from '../../../src/lib/topics/cluster-report.js'
import type {TopicLayout} from '../../../src/lib/kafka/topics.js'
import {
  type TopicReport,
  renderTopicList,
  renderTopicReport,
  replicationFactor,
  toSummary,
} from '../../../src/lib/topics/report.js'

const plain = new Chalk({level: 0})

const orders: TopicLayout = {
  name: 'orders',
  id: 'a2rK4c_RRv28eCnjW1q8nQ',
  internal: false,
  partitions: [
    {partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3]},
    {partition: 1, leader: 2, replicas: [2, 3, 1], isr: [2, 1]},
    {partition: 2, leader: null, replicas: [3, 1, 2], isr: []},
  ],
}

describe('topic summaries', () => {
  it('count partitions and take the widest replica set as the replication factor', () => {
    assert.deepEqual(toSummary(orders), {name: 'orders', internal: false, partitions: 3, replicationFactor: 3})
    assert.equal(
      replicationFactor([
        {partition: 0, leader: 1, replicas: [1, 2], isr: [1]},
        {partition: 1, leader: 1, replicas: [1, 2, 3], isr: [1]},
      ]),
      3,
    )
    assert.equal(replicationFactor([]), 0)
  })

  it('print names alone by default, a table with --long, and the internal flag only with --all', () => {
    const result = {
      topics: [toSummary(orders), {name: '__consumer_offsets', internal: true, partitions: 50, replicationFactor: 3}],
    }
    assert.equal(renderTopicList(result, {long: false, internal: true}), 'orders\n__consumer_offsets')
    assert.equal(
      renderTopicList({topics: [toSummary(orders)]}, {long: true, internal: false}),
      ['NAME    PARTITIONS  REPLICATION-FACTOR', 'orders  3           3'].join('\n'),
    )
    assert.match(renderTopicList(result, {long: true, internal: true}), /^__consumer_offsets +50 +3 +yes$/m)
  })

  it('never let a topic name drive the terminal', () => {
    assert.equal(
      renderTopicList(
        {topics: [{name: 'a\u001b[2Jb', internal: false, partitions: 1, replicationFactor: 1}]},
        {long: false, internal: false},
      ),
      'a\\u001b[2Jb',
    )
  })
})

describe('renderTopicReport', () => {
  const report: TopicReport = {
    name: 'orders',
    id: orders.id,
    internal: false,
    replicationFactor: 3,
    messages: 15,
    configs: [
      {name: 'cleanup.policy', value: 'compact', source: 'DYNAMIC_TOPIC_CONFIG'},
      {name: 'min.insync.replicas', value: '2', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG'},
    ],
    partitions: [
      {partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3], low: 0, high: 10, messages: 10},
      {partition: 1, leader: 2, replicas: [2, 3, 1], isr: [2, 1], low: 3, high: 8, messages: 5},
      {partition: 2, leader: null, replicas: [3, 1, 2], isr: [], low: null, high: null, messages: null},
    ],
  }

  it('shows a summary, the configs with where inherited ones come from, and one row per partition', () => {
    const text = renderTopicReport(report, null, plain)
    assert.deepEqual(text.split('\n'), [
      'NAME                orders',
      'ID                  a2rK4c_RRv28eCnjW1q8nQ',
      'PARTITIONS          3',
      'REPLICATION-FACTOR  3',
      'MESSAGES            15',
      'CONFIGS             cleanup.policy=compact',
      '                    min.insync.replicas=2 (cluster default)',
      '',
      'PARTITION  LEADER  REPLICAS  ISR    LOW  HIGH  MESSAGES',
      '0          1       1,2,3     1,2,3  0    10    10',
      '1          2       2,3,1     2,1    3    8     5',
      '2          none    3,1,2     -      -    -     -',
    ])
  })

  it('says why configs are missing, and when there are none', () => {
    assert.match(
      renderTopicReport({...report, configs: null}, 'cannot be read over SASL_SSL', plain),
      /^CONFIGS +unavailable: cannot be read over SASL_SSL$/m,
    )
    assert.match(renderTopicReport({...report, configs: []}, null, plain), /^CONFIGS +none \(all defaults\)$/m)
  })

  it('colours a short ISR and a missing leader on a terminal', () => {
    const text = renderTopicReport(report, null, new Chalk({level: 1}))
    assert.ok(text.includes('\u001b[33m2,1\u001b[39m'), 'short ISR in yellow')
    assert.ok(text.includes('\u001b[31mnone\u001b[39m'), 'no leader in red')
  })
})

describe('partitionHealth', () => {
  it('finds partitions short of in-sync replicas and partitions without a leader, as kafka-topics does', () => {
    const health = partitionHealth([
      orders,
      {name: 'single', id: 'x', internal: false, partitions: [{partition: 0, leader: 1, replicas: [1], isr: [1]}]},
    ])
    assert.deepEqual(
      health.underReplicated.map((p) => `${p.topic}/${p.partition}`),
      ['orders/1', 'orders/2'],
    )
    assert.deepEqual(health.offline, [{topic: 'orders', partition: 2, leader: null, replicas: [3, 1, 2], isr: []}])
  })
})

describe('renderClusterReport', () => {
  const report: ClusterReport = {
    bootstrap: 'localhost:9092',
    brokers: [
      {id: 1, host: 'localhost', port: 9092, rack: 'eu-1a'},
      {id: 2, host: 'localhost', port: 9093, rack: null},
    ],
    topics: 4,
    internalTopics: 1,
    partitions: 12,
    underReplicatedPartitions: [{topic: 'orders', partition: 1, leader: 2, replicas: [2, 1], isr: [2]}],
    offlinePartitions: [],
  }

  it('shows the counts, every broker, and the under-replicated partitions', () => {
    assert.deepEqual(renderClusterReport(report, plain).split('\n'), [
      'BOOTSTRAP         localhost:9092',
      'BROKERS           2',
      'TOPICS            4 (1 internal)',
      'PARTITIONS        12',
      'UNDER-REPLICATED  1',
      'OFFLINE           0',
      '',
      'ID  HOST       PORT  RACK',
      '1   localhost  9092  eu-1a',
      '2   localhost  9093  -',
      '',
      'Under-replicated partitions:',
      'TOPIC   PARTITION  LEADER  REPLICAS  ISR',
      'orders  1          2       2,1       2',
    ])
  })
})
