// The stock client library (KCLI_DATA_PATH=stock: what a prebuilt binary without kcli's patch offers) against the
// suite's broker: commands that need the patch's admin calls say so in one line and exit 1; the rest keep working
// with the stock calls (topic configs over PLAINTEXT with kcli's own request, offsets, trim, group resets by commit).
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {type Socket, createServer} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {ClusterContext} from '../../src/lib/kafka/cluster.js'
import {describeTopicConfigs} from '../../src/lib/kafka/topic-configs.js'
import {mergeLayers} from '../../src/lib/settings/resolve.js'
import {kcliJson} from '../admin-helpers.js'
import {type RunOptions, brokers, createTopic, kcli, lines, uniqueName} from '../helpers.js'

const stock: RunOptions = {env: {KCLI_DATA_PATH: 'stock'}}

describe('the stock client library', () => {
  it('reports each command that needs the admin calls as unavailable, with exit 1 and one line', async () => {
    const passwordFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-stock-')), 'pw')
    fs.writeFileSync(passwordFile, 'not-used\n', {mode: 0o600})
    const commands: Array<[string, string[], string]> = [
      ['topic alter-config', ['orders', '--set', 'retention.ms=1', '--yes'], 'IncrementalAlterConfigs'],
      ['cluster config', [], 'DescribeConfigs'],
      ['cluster alter-config', ['--set', 'log.cleaner.backoff.ms=1', '--yes'], 'IncrementalAlterConfigs'],
      ['acl list', [], 'DescribeAcls'],
      ['acl create', ['--allow-principal', 'User:svc', '--operation', 'read', '--topic', 'orders'], 'CreateAcls'],
      ['acl delete', ['--topic', 'orders', '--yes'], 'DeleteAcls'],
      ['user list', [], 'DescribeUserScramCredentials'],
      ['user create', ['svc', '--password-file', passwordFile], 'AlterUserScramCredentials'],
      ['user delete', ['svc', '--yes'], 'AlterUserScramCredentials'],
    ]
    for (const [command, args, request] of commands) {
      const result = await kcli([...command.split(' '), ...args], stock)
      assert.equal(result.code, 1, `${command}: ${result.stderr}`)
      assert.equal(result.out, '')
      assert.deepEqual(lines(result.stderr), [
        `kcli: ${command} is unavailable: it needs the client library's ${request}, which kcli's patch adds (here KCLI_DATA_PATH=stock selects the library's stock calls)`,
      ])
    }
  })

  it("keeps topic configs (kcli's own request, over PLAINTEXT), offsets, trim and group resets", async () => {
    const topic = await createTopic(uniqueName('stock'), 1, {'retention.ms': '3600000'})
    const produced = await kcli(['produce', '-t', topic, '-q'], {input: '{"n":1}\n{"n":2}\n{"n":3}\n'})
    assert.equal(produced.code, 0, produced.stderr)

    const [described] = await kcliJson<{topics: Array<{configs: Array<{name: string; source: string}>}>}>(
      'topic-describe.schema.json',
      ['topic', 'describe', topic, '--all-configs'],
      stock,
    )
    const configs = described.topics[0].configs
    assert.ok(configs.some((c) => c.name === 'retention.ms' && c.source === 'DYNAMIC_TOPIC_CONFIG'))
    assert.ok(configs.some((c) => c.name === 'cleanup.policy' && c.source === 'DEFAULT_CONFIG'))

    const [offsets] = await kcliJson<{partitions: Array<{latest: number}>}>(
      'topic-offsets.schema.json',
      ['topic', 'offsets', topic, '--at', '@-1h'],
      stock,
    )
    assert.equal(offsets.partitions[0].latest, 3)
    const [trimmed] = await kcliJson<{partitions: Array<{newEarliest: number}>}>(
      'topic-trim.schema.json',
      ['topic', 'trim', topic, '--before', '1', '--yes'],
      stock,
    )
    assert.equal(trimmed.partitions[0].newEarliest, 1)

    const group = uniqueName('stock-g')
    const [reset] = await kcliJson<{executed: boolean}>(
      'group-reset-offsets.schema.json',
      ['group', 'reset-offsets', group, '--topic', topic, '--to-offset', '2', '--execute'],
      stock,
    )
    assert.equal(reset.executed, true)
    const [doc] = await kcliJson<{groups: Array<{partitions: Array<{committed: number | null}>}>}>(
      'group-describe.schema.json',
      ['group', 'describe', group],
    )
    assert.equal(doc.groups[0].partitions[0].committed, 2)
  })

  it("asks the next broker for topic configs when one accepts and never answers, within the command's timeout", async () => {
    const topic = await createTopic(uniqueName('stock-silent'), 1, {'retention.ms': '3600000'})
    // A broker that a stop (SIGSTOP, a full GC) left accepting connections and answering nothing: a fake, as the
    // suite has one broker and stopping it would stop the answer too.
    const held: Socket[] = []
    const silent = createServer((socket) => held.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const {port} = silent.address() as {port: number}
    const [host, real] = brokers.split(',')[0]!.split(':')
    const previous = process.env.KCLI_DATA_PATH
    process.env.KCLI_DATA_PATH = 'stock'
    try {
      const settings = mergeLayers({source: {kind: 'flag', name: 'flags'}, brokers: [brokers], timeoutMs: 6000})
      const configs = await describeTopicConfigs(
        new ClusterContext(settings),
        [
          {host: '127.0.0.1', port},
          {host: host!, port: Number(real)},
        ],
        [topic],
      )
      // Before, the silent broker took the whole timeout and the real one was never asked.
      assert.ok(configs.available, configs.available ? '' : configs.reason)
      assert.equal(configs.byTopic.get(topic)?.find((c) => c.name === 'retention.ms')?.value, '3600000')
    } finally {
      if (previous === undefined) delete process.env.KCLI_DATA_PATH
      else process.env.KCLI_DATA_PATH = previous
      for (const socket of held) socket.destroy()
      silent.close()
    }
  })
})
