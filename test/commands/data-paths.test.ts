// The two data paths against the real broker: the native fast path (kcli's patch to the client library: batch
// produce, packed consume) and the stock calls that serve where the patch is not compiled in (KCLI_DATA_PATH=stock).
// Both must write the same bytes to the topic and print the same lines; outcomes are read back independently.
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {describe, it} from 'node:test'

import {
  bin,
  cleanEnv,
  createTopic,
  disconnect,
  kcli,
  libraryConsumer,
  lines,
  partitionEnds,
  uniqueName,
} from '../helpers.js'

const stock = {KCLI_DATA_PATH: 'stock'}
const paths = [
  {name: 'native', env: {}},
  {name: 'stock', env: stock},
] as const

interface Line {
  partition: number
  offset: number
  timestamp: number
  key: unknown
  value: unknown
  headers: Array<{key: string; value: string | null}>
}

async function consume(topic: string, env: Record<string, string> = {}, extra: string[] = []): Promise<string> {
  const result = await kcli(['consume', '-t', topic, '--from-beginning', '-e', ...extra], {env})
  assert.equal(result.code, 0, result.stderr)
  return result.out
}

/** Lines sorted by partition and offset, without the topic (so that two topics' lines compare). */
function normalise(out: string): string[] {
  return lines(out)
    .map((l) => l.replace(/^\{"topic":"[^"]+",/, '{'))
    .sort((a, b) => {
      const pa = JSON.parse(a) as Line
      const pb = JSON.parse(b) as Line
      return pa.partition - pb.partition || pa.offset - pb.offset
    })
}

/** Every record of a topic as the client library itself reads it: bytes, not kcli's rendering. */
async function rawRecords(topic: string): Promise<string[]> {
  const consumer = await libraryConsumer(uniqueName('raw'), {log_level: 0})
  try {
    const records: string[] = []
    for (const {partition, end: highOffset} of await partitionEnds(consumer, topic)) {
      if (highOffset === 0) continue
      consumer.assign([{topic, partition, offset: 0}])
      for (let seen = 0; seen < highOffset;) {
        const batch = await new Promise<import('@confluentinc/kafka-javascript').Message[]>((resolve, reject) =>
          consumer.consume(100, (err, m) => (err ? reject(err) : resolve(m))),
        )
        for (const m of batch) {
          seen++
          const headers = (m.headers ?? []).map((h) =>
            Object.entries(h).map(([k, v]) => [k, Buffer.from(v as Buffer).toString('hex')]),
          )
          records.push(
            JSON.stringify([
              m.partition,
              m.offset,
              m.key?.toString('hex') ?? null,
              m.value?.toString('hex') ?? null,
              headers,
            ]),
          )
        }
      }
      consumer.unassign()
    }
    return records
  } finally {
    await disconnect(consumer)
  }
}

// Every kind of message an envelope can describe that both paths can send.
const envelopes = [
  '{"key":"k1","value":{"id": 12345678901234567890,  "n" :[1.50]},"headers":[{"key":"h","value":"1"},{"key":"h","value":"2"}],"partition":0}',
  '{"key":{"compound":1},"value":"plain text with \\"quotes\\" and ünïcode","partition":1,"timestamp":1700000000000}',
  '{"key":"/w==","keyEncoding":"base64","value":"AAECA/7/","valueEncoding":"base64","headers":[{"key":"bin","value":"gA==","encoding":"base64"}],"partition":0}',
  '{"key":"empty","value":"","partition":1,"headers":[{"key":"e","value":""}]}',
  '{"key":"gone","value":null,"partition":1}',
  '{"value":"{\\"spread\\":\\n1}","partition":0}',
  '{"key":null,"value":"42","partition":2,"timestamp":1600000000000}',
  '{"key":"tabs","value":"a\\tb\\u0001\\u007f","partition":2}',
]

describe('data paths', () => {
  it('both produce paths store the same bytes, and both consume paths print the same lines', async () => {
    const topics: string[] = []
    for (const p of paths) {
      const topic = await createTopic(uniqueName(`dp-${p.name}`), 3)
      const result = await kcli(['produce', '-t', topic, '--input', 'envelope'], {
        env: p.env,
        input: envelopes.join('\n') + '\n',
      })
      assert.equal(result.code, 0, `${p.name}: ${result.stderr}`)
      assert.match(result.stderr, new RegExp(`^${envelopes.length} delivered`, 'm'))
      topics.push(topic)
    }
    // Stored bytes, read by the client library itself.
    assert.deepEqual((await rawRecords(topics[0])).sort(), (await rawRecords(topics[1])).sort())
    // Printed lines: each topic through each consume path; timestamps kcli did not set differ between the topics.
    const printed = []
    for (const topic of topics) {
      const native = normalise(await consume(topic))
      const viaStock = normalise(await consume(topic, stock))
      assert.deepEqual(native, viaStock, `packed and stock consume differ on ${topic}`)
      printed.push(
        native.map((l) => l.replace(/"timestamp":\d+,/, (m) => (/17000|16000/.test(m) ? m : '"timestamp":*,'))),
      )
    }
    assert.deepEqual(printed[0], printed[1])
    // And what is printed goes back in unchanged, on both paths.
    for (const p of paths) {
      const copy = await createTopic(uniqueName(`dp-copy-${p.name}`), 3)
      const out = await consume(topics[0])
      assert.equal((await kcli(['produce', '-t', copy, '--input', 'envelope'], {env: p.env, input: out})).code, 0)
      assert.deepEqual(normalise(await consume(copy)), normalise(out))
    }
  })

  it("native: the library's verdict on JSON keys and values prints each line as the stock path's own check does", async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000)
    const samples = [
      '{"a":1}',
      '[1,"é",{"b":null}]',
      '{"a":\n1}',
      '{"a":\r1}',
      '{oops}',
      ' {"a":1}',
      '{"a":1} ',
      '"just a string"',
      Buffer.from('{"a":"\xff"}', 'latin1'),
      deep,
      `${deep.slice(0, -1)}`,
    ].map((text) => (typeof text === 'string' ? Buffer.from(text) : text))
    const topic = await createTopic(uniqueName('dp-json'), 1)
    const input = samples
      .map((b, i) => {
        const key = samples[samples.length - 1 - i].toString('base64')
        return JSON.stringify({key, keyEncoding: 'base64', value: b.toString('base64'), valueEncoding: 'base64'})
      })
      .join('\n')
    assert.equal((await kcli(['produce', '-t', topic, '--input', 'envelope'], {input: `${input}\n`})).code, 0)

    const native = normalise(await consume(topic))
    assert.deepEqual(native, normalise(await consume(topic, stock)))
    // What each value became: embedded JSON only where the whole value is one JSON object or array on one line.
    // (Lines 9 and 10 are checked as text: comparing parsed values 5,000 levels deep exhausts the stack.)
    const values = native.slice(0, 9).map((l) => JSON.parse(l) as {value: unknown; valueEncoding?: string})
    assert.deepEqual(values[0].value, {a: 1})
    assert.deepEqual(values[1].value, [1, 'é', {b: null}])
    for (const i of [2, 3, 4, 5, 6]) assert.equal(values[i].value, samples[i].toString(), `sample ${i}`)
    assert.equal(values[7].value, '"just a string"')
    assert.equal(values[8].valueEncoding, 'base64')
    assert.ok(native[9].includes(`"value":${deep},`), 'the deep value is embedded')
    assert.ok(native[10].includes(`"value":${JSON.stringify(samples[10].toString())},`), 'an unclosed one is a string')
  })

  it('only the native path sends null header values and header names that are not UTF-8, and prints them exactly', async () => {
    const topic = await createTopic(uniqueName('dp-headers'))
    const line =
      '{"value":"v","headers":[{"key":"/w==","keyEncoding":"base64","value":null},{"key":"n","value":null}]}\n'
    const refused = await kcli(['produce', '-t', topic, '--input', 'envelope'], {env: stock, input: line})
    assert.equal(refused.code, 2)
    assert.match(
      refused.stderr,
      /^kcli: line 1: header 1's name is not UTF-8: the client library's stock produce\(\) cannot send it/m,
    )
    const sent = await kcli(['produce', '-t', topic, '--input', 'envelope'], {input: line})
    assert.equal(sent.code, 0, sent.stderr)
    const printed = JSON.parse(await consume(topic)) as Line
    assert.deepEqual(printed.headers, [
      {key: '/w==', keyEncoding: 'base64', value: null},
      {key: 'n', value: null},
    ])
  })

  for (const p of paths) {
    it(`${p.name}: resumes after a full local queue and delivers every line`, async () => {
      const topic = await createTopic(uniqueName(`dp-full-${p.name}`), 3)
      const input = Array.from({length: 20_000}, (_, i) => `{"i":${i}}`).join('\n') + '\n'
      const result = await kcli(['produce', '-t', topic, '-X', 'queue.buffering.max.messages=50'], {env: p.env, input})
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /^20000 delivered/m)
      const values = lines(await consume(topic, {}, ['--output', 'value']))
      assert.equal(new Set(values).size, 20_000)
    })

    it(`${p.name}: a line larger than the topic takes is invalid before it is sent; the rest are delivered`, async () => {
      const topic = await createTopic(uniqueName(`dp-too-large-${p.name}`), 1, {'max.message.bytes': '300'})
      const input =
        Array.from({length: 50}, (_, i) => (i === 25 ? `{"big":"${'x'.repeat(400)}"}` : `{"i":${i}}`)).join('\n') + '\n'
      const skipped = await kcli(['produce', '-t', topic, '--on-invalid', 'skip'], {env: p.env, input})
      assert.equal(skipped.code, 0, skipped.stderr)
      assert.match(skipped.stderr, /^49 delivered, 1 invalid/m)
      assert.match(
        skipped.stderr,
        /^ {2}line 26: the message is \d+ bytes as a record batch, more than the topic's max\.message\.bytes \(300\)$/m,
      )
      assert.equal(lines(await consume(topic)).length, 49)
      const failed = await kcli(['produce', '-t', topic], {env: p.env, input})
      assert.equal(failed.code, 2)
      assert.match(failed.stderr, /^25 delivered, 1 invalid/m)
      assert.match(failed.stderr, /^kcli: line 26: the message is \d+ bytes as a record batch/m)
    })

    it(`${p.name}: counts a message the broker refuses in the middle of a stream exactly`, async () => {
      const topic = await createTopic(uniqueName(`dp-large-${p.name}`), 1, {'max.message.bytes': '300'})
      // Compressed, a message may fit the topic's limit, so only the broker can tell: random bytes do not shrink.
      // linger.ms=0 and a batch size below two messages: each message is its own request, refused on its own.
      const noise = randomBytes(1500).toString('base64')
      const input =
        Array.from({length: 50}, (_, i) => (i === 25 ? `{"big":"${noise}"}` : `{"i":${i}}`)).join('\n') + '\n'
      const args = ['produce', '-t', topic, '--linger-ms', '0', '--batch-size', '200', '--compression', 'gzip']
      const result = await kcli(args, {env: p.env, input})
      assert.equal(result.code, 1, result.stderr)
      assert.match(result.stderr, /^49 delivered, 1 failed/m)
      assert.match(result.stderr, /^ {2}1 message too large for the broker/m)
      assert.equal(lines(await consume(topic)).length, 49)
    })

    it(`${p.name}: stops at an invalid line under --on-invalid fail, having sent exactly the lines before it`, async () => {
      const topic = await createTopic(uniqueName(`dp-invalid-${p.name}`))
      const input = ['{"i":0}', '{"i":1}', '{"i":2', '{"i":3}'].join('\n') + '\n'
      const result = await kcli(['produce', '-t', topic], {env: p.env, input})
      assert.equal(result.code, 2)
      assert.match(result.stderr, /^kcli: line 3: the value is not a whole JSON value/m)
      assert.deepEqual(lines(await consume(topic, {}, ['--output', 'value'])), ['{"i":0}', '{"i":1}'])
      const skipped = await kcli(['produce', '-t', topic, '--on-invalid', 'skip'], {
        env: p.env,
        input: '\xff\n{"i":4}\n',
      })
      assert.equal(skipped.code, 0, skipped.stderr)
      assert.match(skipped.stderr, /^1 delivered, 1 invalid/m)
    })
  }

  it('native: a transaction commits every line, or none when one is invalid', async () => {
    const topic = await createTopic(uniqueName('dp-tx'), 3)
    const input = Array.from({length: 5000}, (_, i) => `{"i":${i}}`).join('\n') + '\n'
    const committed = await kcli(['produce', '-t', topic, '--transactional-id', uniqueName('tx')], {input})
    assert.equal(committed.code, 0, committed.stderr)
    assert.equal(lines(await consume(topic)).length, 5000)
    const aborted = await kcli(['produce', '-t', topic, '--transactional-id', uniqueName('tx')], {
      input: `${input}not json\n`,
    })
    assert.equal(aborted.code, 2)
    assert.match(aborted.stderr, /0 delivered/)
    assert.equal(lines(await consume(topic)).length, 5000, 'nothing of the aborted transaction is visible')
  })

  it('native: two group members, one joining late, read every message once between them', async () => {
    const topic = await createTopic(uniqueName('dp-rebalance'), 4)
    const group = uniqueName('dp-g')
    const total = 20_000
    const producer = kcli(['produce', '-t', topic, '-q'], {
      input: Array.from({length: total}, (_, i) => `{"i":${i}}`).join('\n') + '\n',
    })
    const member = () =>
      new Promise<string>((resolve) => {
        const child = spawn(
          process.execPath,
          [bin, 'consume', '-t', topic, '-g', group, '--from-beginning', '--idle-timeout', '8s', '--output', 'value'],
          {env: cleanEnv()},
        )
        let out = ''
        child.stdout.on('data', (d: Buffer) => (out += d.toString()))
        child.on('close', () => resolve(out))
      })
    const first = member()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const second = member()
    assert.equal((await producer).code, 0)
    const values = [...lines(await first), ...lines(await second)].map((l) => (JSON.parse(l) as {i: number}).i)
    assert.equal(new Set(values).size, total, 'nothing lost')
    assert.equal(values.length, total, 'nothing repeated')
  })

  it('config show says which data path is in use and why', async () => {
    const native = await kcli(['config', 'show', '--json'])
    assert.deepEqual(JSON.parse(native.out).dataPath, {
      batchProduce: true,
      packedConsume: true,
      adminCalls: true,
      reason: "the client library was built with kcli's patch",
    })
    const forced = await kcli(['config', 'show'], {env: stock})
    assert.match(forced.out, /^data path: the client library's stock calls \(KCLI_DATA_PATH=stock\)$/m)
  })
})
