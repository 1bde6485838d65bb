// `kcli perf produce | consume | e2e` against the real broker: the report's counts are checked against what the broker
// holds afterwards (end offsets), and its shape against the documented one.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {LatencySummary, PerfReport} from '../../src/lib/perf/report.js'
import {createTopic, disconnect, kcli, libraryConsumer, lines, partitionEnds, uniqueName} from '../helpers.js'

type Report = PerfReport

const reportKeys = [
  'command',
  'topic',
  'partitions',
  'settings',
  'interrupted',
  'elapsedMs',
  'sent',
  'delivered',
  'failed',
  'notConfirmed',
  'consumed',
  'bytes',
  'msgPerSec',
  'mbPerSec',
  'latencyMs',
  'failures',
  'unconfirmed',
]

/** Partition count and the sum of the end offsets, read with the client library, not with kcli. */
async function topicEnd(topic: string): Promise<{partitions: number; end: number}> {
  const consumer = await libraryConsumer(uniqueName('perf-test'))
  try {
    const ends = await partitionEnds(consumer, topic)
    return {partitions: ends.length, end: ends.reduce((sum, p) => sum + p.end, 0)}
  } finally {
    await disconnect(consumer)
  }
}

function parseReport(out: string): Report {
  const report = JSON.parse(out) as Report
  assert.deepEqual(Object.keys(report), reportKeys)
  return report
}

function assertPercentiles(latency: LatencySummary | null, count: number): void {
  assert.ok(latency, 'latencies reported')
  assert.equal(latency.count, count)
  const ordered = [latency.min, latency.p50, latency.p95, latency.p99, latency.p999, latency.max]
  assert.deepEqual(
    [...ordered].sort((a, b) => a - b),
    ordered,
    `percentiles in order: ${ordered.join(' ')}`,
  )
  assert.ok(latency.min > 0, 'a latency is never zero')
}

describe('perf produce', () => {
  it('sends exactly --count messages at the rate asked, and times every delivery', async () => {
    const topic = await createTopic(uniqueName('perf-p'), 2)
    const result = await kcli(['perf', 'produce', '-t', topic, '--count', '300', '--rate', '600', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '', 'no live line when stderr is not a terminal')
    const report = parseReport(result.out)
    assert.equal(report.command, 'produce')
    assert.equal(report.partitions, 2)
    assert.deepEqual(report.settings, {count: 300, durationMs: null, rate: 600, size: 100, acks: 'all'})
    assert.equal(report.sent, 300)
    assert.equal(report.delivered, 300)
    assert.equal(report.failed, 0)
    assert.equal(report.consumed, null)
    assert.equal(report.bytes, 300 * 100)
    assertPercentiles(report.latencyMs, 300)
    // 300 messages at 600/s: the last is due 498 ms after the first.
    assert.ok(report.elapsedMs >= 498, `elapsed ${report.elapsedMs} ms`)
    assert.ok(report.msgPerSec <= 300 / 0.498, `${report.msgPerSec} msg/s`)
    assert.deepEqual(await topicEnd(topic), {partitions: 2, end: 300})
  })

  it('prints only the table on stdout, and --create makes the topic', async () => {
    const topic = uniqueName('perf-create')
    const result = await kcli(['perf', 'produce', '-t', topic, '--create', '-p', '3', '-n', '1000', '--size', '10'], {
      env: {NO_COLOR: '1'},
    })
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, `created topic ${topic} with 3 partitions\n`)
    assert.match(
      result.out,
      new RegExp(`^perf produce to ${topic} \\(3 partitions\\): 10-byte values, rate max, acks all$`, 'm'),
    )
    assert.match(result.out, /^sent {8}1,000$/m)
    assert.match(result.out, /^delivered {3}1,000$/m)
    assert.match(result.out, /^LATENCY \(ms\) +MIN +MEAN +P50 +P95 +P99 +P99\.9 +MAX$/m)
    assert.doesNotMatch(result.out, /\u001b\[/, 'no colour under NO_COLOR')
    assert.deepEqual(await topicEnd(topic), {partitions: 3, end: 1000})
  })

  it('counts messages the broker refuses as failed, and exits 1', async () => {
    const topic = await createTopic(uniqueName('perf-small'), 1, {'max.message.bytes': '200'})
    const result = await kcli(['perf', 'produce', '-t', topic, '-n', '5', '--size', '500', '--json'])
    assert.equal(result.code, 1, result.stderr)
    const report = parseReport(result.out)
    assert.equal(report.delivered, 0)
    assert.equal(report.failed, 5)
    assert.deepEqual(report.failures, [
      {reason: 'too large for the broker (message.max.bytes / max.request.size)', count: 5},
    ])
    assert.equal(report.latencyMs, null)
    assert.equal((await topicEnd(topic)).end, 0)
  })

  it('reports what it delivered when interrupted, and exits 130', async () => {
    const topic = await createTopic(uniqueName('perf-int'))
    let signalled: Promise<void> | undefined
    const result = await kcli(['perf', 'produce', '-t', topic, '--rate', '100', '--duration', '60s', '--json'], {
      timeoutMs: 30_000,
      onSpawn(child) {
        signalled = (async () => {
          // Interrupt once messages have arrived, so the partial report has something to account for.
          while ((await topicEnd(topic)).end < 20) await new Promise((resolve) => setTimeout(resolve, 100))
          child.kill('SIGINT')
        })()
      },
    })
    await signalled
    assert.equal(result.code, 130, result.stderr)
    const report = parseReport(result.out)
    assert.equal(report.interrupted, true)
    assert.ok(report.sent! >= 20 && report.sent! < 6000, `sent ${report.sent}`)
    assert.equal(report.delivered, report.sent)
    assert.equal((await topicEnd(topic)).end, report.delivered)
  })
})

describe('perf consume', () => {
  it('reads the topic from the beginning to its end, or --count messages', async () => {
    const topic = await createTopic(uniqueName('perf-c'), 3)
    const produced = await kcli(['perf', 'produce', '-t', topic, '-n', '2500', '--size', '40', '--json'])
    assert.equal(produced.code, 0, produced.stderr)
    const all = await kcli(['perf', 'consume', '-t', topic, '--json'])
    assert.equal(all.code, 0, all.stderr)
    const report = parseReport(all.out)
    assert.equal(report.command, 'consume')
    assert.equal(report.consumed, 2500)
    assert.equal(report.bytes, 2500 * 40)
    assert.equal(report.sent, null)
    assert.equal(report.latencyMs, null)
    assert.ok(report.msgPerSec > 0)
    const some = await kcli(['perf', 'consume', '-t', topic, '-n', '1000', '--json'])
    assert.equal(parseReport(some.out).consumed, 1000)
    const table = await kcli(['perf', 'consume', '-t', topic])
    assert.match(table.out, /^consumed {4}2,500$/m)
  })

  it('reads an empty topic as nothing, at once', async () => {
    const topic = await createTopic(uniqueName('perf-empty'), 2)
    const result = await kcli(['perf', 'consume', '-t', topic, '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(parseReport(result.out).consumed, 0)
  })
})

describe('perf e2e', () => {
  it('reads back every message it sent and times each one end to end', async () => {
    const topic = await createTopic(uniqueName('perf-e2e'), 2)
    // Someone else's message in the topic is not counted.
    const other = await kcli(['produce', '-t', topic], {input: '{"not":"perf"}\n'})
    assert.equal(other.code, 0, other.stderr)
    const result = await kcli(['perf', 'e2e', '-t', topic, '--count', '400', '--rate', '800', '--size', '64', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const report = parseReport(result.out)
    assert.equal(report.command, 'e2e')
    assert.deepEqual(report.settings, {count: 400, durationMs: null, rate: 800, size: 64, acks: 'all'})
    assert.equal(report.sent, 400)
    assert.equal(report.delivered, 400)
    assert.equal(report.consumed, 400)
    assert.equal(report.bytes, 400 * 64)
    assertPercentiles(report.latencyMs, 400)
    assert.equal((await topicEnd(topic)).end, 401)
  })
})

describe('perf usage errors', () => {
  it('refuses contradictions in one line with exit 2, before connecting', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['produce', '-t', 'x', '--count', '5', '--duration', '1s'],
        /^kcli: --count and --duration cannot be used together$/,
      ],
      [['produce', '-t', 'x', '--rate', '0'], /^kcli: --rate 0: expected messages per second above 0, or max$/],
      [
        ['e2e', '-t', 'x', '--size', '8'],
        /^kcli: --size 8: must be at least 24 bytes \(the send time and a sequence number/,
      ],
      [['consume', '-t', 'x', '--duration', 'forever'], /^kcli: --duration: "forever" is not a duration$/],
      [['produce', '-t', 'x', '-p', '2'], /^kcli: --partitions needs --create$/],
      [['produce'], /^kcli: no topic given$/],
    ]
    for (const [args, message] of cases) {
      const result = await kcli(['perf', ...args, '-b', 'localhost:1'])
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(lines(result.stderr)[0], message)
      assert.equal(result.out, '')
    }
  })

  it('exits 2 for a topic that does not exist, 3 for a cluster that does not answer', async () => {
    const missing = await kcli(['perf', 'e2e', '-t', uniqueName('perf-missing'), '-n', '1'])
    assert.equal(missing.code, 2, missing.stderr)
    assert.match(missing.stderr, /^kcli: topic "perf-missing-\S+" does not exist$/m)
    const unreachable = await kcli(['perf', 'consume', '-t', 'x', '-b', 'localhost:23999', '--timeout', '1s'])
    assert.equal(unreachable.code, 3, unreachable.stderr)
    assert.match(unreachable.stderr, /^kcli: cannot reach Kafka at localhost:23999/m)
  })
})
