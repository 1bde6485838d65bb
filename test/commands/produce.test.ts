// `kcli produce` against the real broker: what arrives is read back with `kcli consume`.
import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {
  bin,
  brokers,
  cleanEnv,
  createTopic,
  disconnect,
  kcli,
  libraryConsumer,
  lines,
  uniqueName,
  waitForStored,
} from '../helpers.js'
import {fifo} from '../pipes.js'

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
    const input =
      ['{"id": 12345678901234567890,  "b" : [1.50, "x"]}', '', '[1,2 ,3]', '"a string"', '42'].join('\r\n') + '\r\n'
    const result = await kcli(['produce', '-t', topic], {input: '\uFEFF' + input})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.out, '', 'nothing on stdout')
    assert.match(result.stderr, /^4 delivered, 1 blank skipped to p-json-\S+ in /m)
    const consumed = await kcli(['consume', '-t', topic, '--from-beginning', '-e'])
    assert.deepEqual(rawValues(consumed.out), [
      '{"id": 12345678901234567890,  "b" : [1.50, "x"]}',
      '[1,2 ,3]',
      '"\\"a string\\""',
      '"42"',
    ])
  })

  it('stops at the first invalid line with exit 2, delivering what came before', async () => {
    const topic = await createTopic(uniqueName('p-invalid'))
    const result = await kcli(['produce', '-t', topic], {input: '{"ok":1}\n{"ok":2}\n{"broken":\n{"ok":3}\n'})
    assert.equal(result.code, 2)
    assert.match(
      result.stderr,
      /^kcli: line 3: the value is not a whole JSON value: input must be one JSON value per line/m,
    )
    assert.match(result.stderr, /2 delivered, 1 invalid/)
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
    assert.equal((await readBack(topic)).length, 2)
    // -q silences a run that went well, never the account of one that stopped half way.
    const quiet = await kcli(['produce', '-t', topic, '-q'], {input: '{"ok":4}\nbroken\n'})
    assert.equal(quiet.code, 2)
    assert.match(quiet.stderr, /^1 delivered, 1 invalid to /m)
    assert.match(
      quiet.stderr,
      /^kcli: line 2: .*\n {2}hint: The message before it was delivered: sending the same input again sends it twice\.$/m,
    )
  })

  it('skips invalid lines or writes them to a dead-letter file', async () => {
    const topic = await createTopic(uniqueName('p-skip'))
    const skip = await kcli(['produce', '-t', topic, '--on-invalid', 'skip'], {input: 'x\n{"a":1}\ny\n'})
    assert.equal(skip.code, 0, 'deliberately skipped lines do not fail the run')
    assert.match(skip.stderr, /1 delivered, 2 invalid/)
    const deadLetter = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-dl-')), 'bad.jsonl')
    const dl = await kcli(['produce', '-t', topic, '--dead-letter', deadLetter], {
      input: Buffer.from('{"a":2}\nnope\n\xff\xfe{}\n', 'latin1'),
    })
    assert.equal(dl.code, 0, dl.stderr)
    const bad = lines(fs.readFileSync(deadLetter, 'utf8')).map((l) => JSON.parse(l))
    assert.equal(bad.length, 2)
    assert.equal(bad[0].line, 2)
    assert.equal(bad[0].input, 'nope')
    assert.equal(bad[0].inputEncoding, undefined)
    assert.match(bad[0].reason, /not valid JSON/)
    assert.equal(bad[1].inputEncoding, 'base64', 'bytes that are not UTF-8 are kept exactly')
    assert.deepEqual(Buffer.from(bad[1].input, 'base64'), Buffer.from([0xff, 0xfe, 0x7b, 0x7d]))
    assert.equal((await readBack(topic)).length, 2)
    const full = await kcli(['produce', '-t', topic, '--dead-letter', '/dev/full', '-q'], {input: '{"a":3}\nnope\n'})
    assert.equal(full.code, 1)
    assert.match(
      full.stderr,
      /^1 delivered, 1 invalid to \S+ in .*\n {2}line 2: .*\nkcli: the dead-letter file cannot be written \(ENOSPC\)$/m,
    )
  })

  it('lists every invalid line with its number under --dry-run and --on-invalid skip, up to 20 and a count', async () => {
    const input = Array.from({length: 30}, (_, i) => (i % 2 === 0 ? `{"i":${i}}` : `bad ${i}`)).join('\n') + '\n'
    const dry = await kcli(['produce', '-t', 'never-created', '--dry-run'], {input})
    assert.equal(dry.code, 2)
    assert.match(dry.stderr, /^15 valid, 15 invalid, 0 blank skipped \(dry run: nothing sent\)$/m)
    const listed = dry.stderr.split('\n').filter((l) => /^ {2}line \d+: /.test(l))
    assert.equal(listed.length, 15)
    assert.match(listed[0], /^ {2}line 2: the value is not valid JSON/)
    assert.match(dry.stderr, /^kcli: line 2: /m)

    const topic = await createTopic(uniqueName('p-list'))
    const many = Array.from({length: 50}, (_, i) => (i < 25 ? `bad ${i}` : `{"i":${i}}`)).join('\n') + '\n'
    const skip = await kcli(['produce', '-t', topic, '--on-invalid', 'skip'], {input: many})
    assert.equal(skip.code, 0, skip.stderr)
    assert.match(skip.stderr, /^25 delivered, 25 invalid/m)
    assert.equal(skip.stderr.split('\n').filter((l) => /^ {2}line \d+: /.test(l)).length, 20)
    assert.match(skip.stderr, /^ {2}line 20: .*\n {2}and 5 more$/m)

    // Every listed line quotes its input: escape sequences in it arrive escaped, never as raw bytes.
    const hostile = '{"ok":1}\n\u001b]0;owned\u0007 {\n{"x":\u009b31m}\n'
    const escaped = await kcli(['produce', '-t', 'never-created', '--dry-run'], {input: hostile})
    assert.equal(escaped.code, 2)
    assert.equal(escaped.stderr.split('\n').filter((l) => /^ {2}line [23]: /.test(l)).length, 2, escaped.stderr)
    assert.doesNotMatch(escaped.stderr, /[\u001b\u0007\u009b]/)
  })

  it('understands -K escapes, as kcat users type them', async () => {
    const topic = await createTopic(uniqueName('p-tab'))
    const result = await kcli(['produce', '-t', topic, '-K', '\\t'], {input: 'k1\t{"n":1}\n'})
    assert.equal(result.code, 0, result.stderr)
    const [line] = await readBack(topic)
    assert.deepEqual([line.key, line.value], ['k1', {n: 1}])
  })

  it('says "did you mean -t orders?" when a file argument is the name of a topic', async () => {
    const topic = await createTopic(uniqueName('p-arg'))
    const noTopic = await kcli(['produce', topic], {input: '{}\n'})
    assert.equal(noTopic.code, 2)
    assert.match(noTopic.stderr, new RegExp(`^kcli: no topic given, and there is no file ${topic}$`, 'm'))
    assert.match(noTopic.stderr, new RegExp(`hint: Did you mean -t ${topic}\\?`))
    const withTopic = await kcli(['produce', topic], {input: '{}\n', env: {KCLI_TOPIC: topic}})
    assert.equal(withTopic.code, 2)
    assert.match(
      withTopic.stderr,
      new RegExp(`^kcli: ${topic}: no such file\\n {2}hint: Did you mean -t ${topic}\\?`, 'm'),
    )
    const neither = await kcli(['produce', `${topic}-nope`], {input: '{}\n'})
    assert.match(neither.stderr, /^kcli: no topic given\n {2}hint: Use --topic/m)
  })

  it('validates without sending under --dry-run', async () => {
    const result = await kcli(['produce', '-t', 'never-created', '--dry-run', '-b', 'localhost:1'], {
      input: '{"a":1}\n{"b":2}\n',
    })
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
    // Every file is checked before anything is sent: a.jsonl is not delivered when a later one is missing.
    const missing = await kcli(['produce', '-t', topic, path.join(dir, 'a.jsonl'), path.join(dir, 'missing.jsonl')])
    assert.equal(missing.code, 2)
    assert.equal(missing.stderr, `kcli: ${path.join(dir, 'missing.jsonl')}: no such file\n`)
    const directory = await kcli(['produce', '-t', topic, path.join(dir, 'a.jsonl'), dir])
    assert.equal(directory.code, 2)
    assert.equal(directory.stderr, `kcli: ${dir}: is a directory, not a file\n`)
    assert.deepEqual(
      (await readBack(topic)).map((l) => (l.value as {f: string}).f),
      ['a', 'stdin', 'b'],
    )
    // A file that fails while being read (reading /proc/self/mem at 0 gives EIO): what was delivered is said first.
    const unreadable = await kcli(['produce', '-t', topic, path.join(dir, 'a.jsonl'), '/proc/self/mem'])
    assert.equal(unreadable.code, 1)
    assert.match(unreadable.stderr, /^1 delivered to \S+ in .*\nkcli: \/proc\/self\/mem: reading failed \(EIO\)\n$/)
    assert.equal((await readBack(topic)).length, 4)
  })

  it('gives a rate only for a run of a second or more: over a shorter one it would measure start-up', async () => {
    const topic = await createTopic(uniqueName('p-rate'))
    const quick = await kcli(['produce', '-t', topic], {input: '{"n":1}\n'})
    assert.equal(quick.code, 0, quick.stderr)
    assert.match(quick.stderr, /^1 delivered to \S+ in \d+\.\d\ds\n$/)
    // The run is timed from when kcli starts on its input, after Node's start: its last line comes 1.2 s after the
    // first one is in the topic.
    const reader = await libraryConsumer(uniqueName('p-rate-check'))
    const slow = await kcli(['produce', '-t', topic], {
      keepStdinOpen: true,
      onSpawn: (child) => {
        child.stdin!.write('{"n":2}\n')
        void (async () => {
          try {
            await waitForStored(reader, topic, 2)
            await new Promise((resolve) => setTimeout(resolve, 1200))
          } finally {
            await disconnect(reader)
            child.stdin!.end('{"n":3}\n')
          }
        })()
      },
    })
    assert.equal(slow.code, 0, slow.stderr)
    assert.match(slow.stderr, /^2 delivered to \S+ in \d+\.\d\ds \([\d.]+ msg\/s\)\n$/)
    assert.equal((await readBack(topic)).length, 3)
  })

  it('says how to keep compressed messages the broker refuses from stalling an idempotent producer', async () => {
    const topic = await createTopic(uniqueName('p-stall'), 1, {'max.message.bytes': '200'})
    // Random hex stays over 200 bytes when compressed, so only the broker can refuse it.
    const input = Array.from({length: 40}, (_, i) =>
      JSON.stringify(i % 10 === 5 ? {id: i, pad: randomBytes(300).toString('hex')} : {id: i}),
    ).join('\n')
    const hint = /--no-idempotence avoids that/
    const idempotent = await kcli(['produce', '-t', topic, '--compression', 'gzip', '--linger-ms', '0'], {input})
    assert.equal(idempotent.code, 1, idempotent.stderr)
    assert.match(idempotent.stderr, /^ {2}4 messages too large for the broker/m)
    assert.match(idempotent.stderr, hint)
    const plain = await kcli(['produce', '-t', topic, '--compression', 'gzip', '--no-idempotence'], {input})
    assert.equal(plain.code, 1, plain.stderr)
    assert.match(plain.stderr, /^36 delivered, 4 failed/)
    assert.doesNotMatch(plain.stderr, hint)
    // Delivered is what the topic holds; the idempotent run may also have timed some out, but never lost count.
    const idempotentDelivered = Number(/^(\d+) delivered/.exec(idempotent.stderr)?.[1])
    assert.equal((await readBack(topic)).length, idempotentDelivered + 36)
  })

  it('sets keys, headers and partitions, and makes tombstones', async () => {
    const topic = await createTopic(uniqueName('p-keys'), 3)
    const keyed = await kcli(['produce', '-t', topic, '--key-field', 'user.id', '-H', 'src=test', '-H', 'trace:a=b'], {
      input: '{"user":{"id":"u1"}}\n{"user":{"id":null}}\n',
    })
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
    const nullKey = result.find((l) => JSON.stringify(l.value) === '{"user":{"id":null}}')
    assert.equal(nullKey?.key, null, 'a JSON null field is no key, not the text "null"')
    // -p is checked once, before anything is sent, and is a usage error rather than invalid lines.
    const badPartition = await kcli(['produce', '-t', topic, '-p', '7', '--on-invalid', 'skip'], {input: '{}\n{}\n'})
    assert.equal(badPartition.code, 2)
    assert.equal(badPartition.stderr, `kcli: --partition 7: topic ${topic} has partitions 0-2\n`)
    assert.equal((await readBack(topic)).length, 4)
  })

  it('copies a topic into one with fewer partitions with -p, which wins over the envelope partition', async () => {
    const source = await createTopic(uniqueName('p-copy-src'), 3)
    const target = await createTopic(uniqueName('p-copy-dst'), 1)
    assert.equal((await kcli(['produce', '-t', source, '-p', '2', '-k', 'k'], {input: '{"n":1}\n{"n":2}\n'})).code, 0)
    const envelopes = await kcli(['consume', '-t', source, '--from-beginning', '-e'])
    assert.match(envelopes.out, /"partition":2/)
    const copy = await kcli(['produce', '-t', target, '--input', 'envelope', '-p', '0'], {input: envelopes.out})
    assert.equal(copy.code, 0, copy.stderr)
    assert.deepEqual(
      (await readBack(target)).map((l) => [l.partition, l.key, l.value]),
      [
        [0, 'k', {n: 1}],
        [0, 'k', {n: 2}],
      ],
    )
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
      [
        '-cp',
        `${lib}/*`,
        'org.apache.kafka.tools.ConsoleProducer',
        '--bootstrap-server',
        brokers,
        '--topic',
        javaTopic,
        '--property',
        'parse.key=true',
        '--property',
        'key.separator=\t',
      ],
      {input, encoding: 'utf8'},
    )
    assert.equal(java.status, 0, java.stderr)
    const ours = await kcli(['produce', '-t', kcliTopic, '-K', '\t'], {input})
    assert.equal(ours.code, 0, ours.stderr)
    const placement = async (topic: string) =>
      Object.fromEntries((await readBack(topic)).map((l) => [l.key, l.partition]))
    const expected = await placement(javaTopic)
    assert.equal(Object.keys(expected).length, keys.length)
    assert.deepEqual(await placement(kcliTopic), expected)
  })

  it("refuses a line larger than the topic's max.message.bytes before sending it, so it takes no small line down", async () => {
    const topic = await createTopic(uniqueName('p-large'), 1, {'max.message.bytes': '400'})
    const big = JSON.stringify({pad: 'x'.repeat(400)})
    const input = `{"small":1}\n${big}\n{"small":2}\n`
    const failed = await kcli(['produce', '-t', topic], {input})
    assert.equal(failed.code, 2)
    assert.match(failed.stderr, /^1 delivered, 1 invalid/m)
    assert.match(
      failed.stderr,
      /^kcli: line 2: the message is 480 bytes as a record batch, more than the topic's max\.message\.bytes \(400\)$/m,
    )
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-large-'))
    const deadLetter = path.join(dir, 'dead.jsonl')
    const dl = await kcli(['produce', '-t', topic, '--dead-letter', deadLetter], {input})
    assert.equal(dl.code, 0, dl.stderr)
    assert.match(dl.stderr, /^2 delivered, 1 invalid/m)
    const dead = lines(fs.readFileSync(deadLetter, 'utf8')).map((l) => JSON.parse(l) as {line: number; input: string})
    assert.deepEqual(
      dead.map((d) => [d.line, d.input]),
      [[2, big]],
    )
    assert.deepEqual(
      (await readBack(topic)).map((l) => l.value),
      [{small: 1}, {small: 1}, {small: 2}],
    )
    // Many small lines still fit: batches are capped at what the topic takes.
    const many = Array.from({length: 300}, (_, i) => JSON.stringify({i, pad: 'y'.repeat(40)})).join('\n') + '\n'
    const small = await kcli(['produce', '-t', topic], {input: many})
    assert.equal(small.code, 0, small.stderr)
    assert.match(small.stderr, /^300 delivered/m)
  })

  it('counts messages the broker refuses, exits 1, and writes them to the dead-letter file with their lines', async () => {
    const topic = await createTopic(uniqueName('p-refused'), 1, {'max.message.bytes': '2000'})
    // Compressed, a message may fit, so only the broker can tell; random bytes do not shrink.
    const big = JSON.stringify({pad: randomBytes(5000).toString('base64')})
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-refused-'))
    const deadLetter = path.join(dir, 'dead.jsonl')
    const result = await kcli(['produce', '-t', topic, '--compression', 'gzip', '--dead-letter', deadLetter], {
      input: `{"small":1}\n${big}\n${big}\n`,
    })
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /1 delivered, 2 failed/)
    assert.match(result.stderr, /2 messages too large for the broker \(message\.max\.bytes/)
    const dead = lines(fs.readFileSync(deadLetter, 'utf8')).map(
      (l) => JSON.parse(l) as {line: number; reason: string; input: string},
    )
    assert.deepEqual(dead.map((d) => d.line).sort(), [2, 3])
    for (const d of dead) {
      assert.match(d.reason, /^not delivered: too large for the broker/)
      assert.equal(d.input, big)
    }
    assert.equal((await readBack(topic)).length, 1)
  })

  it('names a topic that does not exist, and refuses contradictory settings', async () => {
    const missing = await kcli(['produce', '-t', uniqueName('p-missing')], {input: '{}\n'})
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /^kcli: topic "p-missing-\S+" does not exist$/m)
    const contradiction = await kcli(['produce', '-t', 'any', '--acks', '1', '--idempotence'], {input: '{}\n'})
    assert.equal(contradiction.code, 2)
    assert.match(contradiction.stderr, /idempotence needs --acks all/)
    const dead = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-dl-')), 'dead.jsonl')
    const txDead = await kcli(['produce', '-t', 'any', '--transactional-id', 'x', '--dead-letter', dead], {
      input: '{}\n',
    })
    assert.equal(txDead.code, 2)
    assert.match(txDead.stderr, /^kcli: --dead-letter cannot be combined with --transactional-id/m)
    assert.equal(fs.existsSync(dead), false)
    // acks given as a property counts too, and is refused before connecting (no broker at localhost:1).
    const offline = ['produce', '-t', 'any', '-b', 'localhost:1']
    const property = await kcli([...offline, '-X', 'acks=1', '--idempotence'], {input: '{}\n'})
    assert.equal(property.code, 2)
    assert.match(
      property.stderr,
      /^kcli: idempotence needs --acks all, but -X acks=1 asks for fewer acknowledgements$/m,
    )
    const alias = await kcli([...offline, '--acks', 'all', '-X', 'request.required.acks=1'], {input: '{}\n'})
    assert.equal(alias.code, 2)
    assert.match(alias.stderr, /^kcli: --acks all contradicts -X request\.required\.acks=1$/m)
    const transactional = await kcli([...offline, '-X', 'acks=1', '--transactional-id', 'tx'], {input: '{}\n'})
    assert.equal(transactional.code, 2)
    assert.match(transactional.stderr, /^kcli: --transactional-id needs --acks all, but -X acks=1/m)
  })

  it('takes acks from -X acks, turning off the default idempotence', async () => {
    const topic = await createTopic(uniqueName('p-acks'))
    const result = await kcli(['produce', '-t', topic, '-X', 'acks=1'], {input: '{"a":1}\n'})
    assert.equal(result.code, 0, result.stderr)
    assert.equal((await readBack(topic)).length, 1)
  })

  it("asks for the topic's metadata once, when it connects, and so does consume (never for every topic)", async () => {
    const topic = await createTopic(uniqueName('p-metadata'), 2)
    // librdkafka's debug log names each metadata response and what it answered; "application requested" is kcli's
    // (connect's and the binding's calls), the rest librdkafka's own upkeep.
    const requests = (stderr: string) =>
      lines(stderr)
        .filter((l) => /Received metadata.*application requested/.test(l))
        .map((l) => /Received metadata( \(for \d+ requested topics\))?/.exec(l)![0])
    const produced = await kcli(['produce', '-t', topic, '-X', 'debug=metadata'], {input: '{"a":1}\n{"a":2}\n'})
    assert.equal(produced.code, 0, produced.stderr)
    assert.deepEqual(requests(produced.stderr), ['Received metadata (for 1 requested topics)'])
    assert.doesNotMatch(produced.stderr, /Request metadata for all topics/)
    const consumed = await kcli(['consume', '-t', topic, '--from-beginning', '-e', '-X', 'debug=metadata'])
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.equal(lines(consumed.out).length, 2)
    assert.deepEqual(requests(consumed.stderr), ['Received metadata (for 1 requested topics)'])
    assert.doesNotMatch(consumed.stderr, /Request metadata for all topics/)
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

  it('keeps delivering when the reader of --print-offsets goes away, and waits for a slow one', async () => {
    const topic = await createTopic(uniqueName('p-offsets-pipe'))
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-offsets-')), 'in.jsonl')
    // More offset lines than a pipe holds, so the writes meet a full pipe and then a closed one.
    fs.writeFileSync(file, Array.from({length: 20_000}, (_, i) => `{"i":${i}}`).join('\n') + '\n')
    const run = (reader: string) =>
      spawnSync(
        'bash',
        [
          '-c',
          `"${process.execPath}" "${bin}" produce -t ${topic} --print-offsets "${file}" | ${reader}; echo "exit=\${PIPESTATUS[0]}" >&2`,
        ],
        {
          env: cleanEnv(),
          encoding: 'utf8',
          timeout: 60_000,
        },
      )
    const closed = run('head -1')
    assert.deepEqual(JSON.parse(closed.stdout), {line: 1, topic, partition: 0, offset: 0})
    assert.match(closed.stderr, /exit=0$/m, closed.stderr)
    assert.equal(closed.stderr.match(/offsets are no longer printed/g)?.length, 1, closed.stderr)
    assert.match(closed.stderr, /^20000 delivered to /m)
    assert.doesNotMatch(closed.stderr, /EPIPE|\n\s+at /)
    const slow = run('(sleep 2; wc -l)')
    assert.equal(slow.stdout.trim(), '20000', slow.stderr)
    assert.match(slow.stderr, /exit=0$/m, slow.stderr)
    assert.doesNotMatch(slow.stderr, /EAGAIN|offsets are no longer printed/)
    assert.equal((await readBack(topic)).length, 40_000)
  })

  it('accounts for every line when a fenced transaction can be neither committed nor aborted', async () => {
    const topic = await createTopic(uniqueName('p-tx-fenced'))
    const txId = uniqueName('tx')
    let fence: Promise<void> | undefined
    const fenced = await kcli(['produce', '-t', topic, '--transactional-id', txId, '--print-offsets'], {
      keepStdinOpen: true,
      timeoutMs: 60_000,
      onSpawn(child) {
        child.stdin?.write('{"a":1}\n{"a":2}\n')
        fence = (async () => {
          // Once the two messages are in the log (uncommitted), a second producer with the same id fences the first.
          try {
            for (let i = 0; i < 60; i++) {
              const seen = await kcli([
                'consume',
                '-t',
                topic,
                '--from-beginning',
                '-e',
                '-X',
                'isolation.level=read_uncommitted',
              ])
              if (lines(seen.out).length >= 2) break
            }
            const second = await kcli(['produce', '-t', topic, '--transactional-id', txId], {input: '{"b":1}\n'})
            assert.equal(second.code, 0, second.stderr)
          } finally {
            child.stdin?.end()
          }
        })()
        // Awaited below, once the first run has ended; this only keeps an early failure from counting as unhandled.
        fence.catch(() => {})
      },
    })
    await fence
    assert.equal(fenced.code, 1, fenced.stderr)
    assert.equal(fenced.out, '', 'no offsets for messages that were never committed')
    assert.match(fenced.stderr, /^0 delivered, 2 failed to /m)
    assert.match(fenced.stderr, /^ {2}2 messages not committed: the transaction could not be completed \(.*fenced/m)
    assert.match(
      fenced.stderr,
      new RegExp(`^kcli: transaction ${txId} could not be completed, nothing of it was committed: .*fenced`, 'm'),
    )
    const committed = await readBack(topic, ['-X', 'isolation.level=read_committed'])
    assert.deepEqual(
      committed.map((l) => l.value),
      [{b: 1}],
    )
  })

  it('commits a transaction at the end, and aborts it on invalid input, printing offsets only of what was committed', async () => {
    const topic = await createTopic(uniqueName('p-tx'))
    const ok = await kcli(['produce', '-t', topic, '--transactional-id', uniqueName('tx'), '--print-offsets'], {
      input: '{"a":1}\n{"a":2}\n',
    })
    assert.equal(ok.code, 0, ok.stderr)
    assert.deepEqual(
      lines(ok.out).map((l) => JSON.parse(l)),
      [
        {line: 1, topic, partition: 0, offset: 0},
        {line: 2, topic, partition: 0, offset: 1},
      ],
    )
    const bad = await kcli(['produce', '-t', topic, '--transactional-id', uniqueName('tx'), '--print-offsets'], {
      input: '{"a":3}\nbroken\n',
    })
    assert.equal(bad.code, 2)
    assert.equal(bad.out, '', 'no offsets of rolled-back messages')
    assert.match(bad.stderr, /^0 delivered, 1 failed, 1 invalid to /m)
    assert.match(bad.stderr, /^ {2}1 message rolled back: the transaction was aborted$/m)
    assert.doesNotMatch(bad.stderr, /hint: .*delivered/, 'nothing before the bad line stays delivered')
    const committed = await readBack(topic, ['-X', 'isolation.level=read_committed'])
    assert.deepEqual(
      committed.map((l) => (l.value as {a: number}).a),
      [1, 2],
    )
  })

  // A shell's pipe (a FIFO) in blocking mode, as scripts give kcli its input: a read waiting on it must not keep the
  // process from exiting (kcli reads a non-blocking descriptor of the pipe: src/lib/terminal/descriptors.ts).
  it('stops reading a waiting pipe on SIGINT too, and exits 130', async () => {
    const topic = await createTopic(uniqueName('p-sigint-fifo'))
    const input = fifo({blocking: true})
    try {
      // --print-offsets: the interrupt comes once every line is delivered, not after a guess at how long that takes.
      const child = spawn(process.execPath, [bin, 'produce', '-t', topic, '--print-offsets'], {
        env: cleanEnv(),
        stdio: [input.reader, 'pipe', 'pipe'],
      })
      input.closeReader()
      let stdout = ''
      let stderr = ''
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString()
        if (lines(stdout).length === 20) child.kill('SIGINT')
      })
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
      for (let i = 0; i < 20; i++) fs.writeSync(input.writer, `{"i":${i}}\n`)
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      const code = await new Promise((resolve) => child.on('close', resolve))
      clearTimeout(timer)
      assert.equal(code, 130, stderr)
      assert.match(stderr, /^20 delivered/m)
      assert.equal((await readBack(topic)).length, 20)
    } finally {
      input.close()
    }
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
    fs.writeFileSync(
      schema,
      JSON.stringify({type: 'object', required: ['id'], properties: {id: {type: 'integer'}, amount: {type: 'number'}}}),
    )
    const good = await kcli(['produce', '-t', topic, '--schema', schema], {input: '{"id":1,"amount":2.5}\n{"id":2}\n'})
    assert.equal(good.code, 0, good.stderr)
    const bad = await kcli(['produce', '-t', topic, '--schema', schema, '--dry-run'], {
      input: '{"id":3}\n{"id":4,"amount":"lots"}\n',
    })
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /^kcli: line 2: the value does not match the schema at \/amount: must be number$/m)
    const envelope = await kcli(['produce', '-t', topic, '--schema', schema, '--input', 'envelope'], {
      input: '{"key":"k","value":{"amount":1}}\n',
    })
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
    const committed = await kcli([
      'consume',
      '-t',
      topic,
      '--from-beginning',
      '-e',
      '-X',
      'isolation.level=read_committed',
    ])
    assert.equal(committed.out, '', 'a read_committed consumer sees nothing of an aborted run')
  })

  it('says on a terminal that it reads JSON lines, and how to send or cancel', async () => {
    const topic = await createTopic(uniqueName('p-tty-in'))
    // In the terminal's line discipline Ctrl-D (\x04) at the start of a line is end of input.
    const tty = spawnSync('script', ['-qec', `"${process.execPath}" "${bin}" produce -t ${topic}`, '/dev/null'], {
      env: cleanEnv({NO_COLOR: '1'}),
      input: '{"a":1}\n\x04',
      encoding: 'utf8',
      timeout: 30_000,
    })
    assert.equal(tty.status, 0, tty.stdout)
    assert.match(
      tty.stdout,
      /^reading JSON lines \(one value per line\) from the terminal: Ctrl-D sends, Ctrl-C cancels\r?$/m,
    )
    assert.match(tty.stdout, /1 delivered to p-tty-in-/)
    // Not on a pipe: there stdin is data, and stderr only reports.
    const piped = await kcli(['produce', '-t', topic], {input: '{"a":2}\n'})
    assert.doesNotMatch(piped.stderr, /reading/)
  })

  it('shows progress on a terminal and still ends with the summary', async () => {
    const topic = await createTopic(uniqueName('p-tty'))
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-tty-'))
    const file = path.join(dir, 'in.jsonl')
    fs.writeFileSync(file, '{"a":1}\n{"a":2}\n')
    for (const size of ['stty cols 100 rows 30; ', '']) {
      const tty = spawnSync(
        'script',
        ['-qec', `${size}"${process.execPath}" "${bin}" produce -t ${topic} ${file}`, '/dev/null'],
        {
          env: cleanEnv({NO_COLOR: '1'}),
          encoding: 'utf8',
          timeout: 30_000,
        },
      )
      assert.equal(tty.status, 0, tty.stdout)
      assert.match(tty.stdout, /2 delivered to p-tty-/)
    }
    assert.equal((await readBack(topic)).length, 4)
  })
})
