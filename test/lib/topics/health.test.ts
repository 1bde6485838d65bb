// How kcli health turns what it saw into a status, problems and one line, from plain data.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Chalk} from 'chalk'

import {
  type HealthReport,
  assessHealth,
  checkTopics,
  healthExitCodes,
  healthOptions,
  renderHealthLine,
} from '../../../src/lib/topics/health.js'
import {KcliError} from '../../../src/lib/errors.js'
import type {ClusterTopology} from '../../../src/lib/kafka/topics.js'

const plain = new Chalk({level: 0})
const fine = {underReplicated: [], offline: []}
const problem = (partition: number, leader: number | null) => ({
  topic: 'orders',
  partition,
  leader,
  replicas: [1, 2, 3],
  isr: [1],
})

describe('assessHealth', () => {
  it('is healthy when nothing is wrong, and the probe is within the limit', () => {
    const probe = {topic: 'hc', partition: 0, offset: 4, latencyMs: 12, error: null}
    assert.deepEqual(assessHealth({partitions: fine, checks: [], probe, maxLatencyMs: 1000}), {
      status: 'healthy',
      problems: [],
    })
  })

  it('is degraded by short ISRs, missing leaders, missing or leaderless topics, and a failed or slow probe', () => {
    const result = assessHealth({
      partitions: {underReplicated: [problem(0, 1), problem(1, null)], offline: [problem(1, null)]},
      checks: [
        {topic: 'gone', exists: false, partitions: 0, leaderless: []},
        {topic: 'orders', exists: true, partitions: 3, leaderless: [1]},
        {topic: 'fine', exists: true, partitions: 1, leaderless: []},
      ],
      probe: {topic: 'hc', partition: null, offset: null, latencyMs: null, error: 'not acknowledged within 5s'},
      maxLatencyMs: 1000,
    })
    assert.equal(result.status, 'degraded')
    assert.deepEqual(result.problems, [
      '1 offline partition (no leader)',
      '2 under-replicated partitions',
      'topic "gone" does not exist',
      'topic "orders" has no leader for partition 1',
      'probe on hc failed: not acknowledged within 5s',
    ])
    const slow = assessHealth({
      partitions: fine,
      checks: [],
      probe: {topic: 'hc', partition: 0, offset: 1, latencyMs: 1500, error: null},
      maxLatencyMs: 1000,
    })
    assert.deepEqual(slow, {status: 'degraded', problems: ['probe round trip took 1500 ms (limit 1000 ms)']})
  })

  it('maps statuses to the documented exit codes', () => {
    assert.deepEqual(healthExitCodes, {healthy: 0, degraded: 1, unreachable: 3})
  })
})

describe('checkTopics', () => {
  it('reports each named topic once, with its leaderless partitions', () => {
    const layout = {
      brokers: [],
      missing: [],
      nodes: new Map(),
      topics: [
        {
          name: 'orders',
          id: 'x',
          internal: false,
          partitions: [
            {partition: 0, leader: 1, replicas: [1], isr: [1]},
            {partition: 1, leader: null, replicas: [2], isr: []},
          ],
        },
      ],
    } satisfies ClusterTopology
    assert.deepEqual(checkTopics(layout, ['orders', 'nope', 'orders']), [
      {topic: 'orders', exists: true, partitions: 2, leaderless: [1]},
      {topic: 'nope', exists: false, partitions: 0, leaderless: []},
    ])
  })
})

describe('renderHealthLine', () => {
  const base: HealthReport = {
    status: 'healthy',
    bootstrap: 'localhost:9092',
    brokers: 3,
    topics: 5,
    partitions: 21,
    underReplicatedPartitions: 0,
    offlinePartitions: 0,
    checkedTopics: [],
    e2e: null,
    problems: [],
    elapsedMs: 40,
  }

  it('sums up a healthy cluster, with the probe when there was one', () => {
    assert.equal(renderHealthLine(base, plain), 'healthy: 3 brokers, 5 topics, 21 partitions')
    const probed = {
      ...base,
      e2e: {topic: 'hc', partition: 2, offset: 9, latencyMs: 14, error: null},
      checkedTopics: [{topic: 'a', exists: true, partitions: 1, leaderless: []}],
    }
    assert.equal(
      renderHealthLine(probed, plain),
      'healthy: 3 brokers, 5 topics, 21 partitions; 1 topic checked; probe hc[2] round trip 14 ms',
    )
  })

  it('lists the problems otherwise, in one line', () => {
    assert.equal(
      renderHealthLine(
        {...base, status: 'degraded', problems: ['2 under-replicated partitions', 'topic "x" does not exist']},
        plain,
      ),
      'degraded: 2 under-replicated partitions; topic "x" does not exist',
    )
    assert.equal(
      renderHealthLine(
        {...base, status: 'unreachable', problems: ['cannot reach Kafka at localhost:1 within 2s']},
        plain,
      ),
      'unreachable: cannot reach Kafka at localhost:1 within 2s',
    )
  })
})

describe('healthOptions', () => {
  it('reads the flags, with the probe timeout defaulting to the connection timeout', () => {
    assert.deepEqual(healthOptions({topic: ['a'], e2e: 'hc', 'max-latency': '250ms'}, 7000), {
      topics: ['a'],
      e2eTopic: 'hc',
      e2eTimeoutMs: 7000,
      maxLatencyMs: 250,
    })
    assert.equal(healthOptions({'e2e-timeout': '2s'}, 7000).e2eTimeoutMs, 2000)
  })

  it('refuses a duration that is not one, or is zero, as a usage error naming the flag', () => {
    for (const flags of [{'max-latency': 'soon'}, {'e2e-timeout': '0s'}])
      assert.throws(
        () => healthOptions(flags, 1000),
        (err: unknown) =>
          err instanceof KcliError && err.exit === 2 && /^--(max-latency|e2e-timeout): /.test(err.message),
      )
  })
})
