// `kcli produce` against the real broker: what arrives is read back with `kcli consume`.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {bin, brokers, cleanEnv, createTopic, kcli, lines, uniqueName} from '../helpers.js'

interface Line {
  partition: number
  offset: number
  key: unknown
  value: unknown
  headers: Array<{key: string; value: string}>
}

async function readBack(topic: string, extra: string[] = []): Promise<Line[]> {
  const result = await kcli(['consume', '-t', topic, '--from-beginning', '-e', ...extra])
  assert.equal(result.code, 0, result.stderr)
  return lines(result.out).map((l) => JSON.parse(l) as Line)
}

function rawValues(stdout: string): string[] {
  // The value's exact source text inside each consumed line.
  return lines(stdout).map((l) => {
    const start = l.indexOf('"value":') + 8
    return l.slice(start, l.lastIndexOf(',"headers":'))
  })
}

describe('produce', () => {
  it('sends each JSON line byte for byte and reports on stderr only', async () => {
    const topic = await createTopic(uniqueName('p-json'))
    const input = ['{"id": 12345678901234567890,  "b" : [1.50, "x"]}', '', '[1,2 ,3]', '"a string"', '42'].join('\r\n') + '\r\n'
    const result = await kcli(['produce', '-t', topic], {input: '\uFEFF' + input})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.out, '', 'nothing on stdout')
    assert.match(result.stderr, /^4 delivered, 1 blank skipped to p-json-\S+ in /m)
    const consumed = await kcli(['consume', '-t', topic, '--from-beginning', '-e'])
    assert.deepEqual(rawValues(consumed.out), ['{"id": 12345678901234567890,  "b" : [1.50, "x"]}', '[1,2 ,3]', '"\\"a string\\""', '"42"'])
  })

  it('stops at the first invalid line with exit 2, delivering what came before', async () => {
    const topic = await createTopic(uniqueName('p-invalid'))
    const result = await kcli(['produce', '-t', topic], {input: '{"ok":1}\n{"ok":2}\n{"broken":\n{"ok":3}\n'})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^kcli: line 3: the value is not valid JSON/m)
    assert.match(result.stderr, /2 delivered, 1 invalid/)
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
    assert.equal((await readBack(topic)).length, 2)
  })

  it('skips invalid lines or writes them to a dead-letter file', async () => {
    const topic = await createTopic(uniqueName('p-skip'))
    const skip = await kcli(['produce', '-t', topic, '--on-invalid', 'skip'], {input: 'x\n{"a":1}\ny\n'})
    assert.equal(skip.code, 0, 'deliberately skipped lines do not fail the run')
    assert.match(skip.stderr, /1 delivered, 2 invalid/)
    const deadLetter = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-dl-')), 'bad.jsonl')
    const dl = await kcli(['produce', '-t', topic, '--dead-letter', deadLetter], {input: '{"a":2}\nnope\n'})
    assert.equal(dl.code, 0, dl.stderr)
    const bad = lines(fs.readFileSync(deadLetter, 'utf8')).map((l) => JSON.parse(l))
    assert.equal(bad.length, 1)
    assert.equal(bad[0].line, 2)
    assert.equal(bad[0].input, 'nope')
    assert.match(bad[0].reason, /not valid JSON/)
    assert.equal((await readBack(topic)).length, 2)
  })

  it('validates without sending under --dry-run', async () => {
    const result = await kcli(['produce', '-t', 'never-created', '--dry-run', '-b', 'localhost:1'], {input: '{"a":1}\n{"b":2}\n'})
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /2 valid, 0 invalid/)
    const bad = await kcli(['produce', '-t', 'never-created', '--dry-run'], {input: '{"a":1}\n{\n'})
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /line 2:/)
  })

  it('reads files given as arguments, naming the file in errors', async () => {
    const topic = await createTopic(uniqueName('p-files'))
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-files-'))
    fs.writeFileSync(path.join(dir, 'a.jsonl'), '{"f":"a"}\n')
    fs.writeFileSync(path.join(dir, 'b.jsonl'), '{"f":"b"}\n{"f":\n')
    const ok = await kcli(['produce', '-t', topic, path.join(dir, 'a.jsonl'), '-'], {input: '{"f":"stdin"}\n'})
    assert.equal(ok.code, 0, ok.stderr)
    const bad = await kcli(['produce', '-t', topic, path.join(dir, 'b.jsonl')])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /b\.jsonl line 2: /)
    const missing = await kcli(['produce', '-t', topic, path.join(dir, 'missing.jsonl')])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /missing\.jsonl: no such file/)
    assert.deepEqual(
      (await readBack(topic)).map((l) => (l.value as {f: string}).f),
      ['a', 'stdin', 'b'],
    )
  })

  it('sets keys, headers and partitions, and makes tombstones', async () => {
    const topic = await createTopic(uniqueName('p-keys'), 3)
    const keyed = await kcli(['produce', '-t', topic, '--key-field', 'user.id', '-H', 'src=test', '-H', 'trace:a=b'], {input: '{"user":{"id":"u1"}}\n'})
    assert.equal(keyed.code, 0, keyed.stderr)
    const split = await kcli(['produce', '-t', topic, '-K', '|', '-p', '2', '-Z'], {input: 'k2|{"n":2}\n\n'})
    assert.equal(split.code, 0, split.stderr)
    const result = await readBack(topic)
    const first = result.find((l) => l.key === 'u1')
    assert.deepEqual(first?.headers, [
      {key: 'src', value: 'test'},
      {key: 'trace', value: 'a=b'},
    ])
    const second = result.find((l) => l.key === 'k2')
    assert.equal(second?.partition, 2)
    const tombstone = result.find((l) => l.value === null)
    assert.equal(tombstone?.partition, 2)
    const badPartition = await kcli(['produce', '-t', topic, '-p', '7'], {input: '{}\n'})
    assert.equal(badPartition.code, 2)
    assert.match(badPartition.stderr, /partition 7 does not exist/)
  })

  it('puts keyed messages on the partition the Java client would choose', async () => {
    const lib = process.env.KCLI_TEST_KAFKA_LIB
    assert.ok(lib, 'KCLI_TEST_KAFKA_LIB names the Kafka jars (set by test/run.ts)')
    const javaTopic = await createTopic(uniqueName('p-java'), 7)
    const kcliTopic = await createTopic(uniqueName('p-kcli'), 7)
    const keys = Array.from({length: 30}, (_, i) => `key-${i * 7919}`)
    const input = keys.map((k) => `${k}\t{"k":"${k}"}`).join('\n') + '\n'
    const java = spawnSync(
      'java',
      ['-cp', `${lib}/*`, 'org.apache.kafka.tools.ConsoleProducer', '--bootstrap-server', brokers, '--topic', javaTopic, '--property', 'parse.key=true', '--property', 'key.separator=\t'],
      {input, encoding: 'utf8'},
    )
    assert.equal(java.status, 0, java.stderr)
    const ours = await kcli(['produce', '-t', kcliTopic, '-K', '\t'], {input})
    assert.equal(ours.code, 0, ours.stderr)
    const placement = async (topic: string) => Object.fromEntries((await readBack(topic)).map((l) => [l.key, l.partition]))
    const expected = await placement(javaTopic)
    assert.equal(Object.keys(expected).length, keys.length)
    assert.deepEqual(await placement(kcliTopic), expected)
  })

  it('counts messages the broker refuses and exits 1', async () => {
    const topic = await createTopic(uniqueName('p-large'), 1, {'max.message.bytes': '2000'})
    assert.equal((await kcli(['produce', '-t', topic], {input: '{"small":1}\n'})).code, 0)
    // The broker refuses whole batches: the two large messages go in a run of their own.
    const big = JSON.stringify({pad: 'x'.repeat(5000)})
    const result = await kcli(['produce', '-t', topic], {input: `${big}\n${big}\n`})
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /0 delivered, 2 failed/)
    assert.match(result.stderr, /2 messages too large for the broker \(message\.max\.bytes/)
    assert.equal((await readBack(topic)).length, 1)
  })

  it('names a topic that does not exist, and refuses contradictory settings', async () => {
    const missing = await kcli(['produce', '-t', uniqueName('p-missing')], {input: '{}\n'})
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /^kcli: topic "p-missing-\S+" does not exist$/m)
    const contradiction = await kcli(['produce', '-t', 'any', '--acks', '1', '--idempotence'], {input: '{}\n'})
    assert.equal(contradiction.code, 2)
    assert.match(contradiction.stderr, /idempotence needs --acks all/)
  })

  it('fails fast with exit 3 when no broker answers', async () => {
    const started = Date.now()
    const result = await kcli(['produce', '-t', 'x', '-b', 'localhost:1', '--timeout', '2s'], {input: '{}\n'})
    assert.equal(result.code, 3)
    assert.match(result.stderr, /^kcli: cannot reach Kafka at localhost:1 within 2s/m)
    assert.ok(Date.now() - started < 8000, 'within the timeout')
  })

  it('prints offsets of delivered messages on request', async () => {
    const topic = await createTopic(uniqueName('p-offsets'))
    const result = await kcli(['produce', '-t', topic, '--print-offsets', '-q'], {input: '{"a":1}\n{"a":2}\n'})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stderr, '')
    assert.deepEqual(
      lines(result.out).map((l) => JSON.parse(l)),
      [
        {line: 1, topic, partition: 0, offset: 0},
        {line: 2, topic, partition: 0, offset: 1},
      ],
    )
  })

  it('commits a transaction at the end, and aborts it on invalid input', async () => {
    const topic = await createTopic(uniqueName('p-tx'))
    const ok = await kcli(['produce', '-t', topic, '--transactional-id', uniqueName('tx')], {input: '{"a":1}\n{"a":2}\n'})
    assert.equal(ok.code, 0, ok.stderr)
    const bad = await kcli(['produce', '-t', topic, '--transactional-id', uniqueName('tx')], {input: '{"a":3}\nbroken\n'})
    assert.equal(bad.code, 2)
    const committed = await readBack(topic, ['-X', 'isolation.level=read_committed'])
    assert.deepEqual(
      committed.map((l) => (l.value as {a: number}).a),
      [1, 2],
    )
  })

  it('stops reading on SIGINT, settles what was sent, and exits 130', async () => {
    const topic = await createTopic(uniqueName('p-sigint'))
    const result = await kcli(['produce', '-t', topic], {
      onSpawn(child) {
        // Keep stdin open: the run only ends through the signal.
        for (let i = 0; i < 50; i++) child.stdin?.write(`{"i":${i}}\n`)
        setTimeout(() => child.kill('SIGINT'), 1500)
      },
      input: undefined,
      timeoutMs: 20_000,
      keepStdinOpen: true,
    })
    assert.equal(result.code, 130, result.stderr)
    const match = /(\d+) delivered/.exec(result.stderr)
    assert.ok(match, result.stderr)
    assert.equal(Number(match[1]), 50)
    assert.equal((await readBack(topic)).length, 50)
  })
})

describe('produce --schema', () => {
  it('checks each value against a JSON Schema, naming the line and the path', async () => {
    const topic = await createTopic(uniqueName('p-schema'))
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-schema-'))
    const schema = path.join(dir, 'order.schema.json')
    fs.writeFileSync(schema, JSON.stringify({type: 'object', required: ['id'], properties: {id: {type: 'integer'}, amount: {type: 'number'}}}))
    const good = await kcli(['produce', '-t', topic, '--schema', schema], {input: '{"id":1,"amount":2.5}\n{"id":2}\n'})
    assert.equal(good.code, 0, good.stderr)
    const bad = await kcli(['produce', '-t', topic, '--schema', schema, '--dry-run'], {input: '{"id":3}\n{"id":4,"amount":"lots"}\n'})
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /^kcli: line 2: the value does not match the schema at \/amount: must be number$/m)
    const envelope = await kcli(['produce', '-t', topic, '--schema', schema, '--input', 'envelope'], {input: '{"key":"k","value":{"amount":1}}\n'})
    assert.equal(envelope.code, 2)
    assert.match(envelope.stderr, /line 1: the value does not match the schema at \/: must have required property 'id'/)
    const missing = await kcli(['produce', '-t', topic, '--schema', path.join(dir, 'nope.json')], {input: '{}\n'})
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /--schema \S+nope\.json: cannot be read/)
    assert.equal((await readBack(topic)).length, 2)
  })

  it('takes the topic from KCLI_TOPIC', async () => {
    const topic = await createTopic(uniqueName('p-envtopic'))
    const result = await kcli(['produce'], {input: '{"a":1}\n', env: {KCLI_TOPIC: topic}})
    assert.equal(result.code, 0, result.stderr)
    assert.equal((await readBack(topic)).length, 1)
    const none = await kcli(['produce'], {input: '{}\n'})
    assert.equal(none.code, 2)
    assert.match(none.stderr, /^kcli: no topic given$/m)
  })
})

describe('produce: interrupts and terminals', () => {
  it('aborts the transaction when interrupted', async () => {
    const topic = await createTopic(uniqueName('p-tx-int'))
    const result = await kcli(['produce', '-t', topic, '--transactional-id', uniqueName('tx')], {
      keepStdinOpen: true,
      timeoutMs: 30_000,
      onSpawn(child) {
        child.stdin?.write('{"a":1}\n{"a":2}\n')
        setTimeout(() => child.kill('SIGINT'), 2500)
      },
    })
    assert.equal(result.code, 130, result.stderr)
    const committed = await kcli(['consume', '-t', topic, '--from-beginning', '-e', '-X', 'isolation.level=read_committed'])
    assert.equal(committed.out, '', 'a read_committed consumer sees nothing of an aborted run')
  })

  it('shows progress on a terminal and still ends with the summary', async () => {
    const topic = await createTopic(uniqueName('p-tty'))
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-tty-'))
    const file = path.join(dir, 'in.jsonl')
    fs.writeFileSync(file, '{"a":1}\n{"a":2}\n')
    for (const size of ['stty cols 100 rows 30; ', '']) {
      const tty = spawnSync('script', ['-qec', `${size}"${process.execPath}" "${bin}" produce -t ${topic} ${file}`, '/dev/null'], {
        env: cleanEnv({NO_COLOR: '1'}),
        encoding: 'utf8',
        timeout: 30_000,
      })
      assert.equal(tty.status, 0, tty.stdout)
      assert.match(tty.stdout, /2 delivered to p-tty-/)
    }
    assert.equal((await readBack(topic)).length, 4)
  })
})
