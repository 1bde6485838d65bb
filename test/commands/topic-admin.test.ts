// topic alter-config, topic describe --all-configs, cluster config and alter-config, topic offsets and topic trim
// against the suite's broker (PLAINTEXT), through the admin calls of kcli's patch; the secured cluster's side is in
// admin-secure.test.ts, the stock client library's in admin-stock.test.ts.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {assertOneLine, eventually, kcliJson} from '../admin-helpers.js'
import {createTopic, kcli, lines, uniqueName} from '../helpers.js'

interface ConfigSetting {
  name: string
  value: string | null
  source: string
}

interface Described {
  topics: Array<{configs: ConfigSetting[] | null}>
  configsUnavailable: string | null
}

interface ChangeResult {
  resource: {type: string; name: string | null}
  dryRun: boolean
  applied: boolean
  changes: Array<{
    name: string
    op: string
    value: string | null
    current: {value: string | null; source: string} | null
    newValue: string | null
    unchanged: boolean
  }>
}

async function topicConfigs(topic: string, all = false): Promise<ConfigSetting[]> {
  const [doc] = await kcliJson<Described>('topic-describe.schema.json', [
    'topic',
    'describe',
    topic,
    ...(all ? ['--all-configs'] : []),
  ])
  assert.equal(doc.configsUnavailable, null)
  return doc.topics[0].configs ?? []
}

const setOnTopic = (configs: ConfigSetting[]) =>
  Object.fromEntries(configs.filter((c) => c.source === 'DYNAMIC_TOPIC_CONFIG').map((c) => [c.name, c.value]))

describe('topic alter-config', () => {
  it('shows the change, applies it with --yes, and the broker holds it', async () => {
    const topic = await createTopic(uniqueName('ac'), 1, {'cleanup.policy': 'compact', 'retention.ms': '3600000'})
    const [result, run] = await kcliJson<ChangeResult>('topic-alter-config.schema.json', [
      'topic',
      'alter-config',
      topic,
      '--set',
      'retention.ms=86400000',
      '--delete',
      'cleanup.policy',
      '--yes',
    ])
    assert.deepEqual(result.resource, {type: 'topic', name: topic})
    assert.equal(result.applied, true)
    assert.equal(result.dryRun, false)
    assert.deepEqual(
      result.changes.map((c) => [c.name, c.op, c.current, c.newValue, c.unchanged]),
      [
        ['retention.ms', 'set', {value: '3600000', source: 'DYNAMIC_TOPIC_CONFIG'}, '86400000', false],
        ['cleanup.policy', 'delete', {value: 'compact', source: 'DYNAMIC_TOPIC_CONFIG'}, null, false],
      ],
    )
    assert.match(run.stderr, new RegExp(`Changed 2 configs of topic "${topic}"`))
    // The change reaches the broker's metadata a little after the alter answered (patches/admin.md).
    const configs = await eventually(
      'the new configs',
      () => topicConfigs(topic),
      (c) => setOnTopic(c)['retention.ms'] === '86400000' && setOnTopic(c)['cleanup.policy'] === undefined,
    )
    assert.deepEqual(setOnTopic(configs), {'retention.ms': '86400000'})

    // The table: each config's current value with its source, and the new one.
    const table = await kcli(['topic', 'alter-config', topic, '--append', 'cleanup.policy=compact', '--dry-run'])
    assert.equal(table.code, 0, table.stderr)
    assert.match(table.out, /^CONFIG +CURRENT +NEW$/m)
    assert.match(table.out, /^cleanup\.policy +delete \(default\) +delete,compact$/m)
    assert.match(table.stderr, /Dry run: the broker accepted the change of 1 config .*nothing changed/)
  })

  it('changes nothing with --dry-run, and without --yes where nobody can be asked', async () => {
    const topic = await createTopic(uniqueName('ac-dry'), 1, {'retention.ms': '3600000'})
    const [dry] = await kcliJson<ChangeResult>('topic-alter-config.schema.json', [
      'topic',
      'alter-config',
      topic,
      '--set',
      'retention.ms=1000',
      '--dry-run',
    ])
    assert.equal(dry.dryRun, true)
    assert.equal(dry.applied, false)
    const refused = await kcli(['topic', 'alter-config', topic, '--set', 'retention.ms=1000'])
    assertOneLine(refused, 2, /^kcli: confirmation needed, but stdin or stderr is not a terminal$/)
    // Give a change time to arrive, were there one.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    assert.deepEqual(setOnTopic(await topicConfigs(topic)), {'retention.ms': '3600000'})
  })

  it('refuses unknown configs, bad values, unknown topics and bad flags with one line each', async () => {
    const topic = await createTopic(uniqueName('ac-bad'))
    const alter = (...args: string[]) => kcli(['topic', 'alter-config', ...args, '--yes'])
    assertOneLine(
      await alter(topic, '--set', 'retention.nope=1'),
      2,
      /^kcli: topic ".*": unknown topic config name: retention\.nope$/,
    )
    assertOneLine(
      await alter(topic, '--set', 'retention.ms=soon'),
      2,
      /^kcli: topic ".*": invalid value soon for configuration retention\.ms/,
    )
    assertOneLine(await alter(`${topic}-nope`, '--set', 'retention.ms=1'), 2, /^kcli: topic ".*-nope" does not exist$/)
    assertOneLine(await alter(topic, '--set', 'retention.ms'), 2, /expected name=value/)
    assertOneLine(await alter(topic), 2, /say which configs to change/)
    assertOneLine(await alter(topic, '--set', 'a=1', '--delete', 'a'), 2, /config a is named twice/)
  })
})

describe('topic describe --all-configs', () => {
  it("lists Kafka's defaults too, each config once with its source", async () => {
    const topic = await createTopic(uniqueName('all-configs'), 1, {'retention.ms': '3600000'})
    const configs = await topicConfigs(topic, true)
    const byName = new Map(configs.map((c) => [c.name, c]))
    assert.equal(byName.size, configs.length)
    assert.deepEqual(byName.get('retention.ms'), {
      name: 'retention.ms',
      value: '3600000',
      source: 'DYNAMIC_TOPIC_CONFIG',
    })
    assert.deepEqual(byName.get('cleanup.policy'), {name: 'cleanup.policy', value: 'delete', source: 'DEFAULT_CONFIG'})
    // Without the flag, only what differs from Kafka's defaults.
    assert.ok((await topicConfigs(topic)).every((c) => c.source !== 'DEFAULT_CONFIG'))
  })
})

interface BrokerConfigs {
  broker: number
  configs: Array<ConfigSetting & {readOnly: boolean; sensitive: boolean}>
}

describe('cluster config and cluster alter-config', () => {
  // A dynamic config that changes nothing another test could notice.
  const name = 'log.cleaner.backoff.ms'
  const read = () => kcliJson<BrokerConfigs>('cluster-config.schema.json', ['cluster', 'config', name])

  it('shows broker configs with their sources, and changes the cluster-wide default and one broker', async () => {
    const [all] = await kcliJson<BrokerConfigs>('cluster-config.schema.json', ['cluster', 'config'])
    assert.ok(all.configs.some((c) => c.name === 'node.id' && c.source === 'STATIC_BROKER_CONFIG' && c.readOnly))
    assert.ok(all.configs.every((c) => c.source !== 'DEFAULT_CONFIG'))
    const [before] = await read()
    assert.deepEqual(before.configs, [
      {name, value: '15000', source: 'DEFAULT_CONFIG', readOnly: false, sensitive: false},
    ])

    const [changed] = await kcliJson<ChangeResult>('cluster-alter-config.schema.json', [
      'cluster',
      'alter-config',
      '--set',
      `${name}=16000`,
      '--yes',
    ])
    assert.deepEqual(changed.resource, {type: 'cluster', name: null})
    assert.deepEqual(changed.changes[0].current, {value: '15000', source: 'DEFAULT_CONFIG'})
    await eventually(
      'the cluster-wide default',
      read,
      ([doc]) => doc.configs[0].value === '16000' && doc.configs[0].source === 'DYNAMIC_DEFAULT_BROKER_CONFIG',
    )

    const broker = String(before.broker)
    const [one] = await kcliJson<ChangeResult>('cluster-alter-config.schema.json', [
      'cluster',
      'alter-config',
      '--broker',
      broker,
      '--set',
      `${name}=17000`,
      '--yes',
    ])
    assert.deepEqual(one.resource, {type: 'broker', name: broker})
    await eventually('the broker value', read, ([doc]) => doc.configs[0].source === 'DYNAMIC_BROKER_CONFIG')

    for (const args of [['--broker', broker], []]) {
      const deleted = await kcli(['cluster', 'alter-config', ...args, '--delete', name, '--yes'])
      assert.equal(deleted.code, 0, deleted.stderr)
    }
    await eventually('the default again', read, ([doc]) => doc.configs[0].source === 'DEFAULT_CONFIG')
  })

  it('refuses read-only configs, unknown brokers and names, and a change nobody confirmed', async () => {
    assertOneLine(
      await kcli(['cluster', 'alter-config', '--set', 'log.dirs=/tmp', '--yes']),
      2,
      /cannot update these configs dynamically/i,
    )
    assertOneLine(
      await kcli(['cluster', 'alter-config', '--broker', '999', '--set', `${name}=1`, '--yes']),
      2,
      /broker 999 is not in the cluster/,
    )
    assertOneLine(await kcli(['cluster', 'config', 'no.such.config']), 2, /has no config no\.such\.config/)
    assertOneLine(
      await kcli(['cluster', 'alter-config', '--set', `${name}=16000`]),
      2,
      /confirmation needed, but stdin or stderr is not a terminal/,
    )
  })
})

interface OffsetsResult {
  topic: string
  at: number | null
  partitions: Array<{
    partition: number
    earliest: number
    latest: number
    atTime: {offset: number; timestamp: number | null} | null
  }>
}

// Messages with known timestamps, a minute apart, in a topic that keeps them (retention by time would delete them).
const t0 = Date.parse('2026-01-31T12:00:00Z')
const minute = 60_000

async function timedTopic(prefix: string): Promise<string> {
  const topic = await createTopic(uniqueName(prefix), 2, {'retention.ms': '-1'})
  const input = [
    ...[0, 1, 2, 3, 4].map((i) => ({value: {i}, partition: 0, timestamp: t0 + i * minute})),
    {value: {i: 'a'}, partition: 1, timestamp: t0 + 10 * minute},
  ]
    .map((l) => JSON.stringify(l))
    .join('\n')
  const produced = await kcli(['produce', '-t', topic, '--input', 'envelope', '-q'], {input})
  assert.equal(produced.code, 0, produced.stderr)
  return topic
}

describe('topic offsets', () => {
  it('finds earliest, latest and the offset at a time for each partition', async () => {
    const topic = await timedTopic('offsets')
    const offsets = async (...args: string[]) =>
      (await kcliJson<OffsetsResult>('topic-offsets.schema.json', ['topic', 'offsets', topic, ...args]))[0]

    const plain = await offsets()
    assert.deepEqual(plain, {
      topic,
      at: null,
      partitions: [
        {partition: 0, earliest: 0, latest: 5, atTime: null},
        {partition: 1, earliest: 0, latest: 1, atTime: null},
      ],
    })
    // Exactly at a message's time, between two, in ISO 8601 and in ms: the first message at or after it.
    const at = (doc: OffsetsResult) => doc.partitions.map((p) => p.atTime)
    assert.deepEqual(at(await offsets('--at', `@${t0 + 2 * minute}`)), [
      {offset: 2, timestamp: t0 + 2 * minute},
      {offset: 0, timestamp: t0 + 10 * minute},
    ])
    const between = await offsets('--at', '@2026-01-31T12:02:30Z')
    assert.equal(between.at, t0 + 2.5 * minute)
    assert.deepEqual(at(between), [
      {offset: 3, timestamp: t0 + 3 * minute},
      {offset: 0, timestamp: t0 + 10 * minute},
    ])
    // After the last message (and an hour ago: they are from January): the end, and no timestamp.
    assert.deepEqual(at(await offsets('--at', '2026-01-31T12:05:00.001Z', '-p', '0')), [{offset: 5, timestamp: null}])
    assert.deepEqual(at(await offsets('--at=@-1h')), [
      {offset: 5, timestamp: null},
      {offset: 1, timestamp: null},
    ])

    const table = await kcli(['topic', 'offsets', topic, '--at', `@${t0}`])
    assert.match(table.out, /^PARTITION +EARLIEST +LATEST +OFFSET-AT-TIME +TIMESTAMP$/m)
    assert.match(table.out, /^0 +0 +5 +0 +2026-01-31T12:00:00\.000Z$/m)
  })

  it('refuses what is not a time, an unknown partition and an unknown topic', async () => {
    const topic = await createTopic(uniqueName('offsets-bad'))
    assertOneLine(await kcli(['topic', 'offsets', topic, '--at', 'soon']), 2, /"@soon" is not a time/)
    assertOneLine(await kcli(['topic', 'offsets', topic, '--at', '@-1h:end']), 2, /not a point in time/)
    assertOneLine(await kcli(['topic', 'offsets', topic, '-p', '3']), 2, /-p 3: topic .* has partitions 0-0/)
    assertOneLine(await kcli(['topic', 'offsets', `${topic}-nope`]), 2, /does not exist/)
  })
})

interface TrimResult {
  topic: string
  dryRun: boolean
  applied: boolean
  partitions: Array<{partition: number; earliest: number; latest: number; newEarliest: number; deleted: number}>
}

async function firstOffsets(topic: string): Promise<Record<number, number>> {
  const consumed = await kcli(['consume', '-t', topic, '--from-beginning', '-e'])
  assert.equal(consumed.code, 0, consumed.stderr)
  const first: Record<number, number> = {}
  for (const line of lines(consumed.out)) {
    const {partition, offset} = JSON.parse(line) as {partition: number; offset: number}
    first[partition] ??= offset
  }
  return first
}

describe('topic trim', () => {
  it('deletes before an offset, then before a time; consuming from the beginning starts after the cut', async () => {
    const topic = await timedTopic('trim')
    const [byOffset, run] = await kcliJson<TrimResult>('topic-trim.schema.json', [
      'topic',
      'trim',
      topic,
      '--before',
      '2',
      '-p',
      '0',
      '--yes',
    ])
    assert.equal(byOffset.applied, true)
    assert.deepEqual(byOffset.partitions, [{partition: 0, earliest: 0, latest: 5, newEarliest: 2, deleted: 2}])
    assert.match(run.stderr, /Deleted 2 messages of topic .*partition 0 now starts at offset 2/)
    assert.deepEqual(await firstOffsets(topic), {0: 2, 1: 0})

    // Before 12:03:30: offsets 2 and 3 of partition 0 go; partition 1's only message is later and stays.
    const [byTime] = await kcliJson<TrimResult>('topic-trim.schema.json', [
      'topic',
      'trim',
      topic,
      '--before',
      '@2026-01-31T12:03:30Z',
      '--yes',
    ])
    assert.deepEqual(
      byTime.partitions.map((p) => [p.partition, p.newEarliest, p.deleted]),
      [
        [0, 4, 2],
        [1, 0, 0],
      ],
    )
    assert.deepEqual(await firstOffsets(topic), {0: 4, 1: 0})
  })

  it('shows the plan; deletes nothing with --dry-run, without --yes off a terminal, or with nothing before', async () => {
    const topic = await timedTopic('trim-dry')
    const [dry] = await kcliJson<TrimResult>('topic-trim.schema.json', [
      'topic',
      'trim',
      topic,
      '--before',
      'end',
      '--dry-run',
    ])
    assert.equal(dry.applied, false)
    assert.deepEqual(
      dry.partitions.map((p) => p.deleted),
      [5, 1],
    )
    const table = await kcli(['topic', 'trim', topic, '--before', '-1', '--dry-run'])
    assert.match(table.out, /^PARTITION +EARLIEST +LATEST +NEW-EARLIEST +TO-DELETE$/m)
    assert.match(table.out, /^0 +0 +5 +4 +4$/m)
    assertOneLine(
      await kcli(['topic', 'trim', topic, '--before', 'end']),
      2,
      /^kcli: confirmation needed, but stdin or stderr is not a terminal$/,
    )
    const nothing = await kcli(['topic', 'trim', topic, '--before', 'beginning', '--yes'])
    assert.equal(nothing.code, 0, nothing.stderr)
    assert.match(nothing.stderr, /Nothing to delete/)
    assert.deepEqual(await firstOffsets(topic), {0: 0, 1: 0})
    assertOneLine(await kcli(['topic', 'trim', topic, '--before', '1:3', '--yes']), 2, /give one point, not a range/)
    // A mistyped point is named as such, also where no confirmation could be asked for.
    assertOneLine(
      await kcli(['topic', 'trim', topic, '--before', 'soon']),
      2,
      /^kcli: --before: "soon" is not an offset$/,
    )
    assert.deepEqual(await firstOffsets(topic), {0: 0, 1: 0})
  })

  it('a compacted topic refuses it, with one line', async () => {
    const topic = await createTopic(uniqueName('trim-compact'), 1, {'cleanup.policy': 'compact'})
    const produced = await kcli(['produce', '-t', topic, '-k', 'k', '-q'], {input: '{"n":1}\n{"n":2}\n'})
    assert.equal(produced.code, 0, produced.stderr)
    assertOneLine(
      await kcli(['topic', 'trim', topic, '--before', '1', '--yes']),
      1,
      /^kcli: cannot delete messages of topic/,
    )
  })
})
