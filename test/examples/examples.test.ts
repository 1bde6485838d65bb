// Every recipe in examples/ runs here against the suite's broker, as a user would run it (bash, kcli on the PATH, jq),
// so none can rot: a change that breaks one fails the suite.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {cleanEnv, commitOffsets, createTopic, kcli, kcliOnPath, lines, root, uniqueName} from '../helpers.js'

const examples = path.join(root, 'examples')
const binDir = kcliOnPath()
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-examples-'))
const tested = new Set<string>()

interface Run {
  code: number | null
  out: string
  err: string
}

/** Runs examples/<script> with bash, kcli on the PATH and the suite's broker in KCLI_BROKERS. */
function example(script: string, args: string[], options: {input?: string; env?: Record<string, string>} = {}): Run {
  tested.add(script)
  const result = spawnSync('bash', [path.join(examples, script), ...args], {
    cwd: work,
    env: cleanEnv({PATH: `${binDir}:${process.env.PATH}`, NO_COLOR: '1', ...options.env}),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  })
  return {code: result.status, out: result.stdout, err: result.stderr}
}

async function produce(topic: string, input: string, extra: string[] = []): Promise<void> {
  const result = await kcli(['produce', '-t', topic, ...extra], {input})
  assert.equal(result.code, 0, result.stderr)
}

async function envelopes(topic: string): Promise<Array<Record<string, unknown>>> {
  const result = await kcli(['consume', '-t', topic, '-e'])
  assert.equal(result.code, 0, result.stderr)
  return lines(result.out).map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe('examples/', () => {
  it('copy-topic.sh copies keys, values, headers, partitions and timestamps exactly', async () => {
    const source = await createTopic(uniqueName('ex-copy-src'), 3)
    const target = `${source}-copy`
    await produce(
      source,
      [
        '{"key":"a","value":{"n":12345678901234567890},"headers":[{"key":"h","value":"1"}],"partition":2,"timestamp":1700000000000}',
        '{"key":null,"value":"AP8=","valueEncoding":"base64","partition":0}',
        '{"key":"gone","value":null,"partition":1}',
      ].join('\n') + '\n',
      ['--input', 'envelope'],
    )
    const run = example('copy-topic.sh', [source, target])
    assert.equal(run.code, 0, run.err)
    const strip = ({topic: _t, offset: _o, ...rest}: Record<string, unknown>) => JSON.stringify(rest)
    assert.deepEqual((await envelopes(target)).map(strip).sort(), (await envelopes(source)).map(strip).sort())
  })

  it('move-group-to-time.sh shows the plan, then moves the group', async () => {
    const topic = await createTopic(uniqueName('ex-move'))
    const group = `${topic}-g`
    await produce(topic, '{"old":1}\n{"old":2}\n')
    await new Promise((resolve) => setTimeout(resolve, 50))
    const time = new Date().toISOString()
    await new Promise((resolve) => setTimeout(resolve, 50))
    await produce(topic, '{"new":1}\n')
    await commitOffsets(group, [{topic, partition: 0, offset: 3}])
    const refused = example('move-group-to-time.sh', [group, time], {input: 'n\n'})
    assert.equal(refused.code, 1)
    assert.match(refused.out, new RegExp(`^${topic}\\s+0\\s+3\\s+2\\s`, 'm'), 'the plan: from 3 to 2')
    const moved = example('move-group-to-time.sh', [group, time, '--yes'])
    assert.equal(moved.code, 0, moved.err)
    const after = await kcli(['group', 'describe', group, '--json'])
    const report = JSON.parse(after.out) as {groups: Array<{partitions: Array<{committed: number}>}>}
    assert.equal(report.groups[0].partitions[0].committed, 2)
  })

  it('filter-rekey.sh keeps the large orders, keyed by customer', async () => {
    const source = await createTopic(uniqueName('ex-filter'))
    const target = await createTopic(`${source}-big`)
    await produce(
      source,
      '{"customer":"ada","amount":1500}\n{"customer":"alan","amount":20}\n{"customer":"grace","amount":1001}\n',
    )
    const run = example('filter-rekey.sh', [source, target, '1000'])
    assert.equal(run.code, 0, run.err)
    assert.deepEqual(
      (await envelopes(target)).map((e) => [e.key, e.value]),
      [
        ['ada', {customer: 'ada', amount: 1500}],
        ['grace', {customer: 'grace', amount: 1001}],
      ],
    )
  })

  it('replay-dead-letter.sh sends the fixed lines, and keeps what still fails', async () => {
    const topic = await createTopic(uniqueName('ex-replay'))
    const dead = path.join(work, `${topic}.dead.jsonl`)
    const first = await kcli(['produce', '-t', topic, '--dead-letter', dead], {
      input: '{"id":1}\n{"id":2,}\n{"id":3,}\nnot json at all\n',
    })
    assert.equal(first.code, 0, first.stderr)
    assert.equal(lines(fs.readFileSync(dead, 'utf8')).length, 3)
    const run = example('replay-dead-letter.sh', [topic, dead], {env: {FIX: "sed 's/,}/}/'"}})
    assert.equal(run.code, 0, run.err)
    assert.match(run.err, /2 delivered, 1 invalid/)
    assert.deepEqual(
      (await envelopes(topic)).map((e) => e.value),
      [{id: 1}, {id: 2}, {id: 3}],
    )
    const still = lines(fs.readFileSync(`${dead}.retry`, 'utf8')).map((l) => JSON.parse(l) as {input: string})
    assert.deepEqual(
      still.map((s) => s.input),
      ['not json at all'],
    )
  })

  it('produce-with-schema.sh checks the whole file first: nothing is sent when a line does not match', async () => {
    const topic = await createTopic(uniqueName('ex-schema'))
    const schema = path.join(examples, 'order.schema.json')
    const good = path.join(work, `${topic}-good.jsonl`)
    fs.writeFileSync(good, '{"id":1,"customer":"ada","amount":12.5}\n{"id":2,"customer":"alan","amount":3}\n')
    const bad = path.join(work, `${topic}-bad.jsonl`)
    fs.writeFileSync(bad, '{"id":3,"customer":"x","amount":1}\n{"id":4,"customer":"y","amount":"lots"}\n')
    const refused = example('produce-with-schema.sh', [topic, schema, bad])
    assert.equal(refused.code, 2)
    assert.match(refused.err, /line 2: the value does not match the schema at \/amount: must be number/)
    assert.deepEqual(await envelopes(topic), [], 'the dry run stopped it before anything was sent')
    const sent = example('produce-with-schema.sh', [topic, schema, good])
    assert.equal(sent.code, 0, sent.err)
    assert.equal((await envelopes(topic)).length, 2)
  })

  it('transactional-load.sh loads all of a file, or none of it', async () => {
    const topic = await createTopic(uniqueName('ex-tx'), 2)
    const file = path.join(work, `${topic}.jsonl`)
    fs.writeFileSync(file, Array.from({length: 100}, (_, i) => `{"i":${i}}`).join('\n') + '\n')
    const loaded = example('transactional-load.sh', [topic, file])
    assert.equal(loaded.code, 0, loaded.err)
    assert.equal((await envelopes(topic)).length, 100)
    fs.appendFileSync(file, 'broken\n')
    const aborted = example('transactional-load.sh', [topic, file])
    assert.equal(aborted.code, 2)
    assert.equal((await envelopes(topic)).length, 100, 'a read_committed reader sees nothing of the aborted load')
  })

  it('tail-topic.sh prints the last messages of each partition with a format string', async () => {
    const topic = await createTopic(uniqueName('ex-tail'))
    await produce(topic, Array.from({length: 15}, (_, i) => `{"i":${i}}`).join('\n') + '\n', ['-k', 'k'])
    const run = example('tail-topic.sh', [topic, '-e'])
    assert.equal(run.code, 0, run.err)
    const printed = lines(run.out)
    assert.equal(printed.length, 10)
    assert.match(printed[0], /^0:5\t\d{13}\tk\t\{"i":5\}$/)
  })

  it('health-check.sh is silent while healthy, and says what is wrong otherwise', async () => {
    const topic = await createTopic(uniqueName('ex-health'))
    const healthy = example('health-check.sh', [topic])
    assert.equal(healthy.code, 0, healthy.err)
    assert.equal(healthy.out + healthy.err, '')
    const degraded = example('health-check.sh', [topic, `${topic}-missing`])
    assert.equal(degraded.code, 1)
    assert.match(degraded.err, /^kafka degraded: .*missing/m)
    const down = example('health-check.sh', [], {env: {KCLI_BROKERS: '127.0.0.1:1', KCLI_TIMEOUT: '1'}})
    assert.equal(down.code, 3)
    assert.match(down.err, /^kafka unreachable: /m)
  })

  it('every example has a comment header and is run above', () => {
    for (const file of fs.readdirSync(examples).filter((f) => f.endsWith('.sh'))) {
      const text = fs.readFileSync(path.join(examples, file), 'utf8')
      // What it does, then how to run it.
      assert.match(text, /^#!\/usr\/bin\/env bash\n# \S.*\n(#.*\n)*#\n/, `${file}: a comment header`)
      assert.ok(text.includes(`examples/${file}`), `${file}: how to run it`)
      assert.ok(tested.has(file), `${file} is not run by this test`)
    }
  })
})
