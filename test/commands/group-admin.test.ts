// `kcli group list`, `group reset-offsets` and `group delete` against the suite's broker: what they print, what the
// broker holds afterwards, the refusals (active members, unknown names, no terminal to confirm on), and the failures
// that must end as one line and an exit code, never a crash.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {IAdminClient, KafkaConsumer} from '@confluentinc/kafka-javascript'

import {KcliError} from '../../src/lib/errors.js'
import {ClusterContext} from '../../src/lib/kafka/cluster.js'
import {commitOffsetsAsGroup} from '../../src/lib/kafka/groups.js'
import {resolveSettings} from '../../src/lib/settings/resolve.js'
import {
  bin,
  brokers,
  cleanEnv,
  commitOffsets,
  createTopic,
  kafkaLibrary,
  kcli,
  lines,
  liveMember,
  uniqueName,
} from '../helpers.js'

let adminClient: IAdminClient | undefined
async function admin(): Promise<IAdminClient> {
  adminClient ??= (await kafkaLibrary()).AdminClient.create({'bootstrap.servers': brokers, log_level: 3} as never)
  return adminClient
}
after(() => adminClient?.disconnect())

/** Produces records to one partition; `timestamps` gives some of them a time of their own. */
async function produce(topic: string, partition: number, count: number, timestamps: number[] = []): Promise<void> {
  const input =
    Array.from({length: count}, (_, i) =>
      JSON.stringify({value: {i}, ...(timestamps[i] === undefined ? {} : {timestamp: timestamps[i]})}),
    ).join('\n') + '\n'
  const result = await kcli(['produce', '-t', topic, '-p', String(partition), '-i', 'envelope', '-q'], {input})
  assert.equal(result.code, 0, result.stderr)
}

/** The group's committed offsets as `topic/partition` -> offset, read with the admin client. */
async function committed(group: string): Promise<Record<string, number>> {
  const a = await admin()
  const [result] = await new Promise<Array<{partitions: Array<{topic: string; partition: number; offset: number}>}>>(
    (resolve, reject) =>
      a.listConsumerGroupOffsets([{groupId: group}], {timeout: 10_000}, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
  )
  return Object.fromEntries(
    result.partitions.filter((p) => p.offset >= 0).map((p) => [`${p.topic}/${p.partition}`, p.offset]),
  )
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

interface ListRow {
  group: string
  state: string
  type: string
  simple: boolean
  memberCount: number
  totalLag?: number | null
}
interface PlanRow {
  topic: string
  partition: number
  committed: number | null
  newOffset: number
  logStart: number
  logEnd: number
  clamped: string | null
}
interface Plan {
  group: string
  target: {kind: string}
  executed: boolean
  partitions: PlanRow[]
}

async function listJson(args: string[] = []): Promise<ListRow[]> {
  const result = await kcli(['group', 'list', ...args, '--json'])
  assert.equal(result.code, 0, result.stderr)
  return (JSON.parse(result.out) as {groups: ListRow[]}).groups
}

async function resetJson(group: string, args: string[]): Promise<Plan> {
  const result = await kcli(['group', 'reset-offsets', group, ...args, '--json'])
  assert.equal(result.code, 0, result.stderr)
  return JSON.parse(result.out) as Plan
}

/** Exit code 2, nothing on stdout, and the first stderr line matching `message`. */
function assertUsage(result: {code: number | null; out: string; stderr: string}, message: RegExp): void {
  assert.equal(result.code, 2, result.stderr)
  assert.equal(result.out, '')
  assert.match(lines(result.stderr)[0] ?? '', message)
}

describe('with a live member', () => {
  let consumer: KafkaConsumer | undefined
  let topic = ''
  let liveGroup = ''

  before(async () => {
    topic = await createTopic(uniqueName('ga-live'), 2)
    liveGroup = uniqueName('ga-live-g')
    await produce(topic, 0, 5)
    await produce(topic, 1, 3)
    const c = await liveMember(liveGroup, topic)
    consumer = c
    await waitFor('the consumer to get its partitions', () => c.assignments().length === 2)
    await waitFor('the member to commit', async () => Object.keys(await committed(liveGroup)).length === 2)
  })

  after(async () => {
    if (consumer?.isConnected()) await new Promise<void>((resolve) => consumer?.disconnect(() => resolve()))
  })

  it('group list shows state, type and members, filters by state, and adds the total lag', async () => {
    const idle = uniqueName('ga-list-idle')
    await commitOffsets(idle, [
      {topic, partition: 0, offset: 2},
      {topic, partition: 1, offset: 3},
    ])

    const all = await listJson()
    assert.deepEqual(
      all.find((g) => g.group === liveGroup),
      {group: liveGroup, state: 'Stable', type: 'classic', simple: false, memberCount: 1},
    )
    assert.deepEqual(
      all.find((g) => g.group === idle),
      {group: idle, state: 'Empty', type: 'classic', simple: true, memberCount: 0},
    )
    assert.deepEqual(
      all.map((g) => g.group),
      [...all.map((g) => g.group)].sort(),
      'sorted by name',
    )

    const empty = await listJson(['--state', 'EMPTY', '--lag'])
    assert.ok(empty.every((g) => g.state === 'Empty'))
    assert.equal(
      empty.find((g) => g.group === liveGroup),
      undefined,
    )
    assert.equal(empty.find((g) => g.group === idle)?.totalLag, 3)

    const stable = await kcli(['group', 'list', '--state', 'stable,preparingrebalance', '--lag'])
    assert.equal(stable.code, 0, stable.stderr)
    assert.match(lines(stable.out)[0], /^GROUP\s+STATE\s+TYPE\s+MEMBERS\s+TOTAL-LAG$/)
    const row = lines(stable.out)
      .find((l) => l.startsWith(`${liveGroup} `))
      ?.split(/\s+/)
    assert.deepEqual(row, [liveGroup, 'Stable', 'classic', '1', '0'])
    assert.ok(!stable.out.includes(idle))

    assertUsage(
      await kcli(['group', 'list', '--state', 'sleeping']),
      /^kcli: --state: "sleeping" is not a group state$/,
    )
  })

  it('group reset-offsets and group delete refuse a group with active members, and leave its offsets alone', async () => {
    const before = await committed(liveGroup)
    for (const extra of [[], ['--execute']]) {
      const result = await kcli(['group', 'reset-offsets', liveGroup, '--to-earliest', ...extra])
      assertUsage(
        result,
        new RegExp(
          `^kcli: group "${liveGroup}" has active members \\(state Stable\\): cannot reset its offsets while it has any$`,
        ),
      )
    }
    assertUsage(
      await kcli(['group', 'delete', liveGroup, '--yes']),
      new RegExp(`^kcli: group "${liveGroup}" has active members \\(state Stable\\): cannot delete it`),
    )
    assert.deepEqual(await committed(liveGroup), before)
    assert.equal((await listJson(['--state', 'stable'])).find((g) => g.group === liveGroup)?.memberCount, 1)
  })

  it('a commit from outside a live group is refused as active members (exit 2), not taken for success', async () => {
    const settings = await resolveSettings({
      flags: {brokers},
      env: {},
      cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-ga-')),
    })
    const before = await committed(liveGroup)
    const cluster = new ClusterContext(settings)
    try {
      await assert.rejects(
        commitOffsetsAsGroup(cluster, liveGroup, [{topic, partition: 0, offset: 0}]),
        (err: unknown) => err instanceof KcliError && err.exit === 2 && /has active members/.test(err.message),
      )
    } finally {
      await cluster.close()
    }
    assert.deepEqual(await committed(liveGroup), before)
  })
})

describe('kcli group reset-offsets', () => {
  it('a dry run prints the plan and changes nothing', async () => {
    const topic = await createTopic(uniqueName('ga-dry'), 2)
    const group = uniqueName('ga-dry-g')
    await produce(topic, 0, 4)
    await produce(topic, 1, 6)
    await commitOffsets(group, [{topic, partition: 0, offset: 3}])

    const table = await kcli(['group', 'reset-offsets', group, '--to-earliest', '--topic', topic])
    assert.equal(table.code, 0, table.stderr)
    assert.deepEqual(
      lines(table.out).map((l) => l.split(/\s+/)),
      [
        ['TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'NEW-OFFSET', 'LOG-START-OFFSET', 'LOG-END-OFFSET'],
        [topic, '0', '3', '0', '0', '4'],
        [topic, '1', '-', '0', '0', '6'],
      ],
    )
    assert.match(table.stderr, /Dry run: nothing changed\. Add --execute/)

    const plan = await resetJson(group, ['--to-latest', '--dry-run'])
    assert.equal(plan.executed, false)
    assert.deepEqual(plan.target, {kind: 'latest'})
    // Without --topic: only what the group has committed.
    assert.deepEqual(plan.partitions, [
      {topic, partition: 0, committed: 3, newOffset: 4, logStart: 0, logEnd: 4, clamped: null},
    ])
    assert.deepEqual(await committed(group), {[`${topic}/0`]: 3})
  })

  it('--execute moves exactly the planned partitions', async () => {
    const a = await createTopic(uniqueName('ga-exec-a'), 3)
    const b = await createTopic(uniqueName('ga-exec-b'), 1)
    const group = uniqueName('ga-exec-g')
    await Promise.all([produce(a, 0, 5), produce(a, 1, 5), produce(a, 2, 5), produce(b, 0, 5)])
    await commitOffsets(group, [
      {topic: a, partition: 0, offset: 4},
      {topic: a, partition: 1, offset: 4},
      {topic: a, partition: 2, offset: 4},
      {topic: b, partition: 0, offset: 4},
    ])

    const result = await resetJson(group, ['--to-offset', '1', '--topic', `${a}:2,0`, '--execute'])
    assert.equal(result.executed, true)
    assert.deepEqual(
      result.partitions.map((p) => [p.topic, p.partition, p.committed, p.newOffset]),
      [
        [a, 0, 4, 1],
        [a, 2, 4, 1],
      ],
    )
    assert.deepEqual(await committed(group), {[`${a}/0`]: 1, [`${a}/1`]: 4, [`${a}/2`]: 1, [`${b}/0`]: 4})

    const table = await kcli(['group', 'reset-offsets', group, '--shift-by', '-2', '--execute'])
    assert.equal(table.code, 0, table.stderr)
    assert.match(table.stderr, /Moved group ".*" on 4 partitions\./)
    assert.match(
      table.stderr,
      /warning: the target is outside the log on 2 partitions: 2 partitions moved up to the log start offset/,
    )
    assert.deepEqual(await committed(group), {[`${a}/0`]: 0, [`${a}/1`]: 2, [`${a}/2`]: 0, [`${b}/0`]: 2})
  })

  it('resolves every target form against the log, clamping to its ends', async () => {
    const topic = await createTopic(uniqueName('ga-targets'), 1, {'retention.ms': '-1'})
    const group = uniqueName('ga-targets-g')
    // Offsets 0 and 1 are old records; 2-4 are from now.
    await produce(topic, 0, 5, [Date.parse('2020-01-01T00:00:00Z'), Date.parse('2021-01-01T00:00:00Z')])
    await commitOffsets(group, [{topic, partition: 0, offset: 3}])

    const cases: Array<[string[], number, string | null]> = [
      [['--to-earliest'], 0, null],
      [['--to-latest'], 5, null],
      [['--to-offset', '2'], 2, null],
      [['--to-offset', '99'], 5, 'logEnd'],
      [['--to-datetime', '2020-06-01T00:00:00Z'], 1, null],
      [['--to-datetime', '2019-12-31T23:00:00-02:00'], 1, null],
      [['--to-datetime', '2100-01-01'], 5, null],
      [['--by-duration', '1h'], 2, null],
      [['--shift-by', '-2'], 1, null],
      [['--shift-by=-10'], 0, 'logStart'],
      [['--shift-by', '+1'], 4, null],
    ]
    for (const [args, newOffset, clamped] of cases) {
      const plan = await resetJson(group, args)
      assert.deepEqual([plan.partitions[0].newOffset, plan.partitions[0].clamped], [newOffset, clamped], args.join(' '))
    }
    assert.deepEqual(await committed(group), {[`${topic}/0`]: 3}, 'dry runs changed nothing')

    await resetJson(group, ['--to-datetime', '2020-06-01T00:00:00Z', '--execute'])
    assert.deepEqual(await committed(group), {[`${topic}/0`]: 1})
    await resetJson(group, ['--by-duration', '1h', '--execute'])
    assert.deepEqual(await committed(group), {[`${topic}/0`]: 2})
  })

  it('sets the offsets of a group that does not exist yet only when --topic names them', async () => {
    const topic = await createTopic(uniqueName('ga-new'), 2)
    const group = uniqueName('ga-new-g')
    await produce(topic, 1, 3)
    assertUsage(
      await kcli(['group', 'reset-offsets', group, '--to-earliest']),
      new RegExp(`^kcli: group "${group}" does not exist$`),
    )

    const result = await kcli(['group', 'reset-offsets', group, '--to-latest', '--topic', topic, '--execute'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, new RegExp(`Group "${group}" does not exist yet: it is created with these offsets\\.`))
    assert.deepEqual(await committed(group), {[`${topic}/0`]: 0, [`${topic}/1`]: 3})
  })

  it('rejects bad usage before changing anything', async () => {
    const topic = await createTopic(uniqueName('ga-usage'), 2)
    const group = uniqueName('ga-usage-g')
    await commitOffsets(group, [{topic, partition: 0, offset: 0}])
    const run = (args: string[]) => kcli(['group', 'reset-offsets', group, ...args, '--execute'])
    assertUsage(await run([]), /^kcli: say where to move the offsets$/)
    assertUsage(
      await run(['--to-earliest', '--to-offset', '3']),
      /^kcli: --to-earliest and --to-offset cannot be used together$/,
    )
    assertUsage(
      await run(['--to-datetime', 'last tuesday']),
      /^kcli: --to-datetime: "last tuesday" is not an ISO 8601 date-time$/,
    )
    assertUsage(await run(['--by-duration', 'soon']), /^kcli: --by-duration: "soon" is not a duration$/)
    assertUsage(
      await run(['--to-earliest', '--topic', `${topic}:5`]),
      new RegExp(`^kcli: --topic ${topic}:5: topic ${topic} has partitions 0-1$`),
    )
    assertUsage(
      await run(['--to-earliest', '--topic', uniqueName('ga-no-such-topic')]),
      /^kcli: topic ".*" does not exist$/,
    )
    assertUsage(
      await run(['--shift-by', '1', '--topic', topic]),
      new RegExp(`^kcli: --shift-by needs a committed offset to shift, and the group has none on ${topic}\\[1\\]$`),
    )
    assert.deepEqual(await committed(group), {[`${topic}/0`]: 0})
  })
})

describe('kcli group delete', () => {
  async function idleGroup(prefix: string): Promise<{group: string; topic: string}> {
    const topic = await createTopic(uniqueName(`${prefix}-t`), 1)
    const group = uniqueName(prefix)
    await commitOffsets(group, [{topic, partition: 0, offset: 0}])
    return {group, topic}
  }

  it('--yes deletes groups with their offsets', async () => {
    const [one, two] = await Promise.all([idleGroup('ga-del-a'), idleGroup('ga-del-b')])
    const result = await kcli(['group', 'delete', one.group, two.group, '--yes', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(result.out), {
      groups: [
        {group: one.group, deleted: true},
        {group: two.group, deleted: true},
      ],
    })
    assert.match(result.stderr, new RegExp(`Deleted group "${one.group}"\\.`))
    const names = (await listJson()).map((g) => g.group)
    assert.ok(!names.includes(one.group) && !names.includes(two.group))
    assert.deepEqual(await committed(one.group), {})
    assertUsage(await kcli(['group', 'describe', two.group]), new RegExp(`^kcli: group "${two.group}" does not exist$`))
  })

  it('refuses without a terminal and without --yes, and refuses unknown groups, deleting nothing', async () => {
    const {group} = await idleGroup('ga-del-keep')
    const noTty = await kcli(['group', 'delete', group])
    assertUsage(noTty, /^kcli: confirmation needed, but stdin or stderr is not a terminal$/)
    assert.match(noTty.stderr, /hint: Pass --yes/)
    const missing = uniqueName('ga-del-missing')
    assertUsage(
      await kcli(['group', 'delete', group, missing, '--yes']),
      new RegExp(`^kcli: group "${missing}" does not exist$`),
    )
    assert.ok((await listJson()).some((g) => g.group === group))
  })

  it('asks on a terminal: no keeps the group, yes deletes it', async () => {
    const {group} = await idleGroup('ga-del-ask')
    const no = await onTerminal(['group', 'delete', group], 'n\n')
    assert.equal(no.code, 1, no.output)
    assert.match(no.output, new RegExp(`Delete consumer group "${group}" and its committed offsets\\? \\[y/N\\]`))
    assert.match(no.output, /kcli: not confirmed: nothing was deleted/)
    assert.ok((await listJson()).some((g) => g.group === group))

    const yes = await onTerminal(['group', 'delete', group], 'y\n')
    assert.equal(yes.code, 0, yes.output)
    assert.match(yes.output, new RegExp(`Deleted group "${group}"\\.`))
    assert.ok(!(await listJson()).some((g) => g.group === group))
  })
})

describe('failures end with one line and an exit code, never a crash', () => {
  it('exits 3 when the broker is unreachable', async () => {
    const commands = [
      ['group', 'list'],
      ['group', 'list', '--lag'],
      ['group', 'reset-offsets', 'g', '--to-earliest', '--execute'],
      ['group', 'delete', 'g', '--yes'],
    ]
    // They only wait for the timeout: run side by side.
    const results = await Promise.all(commands.map((args) => kcli([...args, '-b', 'localhost:1', '--timeout', '2s'])))
    for (const [i, result] of results.entries()) {
      const args = commands[i]
      assert.equal(result.signal, null, args.join(' '))
      assert.equal(result.code, 3, `${args.join(' ')}: ${result.stderr}`)
      assert.equal(result.out, '')
      assert.match(lines(result.stderr)[0], /^kcli: cannot reach Kafka at localhost:1 within 2s/)
      assert.doesNotMatch(result.stderr, /^\s+at /m)
    }
  })

  it('never describes a group of another protocol (Kafka Connect), which would crash the client library', async () => {
    const group = uniqueName('ga-connect')
    const member = await joinAsConnectWorker(group)
    try {
      const list = await listJson()
      assert.ok(!list.some((g) => g.group === group), 'only consumer groups are listed')
      for (const args of [
        ['group', 'describe', group],
        ['group', 'reset-offsets', group, '--to-earliest'],
        ['group', 'delete', group, '--yes'],
      ]) {
        const result = await kcli(args)
        assert.equal(result.signal, null, args.join(' '))
        assertUsage(result, new RegExp(`^kcli: group "${group}" does not exist$`))
      }
    } finally {
      member.destroy()
    }
  })
})

/**
 * Runs kcli under `script`, so that stdin and stderr are a terminal, typing `input`; stdout and stderr come back mixed.
 */
function onTerminal(args: string[], input: string): Promise<{code: number | null; output: string}> {
  const command = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe']})
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, output})
    })
    child.stdin.end(input)
  })
}

/**
 * Joins `group` as Kafka Connect workers do (protocol type "connect") with a bare JoinGroup v2 request, and stays a
 * member until the socket is destroyed. The suite's single broker coordinates every group, so no FindCoordinator.
 */
async function joinAsConnectWorker(group: string): Promise<net.Socket> {
  const [host, port] = brokers.split(',')[0].split(':')
  const str = (s: string) => {
    const b = Buffer.from(s)
    const len = Buffer.alloc(2)
    len.writeInt16BE(b.length)
    return Buffer.concat([len, b])
  }
  const int = (n: number, size: 2 | 4) => {
    const b = Buffer.alloc(size)
    if (size === 2) b.writeInt16BE(n)
    else b.writeInt32BE(n)
    return b
  }
  const metadata = Buffer.from('kcli-test')
  const body = Buffer.concat([
    str(group),
    int(30_000, 4),
    int(30_000, 4),
    str(''),
    str('connect'),
    int(1, 4),
    str('default'),
    int(metadata.length, 4),
    metadata,
  ])
  const request = Buffer.concat([int(11, 2), int(2, 2), int(1, 4), str('kcli-test'), body])
  const socket = net.connect(Number(port), host)
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    // The response comes once the join round completes: the group then exists, with this member.
    socket.once('data', (data: Buffer) => {
      const errorCode = data.readInt16BE(12)
      if (errorCode === 0) resolve()
      else reject(new Error(`JoinGroup failed with error code ${errorCode}`))
    })
    socket.write(Buffer.concat([int(request.length, 4), request]))
  })
  return socket
}
