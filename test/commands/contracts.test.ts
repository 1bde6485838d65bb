// The JSON kcli prints is a contract: every --json output, the envelope lines of consume (which produce reads back),
// produce's --print-offsets and dead-letter lines are run for real here and validated against the schema files in
// schemas/, which say exactly what each holds. A field added to an output without its schema fails here.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {Ajv2020} from 'ajv/dist/2020.js'

import {type RunOptions, type RunResult, commitOffsets, createTopic, kcli, lines, root, uniqueName} from '../helpers.js'
import {registryUrl} from '../registry-helpers.js'

const schemaDir = path.join(root, 'schemas')
// Union types (a value that is a string or null) are how these outputs say "unknown".
const ajv = new Ajv2020({strict: true, allowUnionTypes: true, allErrors: true})

function validator(file: string): (data: unknown) => void {
  const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')) as object)
  return (data) => {
    if (!validate(data)) assert.fail(`${file}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(data, null, 2)}`)
  }
}

/** Runs kcli and validates its stdout, one JSON document, against a schema; returns the document. */
async function json<T>(
  schema: string,
  args: string[],
  options: RunOptions & {exit?: number} = {},
): Promise<{doc: T; result: RunResult}> {
  const result = await kcli(args, options)
  assert.equal(result.code, options.exit ?? 0, `kcli ${args.join(' ')}: ${result.stderr}`)
  const doc = JSON.parse(result.out) as T
  validator(schema)(doc)
  return {doc, result}
}

/** Every command with --json, and the schema of its output. */
const jsonCommands: Record<string, string> = {
  'acl create': 'acl-create.schema.json',
  'acl delete': 'acl-delete.schema.json',
  'acl list': 'acl-list.schema.json',
  'cluster alter-config': 'cluster-alter-config.schema.json',
  'cluster config': 'cluster-config.schema.json',
  'cluster describe': 'cluster-describe.schema.json',
  'config profiles': 'config-profiles.schema.json',
  'config show': 'config-show.schema.json',
  'config trust': 'config-trust.schema.json',
  'group delete': 'group-delete.schema.json',
  'group describe': 'group-describe.schema.json',
  'group list': 'group-list.schema.json',
  'group reset-offsets': 'group-reset-offsets.schema.json',
  health: 'health.schema.json',
  'local status': 'local-status.schema.json',
  'perf consume': 'perf-report.schema.json',
  'perf e2e': 'perf-report.schema.json',
  'perf produce': 'perf-report.schema.json',
  'schema check': 'schema-check.schema.json',
  'schema delete': 'schema-delete.schema.json',
  'schema get': 'schema-get.schema.json',
  'schema list': 'schema-list.schema.json',
  'schema register': 'schema-register.schema.json',
  'topic add-partitions': 'topic-add-partitions.schema.json',
  'topic alter-config': 'topic-alter-config.schema.json',
  'topic create': 'topic-create.schema.json',
  'topic delete': 'topic-delete.schema.json',
  'topic describe': 'topic-describe.schema.json',
  'topic list': 'topic-list.schema.json',
  'topic offsets': 'topic-offsets.schema.json',
  'topic trim': 'topic-trim.schema.json',
  'user create': 'user-create.schema.json',
  'user delete': 'user-delete.schema.json',
  'user list': 'user-list.schema.json',
}

describe('JSON contracts', () => {
  it('every command with --json has a schema, and every schema file is valid JSON Schema', () => {
    const commandsDir = path.join(root, 'src', 'commands')
    const withJson = fs
      .readdirSync(commandsDir, {recursive: true, encoding: 'utf8'})
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /static override enableJsonFlag = true/.test(fs.readFileSync(path.join(commandsDir, f), 'utf8')))
      .map((f) => f.replace(/\.ts$/, '').split(path.sep).join(' '))
      .sort()
    assert.deepEqual(withJson, Object.keys(jsonCommands).sort())
    for (const file of fs.readdirSync(schemaDir)) validator(file)
    for (const file of Object.values(jsonCommands)) assert.ok(fs.existsSync(path.join(schemaDir, file)), file)
  })

  describe('against the broker', () => {
    const topic = uniqueName('contract')
    const group = `${topic}-g`

    before(async () => {
      await createTopic(topic, 2)
      const input = [
        '{"key":"k1","value":{"n":1},"headers":[{"key":"source","value":"test"}],"partition":0}',
        '{"key":null,"value":"plain text","partition":1}',
        '{"key":"k3","value":"/w==","valueEncoding":"base64","headers":[{"key":"bin","value":"AP8=","encoding":"base64"}],"partition":0}',
        '{"key":"k4","value":null,"partition":1}',
      ].join('\n')
      const produced = await kcli(['produce', '-t', topic, '--input', 'envelope', '-q'], {input})
      assert.equal(produced.code, 0, produced.stderr)
      await commitOffsets(group, [
        {topic, partition: 0, offset: 1},
        {topic, partition: 1, offset: 0},
      ])
    })

    it('topic list and topic describe', async () => {
      const {doc: list} = await json<{topics: Array<{name: string}>}>('topic-list.schema.json', [
        'topic',
        'list',
        '--all',
        '--json',
      ])
      assert.ok(list.topics.some((t) => t.name === topic))
      const {doc} = await json<{topics: Array<{messages: number; configs: unknown}>}>('topic-describe.schema.json', [
        'topic',
        'describe',
        topic,
        '--json',
      ])
      assert.equal(doc.topics[0].messages, 4)
      assert.ok(Array.isArray(doc.topics[0].configs))
    })

    it('topic create, add-partitions and delete', async () => {
      const name = uniqueName('contract-admin')
      const {doc: created} = await json<{created: boolean; partitions: number; brokerDefaults: string[]}>(
        'topic-create.schema.json',
        ['topic', 'create', name, '--json'],
      )
      assert.equal(created.created, true)
      assert.deepEqual(created.brokerDefaults, ['num.partitions', 'default.replication.factor'])
      const {doc: again} = await json<{created: boolean}>('topic-create.schema.json', [
        'topic',
        'create',
        name,
        '-p',
        '1',
        '--if-not-exists',
        '--json',
      ])
      assert.equal(again.created, false)
      const {doc: grown} = await json<{total: number}>('topic-add-partitions.schema.json', [
        'topic',
        'add-partitions',
        name,
        '3',
        '--json',
      ])
      assert.equal(grown.total, 3)
      const {doc: deleted} = await json<{topics: unknown[]}>('topic-delete.schema.json', [
        'topic',
        'delete',
        name,
        `${name}-nope`,
        '--if-exists',
        '--yes',
        '--json',
      ])
      assert.deepEqual(deleted.topics, [
        {topic: name, deleted: true},
        {topic: `${name}-nope`, deleted: false},
      ])
    })

    it('errors under --json: one {"error"} object on stdout, with the usual exit code', async () => {
      const cases: Array<[string[], number, string]> = [
        [['topic', 'describe', `${topic}-nope`, '--json'], 2, 'UNKNOWN_TOPIC'],
        [['group', 'describe', `${group}-nope`, '--json'], 2, 'UNKNOWN_GROUP'],
        [['topic', 'create', topic, '--json'], 2, 'TOPIC_EXISTS'],
        [['topic', 'list', '-b', '127.0.0.1:1', '--timeout', '1s', '--json'], 3, 'UNREACHABLE'],
        [['topic', 'list', '--timeout', 'soon', '--json'], 2, 'USAGE'],
        [['topic', 'list', '--nope', '--json'], 2, 'USAGE'],
      ]
      for (const [args, exit, code] of cases) {
        const {doc, result} = await json<{error: {code: string; exit: number; message: string}}>(
          'error.schema.json',
          args,
          {exit},
        )
        assert.equal(doc.error.exit, exit)
        assert.equal(doc.error.code, code, args.join(' '))
        // stderr still tells a person, in the same words.
        assert.ok(result.stderr.includes(`kcli: ${doc.error.message}`), result.stderr)
      }
    })

    it('cluster describe', async () => {
      const {doc} = await json<{brokers: unknown[]}>('cluster-describe.schema.json', ['cluster', 'describe', '--json'])
      assert.ok(doc.brokers.length >= 1)
    })

    it('health: healthy with a probe, degraded, and unreachable (counts null)', async () => {
      // The probe's message stays in its topic: not the one the other contracts count.
      const probeTopic = await createTopic(uniqueName('contract-probe'))
      const healthy = await json<{status: string; e2e: {latencyMs: number}}>('health.schema.json', [
        'health',
        '-t',
        topic,
        '--e2e',
        probeTopic,
        '--max-latency',
        '10s',
        '--json',
      ])
      assert.equal(healthy.doc.status, 'healthy')
      const degraded = await json<{status: string}>('health.schema.json', ['health', '-t', `${topic}-nope`, '--json'], {
        exit: 1,
      })
      assert.equal(degraded.doc.status, 'degraded')
      const down = await json<{status: string; brokers: null}>(
        'health.schema.json',
        ['health', '-b', '127.0.0.1:1', '--timeout', '1s', '--json'],
        {exit: 3},
      )
      assert.equal(down.doc.status, 'unreachable')
      assert.equal(down.doc.brokers, null)
    })

    it('group describe, group list, group reset-offsets and group delete', async () => {
      const {doc: described} = await json<{groups: Array<{totalLag: number}>}>('group-describe.schema.json', [
        'group',
        'describe',
        group,
        '--json',
      ])
      assert.equal(described.groups[0].totalLag, 3)
      await json('group-list.schema.json', ['group', 'list', '--json'])
      const {doc: withLag} = await json<{groups: Array<{group: string; totalLag: number | null}>}>(
        'group-list.schema.json',
        ['group', 'list', '--lag', '--json'],
      )
      assert.equal(withLag.groups.find((g) => g.group === group)?.totalLag, 3)
      const {doc: plan} = await json<{executed: boolean}>('group-reset-offsets.schema.json', [
        'group',
        'reset-offsets',
        group,
        '--to-latest',
        '--json',
      ])
      assert.equal(plan.executed, false)
      for (const target of [
        ['--to-datetime', '2020-01-01T00:00:00Z'],
        ['--shift-by', '-1'],
        ['--to-offset', '0'],
      ])
        await json('group-reset-offsets.schema.json', ['group', 'reset-offsets', group, ...target, '--json'])
      const {doc: done} = await json<{executed: boolean}>('group-reset-offsets.schema.json', [
        'group',
        'reset-offsets',
        group,
        '--to-earliest',
        '--execute',
        '--json',
      ])
      assert.equal(done.executed, true)
      const {doc: deleted} = await json<{groups: Array<{deleted: boolean}>}>('group-delete.schema.json', [
        'group',
        'delete',
        group,
        '--yes',
        '--json',
      ])
      assert.deepEqual(deleted.groups, [{group, deleted: true}])
    })

    it('the envelope: consume prints it, produce --input envelope reads it back', async () => {
      const consumed = await kcli(['consume', '-t', topic, '--from-beginning', '-e'])
      assert.equal(consumed.code, 0, consumed.stderr)
      const envelopes = lines(consumed.out)
      assert.equal(envelopes.length, 4)
      const validate = validator('envelope.schema.json')
      for (const line of envelopes) validate(JSON.parse(line))
      assert.ok(envelopes.some((l) => l.includes('"valueEncoding":"base64"') && l.includes('"encoding":"base64"')))

      const copy = await createTopic(uniqueName('contract-copy'), 2)
      const copied = await kcli(['produce', '-t', copy, '--input', 'envelope', '-q'], {input: consumed.out})
      assert.equal(copied.code, 0, copied.stderr)
      const again = await kcli(['consume', '-t', copy, '--from-beginning', '-e'])
      const strip = (l: string) => {
        const {topic: _t, offset: _o, ...rest} = JSON.parse(l) as Record<string, unknown>
        return JSON.stringify(rest)
      }
      assert.deepEqual(lines(again.out).map(strip).sort(), envelopes.map(strip).sort())
    })

    it("produce's --print-offsets lines and dead-letter lines", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-contract-'))
      try {
        const deadLetter = path.join(dir, 'dead.jsonl')
        const input = Buffer.concat([
          Buffer.from('{"a":1}\nnot json\n'),
          Buffer.from([0xff, 0x0a]),
          Buffer.from('[2]\n'),
        ])
        const produced = await kcli(
          ['produce', '-t', topic, '--print-offsets', '--dead-letter', deadLetter, '-q', '-'],
          {input},
        )
        assert.equal(produced.code, 0, produced.stderr)
        const printed = lines(produced.out)
        assert.equal(printed.length, 2)
        const offsets = validator('produce-print-offsets.schema.json')
        for (const line of printed) offsets(JSON.parse(line))
        const dead = lines(fs.readFileSync(deadLetter, 'utf8'))
        assert.equal(dead.length, 2)
        const deadLine = validator('produce-dead-letter.schema.json')
        for (const line of dead) deadLine(JSON.parse(line))
        assert.ok(dead.some((l) => l.includes('"inputEncoding":"base64"')))
      } finally {
        fs.rmSync(dir, {recursive: true, force: true})
      }
    })
  })

  describe('settings and the local cluster', () => {
    const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-contract-config-'))
    const home = path.join(sandbox, 'home')
    const project = path.join(home, 'project')
    const env = {
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
    }
    after(() => fs.rmSync(sandbox, {recursive: true, force: true}))

    before(() => {
      fs.mkdirSync(path.join(env.XDG_CONFIG_HOME, 'kcli'), {recursive: true})
      fs.mkdirSync(project, {recursive: true})
      const config = path.join(env.XDG_CONFIG_HOME, 'kcli', 'config.yaml')
      fs.writeFileSync(
        config,
        'timeout: 5s\nprofile: local\nprofiles:\n  local:\n    brokers: localhost:9092\n  secure:\n    brokers: kafka:9093\n    sasl:\n      mechanism: SCRAM-SHA-512\n      username: ann\n      passwordFile: /nonexistent\n',
      )
      fs.writeFileSync(path.join(project, '.kclirc.json'), '{"clientId": "project-tools"}')
    })

    it('config show: sources from flags, variables, a profile and defaults; an ignored project file', async () => {
      const {doc} = await json<{ignoredFiles: unknown[]; profile: string}>(
        'config-show.schema.json',
        ['config', 'show', '-X', 'linger.ms=20', '-X', 'sasl.password=hidden', '--json'],
        {cwd: project, env: {...env, KCLI_BROKERS: undefined, KCLI_CLIENT_ID: 'from-env'}},
      )
      assert.equal(doc.profile, 'local')
      assert.equal(doc.ignoredFiles.length, 1)
    })

    it('config profiles', async () => {
      const {doc} = await json<{profiles: unknown[]}>('config-profiles.schema.json', ['config', 'profiles', '--json'], {
        cwd: project,
        env,
      })
      assert.equal(doc.profiles.length, 2)
    })

    it('config trust and config trust --list', async () => {
      const {doc} = await json<{keys: string[]}>('config-trust.schema.json', ['config', 'trust', '--json'], {
        cwd: project,
        env,
      })
      assert.deepEqual(doc.keys, ['clientId'])
      const {doc: rows} = await json<unknown[]>(
        'config-trust-list.schema.json',
        ['config', 'trust', '--list', '--json'],
        {
          cwd: project,
          env,
        },
      )
      assert.equal(rows.length, 1)
    })

    it('local status: a cluster that is not there, and the running one when the suite names its state dir', async () => {
      const absent = await json<{state: string}>(
        'local-status.schema.json',
        ['local', 'status', '--state-dir', path.join(sandbox, 'no-cluster'), '--json'],
        {exit: 1},
      )
      assert.equal(absent.doc.state, 'absent')
      const stateDir = process.env.KCLI_TEST_STATE_DIR
      if (stateDir === undefined) return
      const running = await json<{state: string}>('local-status.schema.json', [
        'local',
        'status',
        '--state-dir',
        stateDir,
        '--json',
      ])
      assert.equal(running.doc.state, 'running')
    })
  })
  it("schema register, list, get, check and delete, against the suite's registry", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-contract-schema-'))
    const file = path.join(dir, 'order.avsc')
    fs.writeFileSync(file, JSON.stringify({type: 'record', name: 'Order', fields: [{name: 'id', type: 'long'}]}))
    const subject = uniqueName('contract-value')
    const env = {KCLI_REGISTRY_URL: registryUrl}
    const {doc: registered} = await json<{id: number}>(
      'schema-register.schema.json',
      ['schema', 'register', subject, file, '--json'],
      {env},
    )
    await json('schema-list.schema.json', ['schema', 'list', '--json'], {env})
    await json('schema-get.schema.json', ['schema', 'get', subject, '--json'], {env})
    await json('schema-get.schema.json', ['schema', 'get', '--id', String(registered.id), '--json'], {env})
    await json('schema-check.schema.json', ['schema', 'check', subject, file, '--json'], {env})
    await json('schema-delete.schema.json', ['schema', 'delete', subject, '--yes', '--json'], {env})
  })
  it('perf produce, consume and e2e', async () => {
    const topic = await createTopic(uniqueName('contract-perf'))
    await json('perf-report.schema.json', ['perf', 'produce', '-t', topic, '--count', '200', '--size', '50', '--json'])
    await json('perf-report.schema.json', ['perf', 'consume', '-t', topic, '--json'])
    await json('perf-report.schema.json', ['perf', 'e2e', '-t', topic, '--rate', '200', '--count', '100', '--json'])
  })
})
