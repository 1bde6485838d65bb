// `kcli cluster describe`, `kcli health` and topics where replicas matter, on one three-broker cluster of this file's
// own (ports 29860-29862, controllers 29960-29962), which the last test degrades by stopping one broker.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {type RunResult, kcli as runKcli, lines, uniqueName} from '../helpers.js'

const bootstrap = 'localhost:29860,localhost:29861,localhost:29862'
const stateDir = mkdtempSync(join(tmpdir(), 'kcli-cluster-health-'))

function kcli(args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return runKcli(args, {env: {KCLI_BROKERS: bootstrap, KAFKA_HOME: undefined, KCLI_STATE_DIR: undefined}, timeoutMs})
}

async function ok(args: string[]): Promise<RunResult> {
  const result = await kcli(args)
  assert.equal(result.code, 0, `kcli ${args.join(' ')}: ${result.out}${result.stderr}`)
  return result
}

interface PartitionJson {
  partition: number
  leader: number | null
  replicas: number[]
  isr: number[]
}
interface TopicJson {
  name: string
  id: string
  replicationFactor: number
  configs: Array<{name: string; value: string | null; source: string}> | null
  partitions: PartitionJson[]
}

async function describeTopic(topic: string): Promise<TopicJson> {
  return (JSON.parse((await ok(['topic', 'describe', topic, '--json'])).out) as {topics: TopicJson[]}).topics[0]
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b)

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/**
 * Kafka's own view of a topic, from kafka-topics --describe: topic id, configs, and leader/replicas/isr per partition.
 */
async function kafkaTopics(
  libDir: string,
  topic: string,
): Promise<{id: string; configs: string; partitions: PartitionJson[]}> {
  const args = [
    '-cp',
    join(libDir, '*'),
    'org.apache.kafka.tools.TopicCommand',
    '--bootstrap-server',
    bootstrap,
    '--describe',
    '--topic',
    topic,
  ]
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java'
  const out = await new Promise<string>((resolve, reject) =>
    execFile(java, args, {timeout: 60_000}, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  )
  const field = (line: string, name: string) => new RegExp(`\\b${name}: ?([^\\t]*)`).exec(line)?.[1].trim() ?? ''
  const ids = (text: string) => (text === '' ? [] : text.split(',').map(Number))
  const [head, ...rows] = lines(out).filter((l) => l.includes(`Topic: ${topic}`))
  return {
    id: field(head, 'TopicId'),
    configs: field(head, 'Configs'),
    partitions: rows.map((r) => ({
      partition: Number(field(r, 'Partition')),
      leader: Number(field(r, 'Leader')),
      replicas: ids(field(r, 'Replicas')),
      isr: ids(field(r, 'Isr')),
    })),
  }
}

describe('kcli health when nothing answers', () => {
  it('reports unreachable in one line, or as JSON, with exit 3', async () => {
    const line = await kcli(['health', '-b', 'localhost:1', '--timeout', '2s'])
    assert.equal(line.code, 3, line.stderr)
    assert.match(line.out, /^unreachable: cannot reach Kafka at localhost:1 within 2s \(.+\)\n$/)
    const json = await kcli(['health', '-b', 'localhost:1', '--timeout', '2s', '--json'])
    assert.equal(json.code, 3, json.stderr)
    const report = JSON.parse(json.out)
    assert.equal(report.status, 'unreachable')
    assert.equal(report.brokers, null)
    assert.match(report.problems[0], /cannot reach Kafka at localhost:1/)
  })
})

describe('on three brokers', () => {
  before(async () => {
    // The first start may fetch Kafka's jars with Maven, which is slow.
    const start = await kcli(['local', 'start', '--brokers', '3', '--port', '29860', '--state-dir', stateDir], 300_000)
    assert.equal(start.code, 0, start.stderr)
    assert.equal(start.out.trim(), bootstrap)
  })
  after(async () => {
    await kcli(['local', 'stop', '--state-dir', stateDir, '--timeout', '15'])
    rmSync(stateDir, {recursive: true, force: true})
  })

  const topic = uniqueName('ch-orders')

  it('cluster describe lists every broker, and counts topics and partitions', async () => {
    await ok(['topic', 'create', topic, '-p', '3', '-r', '3'])
    const report = JSON.parse((await ok(['cluster', 'describe', '--json'])).out)
    assert.equal(report.bootstrap, bootstrap)
    assert.deepEqual(report.brokers, [
      {id: 1, host: 'localhost', port: 29860, rack: null},
      {id: 2, host: 'localhost', port: 29861, rack: null},
      {id: 3, host: 'localhost', port: 29862, rack: null},
    ])
    assert.ok(report.topics >= 1 && report.partitions >= 3, JSON.stringify(report))
    assert.deepEqual([report.underReplicatedPartitions, report.offlinePartitions], [[], []])

    const table = await ok(['cluster', 'describe'])
    assert.match(table.out, /^BROKERS +3$/m)
    for (const [id, port] of [
      [1, 29860],
      [2, 29861],
      [3, 29862],
    ])
      assert.match(table.out, new RegExp(`^${id} +localhost +${port} +-$`, 'm'))
  })

  it('shows replicas, in-sync replicas and leaders as Kafka does, and gives new partitions every replica', async () => {
    const report = await describeTopic(topic)
    assert.equal(report.replicationFactor, 3)
    for (const p of report.partitions) {
      assert.deepEqual(sorted(p.replicas), [1, 2, 3])
      assert.deepEqual(sorted(p.isr), [1, 2, 3])
      assert.ok(p.leader !== null && p.replicas.includes(p.leader))
    }
    assert.deepEqual(
      new Set(report.partitions.map((p) => p.leader)).size,
      3,
      "Kafka spreads the three partitions' leaders over the three brokers",
    )

    const libDir = process.env.KCLI_TEST_KAFKA_LIB
    assert.ok(libDir, 'the Kafka jars are found (test/run.ts sets KCLI_TEST_KAFKA_LIB)')
    const kafka = await kafkaTopics(libDir, topic)
    assert.equal(report.id, kafka.id)
    assert.deepEqual(
      report.partitions.map((p) => ({partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr})),
      kafka.partitions,
    )
    assert.deepEqual(
      report.configs?.map((c) => `${c.name}=${c.value}`).sort(),
      kafka.configs.split(',').filter(Boolean).sort(),
    )

    assert.match((await ok(['topic', 'list', '--long'])).out, new RegExp(`^${topic} +3 +3$`, 'm'))
    const byDefault = uniqueName('ch-default-rf')
    await ok(['topic', 'create', byDefault])
    assert.equal(
      (await describeTopic(byDefault)).replicationFactor,
      3,
      "without -r, the brokers' default.replication.factor (3) applies",
    )

    await ok(['topic', 'add-partitions', byDefault, '3'])
    const grown = await describeTopic(byDefault)
    assert.deepEqual(
      grown.partitions.map((p) => [p.partition, sorted(p.replicas)]),
      [0, 1, 2].map((i) => [i, [1, 2, 3]]),
    )

    const tooMany = await kcli(['topic', 'create', uniqueName('ch-rf4'), '-r', '4'])
    assert.equal(tooMany.code, 2)
    assert.match(lines(tooMany.stderr)[0], /^kcli: topic "ch-rf4-[^"]+": invalid replication factor: .*only 3 broker/)
  })

  it('health is healthy, and its probe makes the round trip through the topic', async () => {
    const line = await ok(['health', '-t', topic, '--e2e', topic])
    assert.match(
      line.out,
      new RegExp(
        `^healthy: 3 brokers, \\d+ topics, \\d+ partitions; 1 topic checked; probe ${topic}\\[\\d\\] round trip \\d+ ms\\n$`,
      ),
    )

    const json = await ok(['health', '-t', topic, '--e2e', topic, '--json'])
    const report = JSON.parse(json.out)
    assert.equal(report.status, 'healthy')
    assert.deepEqual(report.problems, [])
    assert.equal(report.brokers, 3)
    assert.deepEqual(report.checkedTopics, [{topic, exists: true, partitions: 3, leaderless: []}])
    assert.equal(report.e2e.error, null)
    assert.ok(Number.isInteger(report.e2e.latencyMs) && report.e2e.latencyMs < 1000, String(report.e2e.latencyMs))

    // The probe is a real message, where the report says it was written.
    const read = await ok([
      'consume',
      '-t',
      topic,
      '-p',
      String(report.e2e.partition),
      '-o',
      String(report.e2e.offset),
      '-n',
      '1',
    ])
    assert.ok('kcliHealthProbe' in JSON.parse(read.out).value)

    const missing = await kcli(['health', '-t', 'ch-no-such-topic'])
    assert.equal(missing.code, 1)
    assert.equal(missing.out, 'degraded: topic "ch-no-such-topic" does not exist\n')
  })

  it('with one broker stopped: under-replicated partitions, degraded, exit 1', async () => {
    const status = JSON.parse((await kcli(['local', 'status', '--state-dir', stateDir, '--json'])).out) as {
      nodes: Array<{id: number; pid: number}>
    }
    const victim = status.nodes.find((n) => n.id === 3)
    assert.ok(victim?.pid, 'node 3 runs')
    process.kill(victim.pid, 'SIGTERM')
    await waitFor('the ISR to shrink', async () =>
      (await describeTopic(topic)).partitions.every((p) => !p.isr.includes(3)),
    )
    assert.ok(Array.isArray((await describeTopic(topic)).configs), 'configs are read from a broker that is up')

    const line = await kcli(['health'])
    assert.equal(line.code, 1, line.stderr)
    assert.match(line.out, /^degraded: \d+ under-replicated partitions?\n$/)
    const report = JSON.parse((await kcli(['health', '--json'])).out)
    assert.equal(report.status, 'degraded')
    assert.ok(report.underReplicatedPartitions >= 3, JSON.stringify(report))
    assert.equal(report.offlinePartitions, 0)

    // The ISR shrinks before the controller fences the stopped broker: wait until metadata stops listing it.
    let cluster: {brokers: Array<{id: number}>; underReplicatedPartitions: Array<PartitionJson & {topic: string}>} = {
      brokers: [],
      underReplicatedPartitions: [],
    }
    await waitFor('node 3 to leave the metadata', async () => {
      cluster = JSON.parse((await ok(['cluster', 'describe', '--json'])).out)
      return cluster.brokers.every((b) => b.id !== 3)
    })
    assert.deepEqual(
      cluster.brokers.map((b: {id: number}) => b.id),
      [1, 2],
    )
    const short = cluster.underReplicatedPartitions.filter((p) => p.topic === topic)
    assert.deepEqual(
      short.map((p: PartitionJson) => [p.partition, sorted(p.replicas), sorted(p.isr)]),
      [0, 1, 2].map((i) => [i, [1, 2, 3], [1, 2]]),
    )
    assert.match((await ok(['cluster', 'describe'])).out, /^UNDER-REPLICATED +\d+$/m)
  })
})
