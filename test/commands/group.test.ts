// `kcli group describe` against the suite's broker: offsets and lag, agreement with Kafka's own kafka-consumer-groups,
// a live member, and the failures a user must see as one clear line (unknown group, dead broker).
import assert from 'node:assert/strict'
import {execFile, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import type {KafkaConsumer} from '@confluentinc/kafka-javascript'

import {bin, brokers, cleanEnv, commitOffsets, createTopic, kcli, lines, liveMember, uniqueName} from '../helpers.js'

interface Row {
  topic: string
  partition: number
  committed: number | null
  logStart: number | null
  logEnd: number | null
  lag: number | null
  memberId: string | null
  clientId: string | null
  host: string | null
}
interface Report {
  group: string
  state: string
  assignor: string | null
  coordinator: {id: number; host: string; port: number} | null
  members: Array<{
    memberId: string
    clientId: string
    host: string
    partitions: Array<{topic: string; partition: number}>
  }>
  partitions: Row[]
  totalLag: number
}

async function describeJson(args: string[]): Promise<Report[]> {
  const result = await kcli(['group', 'describe', ...args, '--json'])
  assert.equal(result.code, 0, result.stderr)
  return (JSON.parse(result.out) as {groups: Report[]}).groups
}

async function produce(topic: string, partition: number, count: number): Promise<void> {
  const input = Array.from({length: count}, (_, i) => JSON.stringify({i})).join('\n') + '\n'
  const result = await kcli(['produce', '-t', topic, '-p', String(partition), '-q'], {input})
  assert.equal(result.code, 0, result.stderr)
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const byPartition = (report: Report) => new Map(report.partitions.map((r) => [`${r.topic}/${r.partition}`, r]))

describe('kcli group describe', () => {
  it('reports committed offsets and lag, with - and null where nothing is committed, and follows new messages', async () => {
    const topic = await createTopic(uniqueName('gd-lag'), 3)
    const group = uniqueName('gd-lag-g')
    await produce(topic, 0, 5)
    await produce(topic, 1, 3)
    await produce(topic, 2, 2)
    await commitOffsets(group, [
      {topic, partition: 0, offset: 2},
      {topic, partition: 1, offset: 3},
    ])

    const [before] = await describeJson([group])
    assert.equal(before.group, group)
    assert.equal(before.state, 'Empty')
    assert.deepEqual(before.members, [])
    assert.deepEqual(
      before.partitions.map((r) => [r.partition, r.committed, r.logStart, r.logEnd, r.lag, r.memberId]),
      [
        [0, 2, 0, 5, 3, null],
        [1, 3, 0, 3, 0, null],
        [2, null, 0, 2, null, null],
      ],
    )
    assert.equal(before.totalLag, 3)

    await produce(topic, 1, 4)
    await produce(topic, 2, 1)
    const [afterMore] = await describeJson([group])
    const rows = byPartition(afterMore)
    assert.equal(rows.get(`${topic}/1`)?.lag, 4)
    assert.equal(rows.get(`${topic}/2`)?.logEnd, 3)
    assert.equal(rows.get(`${topic}/2`)?.lag, null)
    assert.equal(afterMore.totalLag, 7)

    const table = await kcli(['group', 'describe', group])
    assert.equal(table.code, 0, table.stderr)
    const row = (p: number) =>
      lines(table.out)
        .find((l) => l.startsWith(`${topic} `) && l.split(/\s+/)[1] === String(p))
        ?.split(/\s+/)
    assert.deepEqual(row(1)?.slice(0, 6), [topic, '1', '3', '0', '7', '4'])
    assert.deepEqual(row(2)?.slice(0, 6), [topic, '2', '-', '0', '3', '-'])
    assert.ok(lines(table.out).some((l) => /^GROUP\s+COORDINATOR\s+STATE\s+ASSIGNOR\s+MEMBERS\s+TOTAL-LAG$/.test(l)))

    const [narrowed] = await describeJson([group, '--topic', 'some-other-topic'])
    assert.deepEqual(narrowed.partitions, [])
    assert.equal(narrowed.totalLag, null, 'no lag known: null, not 0')
  })

  it('shows TOTAL-LAG - (null) for a group with members but nothing committed, as group list --lag does', async () => {
    const topic = await createTopic(uniqueName('gd-none'), 2)
    const group = uniqueName('gd-none-g')
    await produce(topic, 0, 4)
    const member = await liveMember(group, topic, {'enable.auto.commit': 'false'})
    try {
      await waitFor('the member to be assigned', async () => {
        const [report] = await describeJson([group])
        return report.members.length === 1 && report.partitions.length === 2
      })
      const [report] = await describeJson([group])
      assert.deepEqual(
        report.partitions.map((r) => [r.partition, r.committed, r.lag]),
        [
          [0, null, null],
          [1, null, null],
        ],
      )
      assert.equal(report.totalLag, null)
      const table = await kcli(['group', 'describe', group])
      const summary = lines(table.out)
        .find((l) => l.startsWith(`${group} `))
        ?.split(/\s+/)
      assert.equal(summary?.at(-1), '-', table.out)
      const list = await kcli(['group', 'list', '--lag'])
      assert.match(list.out, new RegExp(`^${group}\\s.*\\s-$`, 'm'))
    } finally {
      await new Promise<void>((resolve) => member.disconnect(() => resolve()))
    }
  })

  it("agrees with Kafka's kafka-consumer-groups --describe on offsets and lag", async () => {
    const libDir = kafkaLibDir()
    assert.ok(libDir, 'the Kafka jars are found (test/run.ts sets KCLI_TEST_KAFKA_LIB)')
    const topicA = await createTopic(uniqueName('gd-cmp-a'), 3)
    const topicB = await createTopic(uniqueName('gd-cmp-b'), 1)
    const group = uniqueName('gd-cmp-g')
    await Promise.all([produce(topicA, 0, 4), produce(topicA, 2, 6), produce(topicB, 0, 3)])
    await commitOffsets(group, [
      {topic: topicA, partition: 0, offset: 1},
      {topic: topicA, partition: 1, offset: 0},
      {topic: topicA, partition: 2, offset: 6},
      {topic: topicB, partition: 0, offset: 2},
    ])

    const [report] = await describeJson([group])
    const kafkaRows = await kafkaConsumerGroups(libDir, group)
    assert.equal(kafkaRows.length, 4)
    const ours = byPartition(report)
    for (const k of kafkaRows) {
      const row = ours.get(`${k.topic}/${k.partition}`)
      assert.ok(row, `kcli has no row for ${k.topic}/${k.partition}`)
      assert.deepEqual(
        [row.committed, row.logEnd, row.lag],
        [k.committed, k.logEnd, k.lag],
        `${k.topic}/${k.partition}`,
      )
    }
    assert.equal(report.partitions.filter((r) => r.committed !== null).length, kafkaRows.length)
  })

  describe('with a live member', () => {
    let consumer: KafkaConsumer | undefined
    after(async () => {
      if (consumer?.isConnected()) await new Promise<void>((resolve) => consumer?.disconnect(() => resolve()))
    })

    it('shows the member, its client id and its assignment', async () => {
      const topic = await createTopic(uniqueName('gd-live'), 2)
      const group = uniqueName('gd-live-g')
      const clientId = uniqueName('gd-member')
      await produce(topic, 0, 2)
      const c = await liveMember(group, topic, {'client.id': clientId})
      consumer = c
      await waitFor('the consumer to get its partitions', () => c.assignments().length === 2)

      const [report] = await describeJson([group])
      assert.equal(report.state, 'Stable')
      assert.equal(report.members.length, 1)
      const [member] = report.members
      assert.equal(member.clientId, clientId)
      assert.deepEqual(member.partitions, [
        {topic, partition: 0},
        {topic, partition: 1},
      ])
      assert.ok(report.assignor, 'a group with members has an assignor')
      for (const row of report.partitions) {
        assert.equal(row.memberId, member.memberId)
        assert.equal(row.clientId, clientId)
      }

      const table = await kcli(['group', 'describe', group])
      assert.equal(table.code, 0, table.stderr)
      assert.ok(
        lines(table.out).some(
          (l) => l.includes(member.memberId) && l.includes(clientId) && l.includes(`${topic}(0,1)`),
        ),
        table.out,
      )
    })
  })

  it('exits 2 with one line for a group that does not exist', async () => {
    const group = uniqueName('gd-missing')
    const result = await kcli(['group', 'describe', group])
    assert.equal(result.code, 2)
    assert.equal(result.out, '')
    assert.equal(lines(result.stderr)[0], `kcli: group "${group}" does not exist`)
    assert.doesNotMatch(result.stderr, /^\s+at /m)
  })

  it('exits 3 with one line, not a crash, when the broker is unreachable', async () => {
    const result = await kcli(['group', 'describe', 'any-group', '-b', 'localhost:1', '--timeout', '2s'])
    assert.equal(result.signal, null)
    assert.equal(result.code, 3, result.stderr)
    assert.equal(result.out, '')
    assert.match(lines(result.stderr)[0], /^kcli: cannot reach Kafka at localhost:1 within 2s/)
    assert.doesNotMatch(result.stderr, /^\s+at /m)
  })
})

/** Kafka's jars: the test runner's, else where `kcli local` caches them, else a plain download in /tmp. */
function kafkaLibDir(): string | undefined {
  const dir = process.env.KCLI_TEST_KAFKA_LIB
  return dir && existsSync(dir) ? dir : undefined
}

interface KafkaRow {
  topic: string
  partition: number
  committed: number | null
  logEnd: number | null
  lag: number | null
}

async function kafkaConsumerGroups(libDir: string, group: string): Promise<KafkaRow[]> {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java'
  const args = [
    '-cp',
    join(libDir, '*'),
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    '--bootstrap-server',
    brokers,
    '--describe',
    '--group',
    group,
  ]
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(java, args, {timeout: 60_000}, (err, out, errOut) =>
      err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
    ),
  )
  // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID; `-` where unknown.
  const num = (text: string) => (text === '-' ? null : Number(text))
  return lines(stdout)
    .map((l) => l.trim().split(/\s+/))
    .filter((cells) => cells[0] === group && cells.length >= 6)
    .map((cells) => ({
      topic: cells[1],
      partition: Number(cells[2]),
      committed: num(cells[3]),
      logEnd: num(cells[4]),
      lag: num(cells[5]),
    }))
}

describe('kcli group describe: a group through its states', () => {
  it('shows two kcli consumers sharing the partitions (Stable), then Empty with its offsets once they leave', async () => {
    const topic = await createTopic(uniqueName('gd-states'), 2)
    const group = uniqueName('gd-states-g')
    await Promise.all([produce(topic, 0, 3), produce(topic, 1, 2)])
    const children = [0, 1].map(() =>
      spawn(process.execPath, [bin, 'consume', '-t', topic, '-g', group, '--from-beginning'], {env: cleanEnv()}),
    )
    const exits = children.map((child) => new Promise<number | null>((resolve) => child.on('close', resolve)))
    try {
      let report: Report | undefined
      await waitFor('two members with one partition each', async () => {
        const result = await kcli(['group', 'describe', group, '--json'])
        if (result.code !== 0) return false
        report = (JSON.parse(result.out) as {groups: Report[]}).groups[0]
        return (
          report.state === 'Stable' &&
          report.members.length === 2 &&
          report.members.every((m) => m.partitions.length === 1)
        )
      })
      const owners = new Set(report?.partitions.map((r) => r.memberId))
      assert.equal(owners.size, 2, 'each partition has its own member')
      await waitFor('everything committed', async () => (await describeJson([group]))[0].totalLag === 0)
    } finally {
      for (const child of children) child.kill('SIGTERM')
    }
    assert.deepEqual(await Promise.all(exits), [0, 0])
    const [empty] = await describeJson([group])
    assert.equal(empty.state, 'Empty')
    assert.deepEqual(empty.members, [])
    assert.deepEqual(
      empty.partitions.map((r) => [r.partition, r.committed, r.lag, r.memberId]),
      [
        [0, 3, 0, null],
        [1, 2, 0, null],
      ],
    )
  })
})
