// `kcli topic list|describe|create|delete|add-partitions` against the suite's broker: a full round trip read back from
// the broker, and each failure a user must see as one line with its documented exit code.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {describe, it} from 'node:test'

import {type RunResult, bin, cleanEnv, createTopic, kcli, lines, uniqueName} from '../helpers.js'

interface PartitionJson {
  partition: number
  leader: number | null
  replicas: number[]
  isr: number[]
  low: number | null
  high: number | null
  messages: number | null
}
interface TopicJson {
  name: string
  id: string
  internal: boolean
  replicationFactor: number
  messages: number
  configs: Array<{name: string; value: string | null; source: string}> | null
  partitions: PartitionJson[]
}
interface SummaryJson {
  name: string
  internal: boolean
  partitions: number
  replicationFactor: number
}

async function ok(args: string[], input?: string): Promise<RunResult> {
  const result = await kcli(args, {input})
  assert.equal(result.code, 0, `kcli ${args.join(' ')}: ${result.stderr}`)
  return result
}

async function describeJson(...topics: string[]): Promise<TopicJson[]> {
  return (JSON.parse((await ok(['topic', 'describe', ...topics, '--json'])).out) as {topics: TopicJson[]}).topics
}

async function listJson(...flags: string[]): Promise<SummaryJson[]> {
  return (JSON.parse((await ok(['topic', 'list', '--json', ...flags])).out) as {topics: SummaryJson[]}).topics
}

async function produce(topic: string, partition: number, count: number): Promise<void> {
  await ok(
    ['produce', '-t', topic, '-p', String(partition), '-q'],
    Array.from({length: count}, (_, i) => JSON.stringify({i})).join('\n') + '\n',
  )
}

/** A failure as users see it: one `kcli:` line (and maybe a hint), the documented exit code, nothing on stdout. */
function assertFails(result: RunResult, exit: number, pattern: RegExp): void {
  assert.equal(result.code, exit, result.stderr)
  const errLines = lines(result.stderr)
  assert.match(errLines[0] ?? '', pattern)
  assert.ok(
    errLines.slice(1).every((l) => l.startsWith('  hint: ')),
    result.stderr,
  )
  assert.equal(result.out, '')
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/**
 * Runs kcli on a terminal (util-linux `script` gives it a pty), typing `answer`; resolves its exit code and what the
 * terminal showed.
 */
function onTerminal(args: string[], answer: string): Promise<{code: number | null; screen: string}> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe']})
    let screen = ''
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()))
    child.stderr.on('data', (d: Buffer) => (screen += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, screen}))
    child.stdin.end(answer)
  })
}

describe('kcli topic', () => {
  it('creates, lists, describes and deletes a topic, as the broker holds it', async () => {
    const topic = uniqueName('tp-trip')
    const created = await ok([
      'topic',
      'create',
      topic,
      '-p',
      '3',
      '-c',
      'retention.ms=3600000',
      '-c',
      'cleanup.policy=delete',
    ])
    assert.equal(
      created.stderr,
      `created topic ${topic} with 3 partitions and replication factor 1 (the broker's default.replication.factor)\n`,
    )
    assert.equal(created.out, '')
    await produce(topic, 1, 5)

    assert.ok(lines((await ok(['topic', 'list'])).out).includes(topic))
    assert.deepEqual(
      (await listJson()).find((t) => t.name === topic),
      {name: topic, internal: false, partitions: 3, replicationFactor: 1},
    )
    assert.match((await ok(['topic', 'list', '--long'])).out, new RegExp(`^${topic} +3 +1$`, 'm'))

    const [report] = await describeJson(topic)
    assert.equal(report.name, topic)
    assert.match(report.id, /^[A-Za-z0-9_-]{22}$/)
    assert.equal(report.replicationFactor, 1)
    assert.equal(report.messages, 5)
    assert.deepEqual(
      report.partitions.map((p) => [p.partition, p.leader, p.replicas, p.isr, p.low, p.high, p.messages]),
      [
        [0, 1, [1], [1], 0, 0, 0],
        [1, 1, [1], [1], 0, 5, 5],
        [2, 1, [1], [1], 0, 0, 0],
      ],
    )
    const topicConfigs = report.configs?.filter((c) => c.source === 'DYNAMIC_TOPIC_CONFIG')
    assert.deepEqual(topicConfigs, [
      {name: 'cleanup.policy', value: 'delete', source: 'DYNAMIC_TOPIC_CONFIG'},
      {name: 'retention.ms', value: '3600000', source: 'DYNAMIC_TOPIC_CONFIG'},
    ])
    const table = await ok(['topic', 'describe', topic])
    assert.match(table.out, /^CONFIGS +cleanup\.policy=delete$/m)
    assert.match(table.out, /^ +retention\.ms=3600000$/m)
    assert.match(table.out, /^PARTITION +LEADER +REPLICAS +ISR +LOW +HIGH +MESSAGES$/m)
    assert.match(table.out, /^1 +1 +1 +1 +0 +5 +5$/m)

    const deleted = await ok(['topic', 'delete', topic, '--yes'])
    assert.equal(deleted.stderr, `deleted topic ${topic}\n`)
    await waitFor('the deletion to reach the metadata', async () => !(await listJson()).some((t) => t.name === topic))
    assertFails(await kcli(['topic', 'describe', topic]), 2, new RegExp(`^kcli: topic "${topic}" does not exist$`))
  })

  it('accepts an existing topic only with --if-not-exists', async () => {
    const topic = await createTopic(uniqueName('tp-exists'), 2)
    assertFails(await kcli(['topic', 'create', topic]), 2, new RegExp(`^kcli: topic "${topic}" already exists$`))
    const again = await ok(['topic', 'create', topic, '-p', '5', '--if-not-exists'])
    assert.equal(again.stderr, `topic ${topic} exists already\n`)
    assert.equal((await describeJson(topic))[0].partitions.length, 2, 'an existing topic is left as it was')
  })

  it('refuses a replication factor the cluster cannot give, a bad config, a bad name, and bad counts', async () => {
    const topic = uniqueName('tp-bad')
    assertFails(
      await kcli(['topic', 'create', topic, '-r', '2']),
      2,
      /^kcli: topic "tp-bad-[^"]+": invalid replication factor: .*only 1 broker/,
    )
    assertFails(
      await kcli(['topic', 'create', topic, '-c', 'retention.ms=soon']),
      2,
      /^kcli: topic "tp-bad-[^"]+": invalid config/,
    )
    assertFails(await kcli(['topic', 'create', 'no spaces!']), 2, /^kcli: topic "no spaces!" is not a valid topic name/)
    assertFails(await kcli(['topic', 'create', topic, '-p', '0']), 2, /^kcli: --partitions must be at least 1, not 0$/)
    assertFails(
      await kcli(['topic', 'create', topic, '-r', '0']),
      2,
      /^kcli: --replication-factor must be at least 1, not 0$/,
    )
    assert.ok(!(await listJson()).some((t) => t.name === topic), 'nothing was created')
  })

  it('adds partitions, and refuses a total that is not more than the topic has', async () => {
    const topic = await createTopic(uniqueName('tp-grow'), 2)
    const grown = await ok(['topic', 'add-partitions', topic, '5'])
    assert.match(grown.stderr, new RegExp(`^topic ${topic} now has 5 partitions \\(was 2\\)$`, 'm'))
    assert.deepEqual(
      (await describeJson(topic))[0].partitions.map((p) => p.partition),
      [0, 1, 2, 3, 4],
    )

    assertFails(
      await kcli(['topic', 'add-partitions', topic, '5']),
      2,
      new RegExp(`^kcli: topic "${topic}" has 5 partitions already; the new total must be more than that$`),
    )
    assertFails(
      await kcli(['topic', 'add-partitions', topic, 'six']),
      2,
      /^kcli: <total> must be a whole number of partitions, not "six"$/,
    )
    assertFails(
      await kcli(['topic', 'add-partitions', uniqueName('tp-none'), '3']),
      2,
      /^kcli: topic "tp-none-[^"]+" does not exist$/,
    )
  })

  it('deletes nothing when one name is unknown, skips it with --if-exists, and needs --yes off a terminal', async () => {
    const keep = await createTopic(uniqueName('tp-del'), 1)
    const missing = uniqueName('tp-missing')
    assertFails(
      await kcli(['topic', 'delete', keep, missing, '--yes']),
      2,
      new RegExp(`^kcli: topic "${missing}" does not exist$`),
    )
    assert.ok(
      (await listJson()).some((t) => t.name === keep),
      'the existing topic was not deleted',
    )

    // Checked before connecting: a script learns at once, whatever the cluster does.
    const noYes = await kcli(['topic', 'delete', keep, '-b', 'localhost:1'])
    assertFails(noYes, 2, /^kcli: confirmation needed, but stdin or stderr is not a terminal$/)
    assert.match(noYes.stderr, /--yes/)

    const skipped = await ok(['topic', 'delete', keep, missing, '--if-exists', '--yes'])
    assert.deepEqual(lines(skipped.stderr), [`topic ${missing} does not exist: skipped`, `deleted topic ${keep}`])
    await waitFor('the deletion to reach the metadata', async () => !(await listJson()).some((t) => t.name === keep))
  })

  it('asks on a terminal before deleting, and deletes only on yes', async () => {
    const topic = await createTopic(uniqueName('tp-ask'), 1)
    const declined = await onTerminal(['topic', 'delete', topic], 'n\n')
    assert.equal(declined.code, 1, declined.screen)
    assert.match(declined.screen, new RegExp(`Delete topic ${topic} and all its messages\\? \\[y/N\\]`))
    assert.match(declined.screen, /kcli: not confirmed: nothing deleted/)
    assert.ok(
      (await listJson()).some((t) => t.name === topic),
      'declined: the topic is still there',
    )

    const accepted = await onTerminal(['topic', 'delete', topic], 'y\n')
    assert.equal(accepted.code, 0, accepted.screen)
    assert.match(accepted.screen, new RegExp(`deleted topic ${topic}`))
    await waitFor('the deletion to reach the metadata', async () => !(await listJson()).some((t) => t.name === topic))
  })

  it('describes several topics in order, fails as a whole on unknown names, and hides internal topics unless --all (and never deletes them)', async () => {
    const a = await createTopic(uniqueName('tp-many-a'), 1)
    const b = await createTopic(uniqueName('tp-many-b'), 2)
    assert.deepEqual(
      (await describeJson(b, a)).map((t) => [t.name, t.partitions.length]),
      [
        [b, 2],
        [a, 1],
      ],
    )
    const unknown = await kcli(['topic', 'describe', a, 'tp-nope-1', 'tp-nope-2'])
    assertFails(unknown, 2, /^kcli: topics "tp-nope-1", "tp-nope-2" do not exist$/)

    // A group's first commit makes sure the broker has its internal __consumer_offsets topic.
    await produce(a, 0, 1)
    await ok(['consume', '-t', a, '-g', uniqueName('tp-g'), '--from-beginning', '-e'])
    const all = await listJson('--all')
    assert.ok(all.some((t) => t.name === '__consumer_offsets' && t.internal))
    const visible = await listJson()
    assert.ok(visible.every((t) => !t.internal))
    assert.ok(visible.some((t) => t.name === a) && all.some((t) => t.name === a && !t.internal))
    assert.ok(!lines((await ok(['topic', 'list'])).out).includes('__consumer_offsets'))
    assertFails(
      await kcli(['topic', 'delete', '__consumer_offsets', '--yes']),
      2,
      /^kcli: __consumer_offsets is an internal topic of Kafka: kcli does not delete those$/,
    )
  })

  it('exits 3 with one line when the cluster cannot be reached', async () => {
    assertFails(
      await kcli(['topic', 'list', '-b', 'localhost:1', '--timeout', '1s']),
      3,
      /^kcli: cannot reach Kafka at localhost:1 within 1s/,
    )
    assertFails(
      await kcli(['topic', 'describe', 'x', '-b', 'localhost:1', '--timeout', '1s']),
      3,
      /^kcli: cannot reach Kafka at localhost:1 within 1s/,
    )
  })
})
