// `kcli consume` against the real broker: exact bytes, offsets, stop conditions, groups, pipes and signals.
import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import {describe, it} from 'node:test'

import {bin, cleanEnv, createTopic, kcli, lines, uniqueName} from '../helpers.js'
import {fifo} from '../pipes.js'

interface Line {
  topic: string
  partition: number
  offset: number
  timestamp: number
  key: unknown
  value: unknown
}

interface Member {
  clientId: string
  partitions: unknown[]
}

const parse = (out: string) => lines(out).map((l) => JSON.parse(l) as Line)

async function produce(topic: string, input: string, extra: string[] = []): Promise<void> {
  const result = await kcli(['produce', '-t', topic, ...extra], {input})
  assert.equal(result.code, 0, result.stderr)
}

async function consume(args: string[]): Promise<{out: string; stderr: string; code: number | null}> {
  return kcli(['consume', ...args])
}

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const numbered = (n: number, from = 0) => Array.from({length: n}, (_, i) => `{"i":${from + i}}`).join('\n') + '\n'

describe('consume', () => {
  it('round-trips every kind of message through produce byte for byte', async () => {
    const source = await createTopic(uniqueName('c-src'), 2)
    const copy = await createTopic(uniqueName('c-copy'), 2)
    const envelopes = [
      '{"key":"k1","value":{"id": 12345678901234567890,  "n" :[1.50]},"headers":[{"key":"h","value":"1"},{"key":"h","value":"2"}],"partition":0}',
      '{"key":{"compound":1},"value":"plain text with \\"quotes\\" and ünïcode","partition":1,"timestamp":1700000000000}',
      '{"key":"/w==","keyEncoding":"base64","value":"AAECA/7/","valueEncoding":"base64","headers":[{"key":"bin","value":"gA==","encoding":"base64"}],"partition":0}',
      '{"key":"empty","value":"","partition":1}',
      '{"key":"gone","value":null,"partition":1}',
      '{"value":"{\\"spread\\":\\n1}","partition":0}',
      '{"key":"null","value":"42","partition":0}',
    ]
    await produce(source, envelopes.join('\n') + '\n', ['--input', 'envelope'])
    const first = await consume(['-t', source, '--from-beginning', '-e'])
    assert.equal(first.code, 0, first.stderr)
    assert.equal(lines(first.out).length, envelopes.length)

    await produce(copy, first.out, ['--input', 'envelope'])
    const second = await consume(['-t', copy, '--from-beginning', '-e'])
    const strip = (out: string) =>
      lines(out)
        .map((l) => l.replace(/^\{"topic":"[^"]+",/, '{'))
        .sort()
    assert.deepEqual(strip(second.out), strip(first.out))

    const byKey = new Map(parse(first.out).map((l) => [JSON.stringify(l.key), l]))
    assert.equal(byKey.get('"gone"')?.value, null, 'tombstone')
    assert.equal(byKey.get('"empty"')?.value, '', 'empty value')
    assert.equal(byKey.get('"null"')?.value, '42', 'the key "null" and the value 42 stay text')
    assert.equal(byKey.get('{"compound":1}')?.timestamp, 1700000000000)
    assert.match(first.out, /"value":\{"id": 12345678901234567890, {2}"n" :\[1\.50\]\}/)
  })

  it('starts and stops at every offset form', async () => {
    const topic = await createTopic(uniqueName('c-offsets'))
    const stamped =
      Array.from({length: 10}, (_, i) => `{"value":{"i":${i}},"timestamp":${1_700_000_000_000 + i * 1000}}`).join(
        '\n',
      ) + '\n'
    await produce(topic, stamped, ['--input', 'envelope'])
    const offsets = async (...args: string[]) => {
      const r = await consume(['-t', topic, ...args])
      assert.equal(r.code, 0, r.stderr)
      return parse(r.out).map((l) => l.offset)
    }
    assert.deepEqual(await offsets('--from-beginning', '-e'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert.deepEqual(await offsets('-o', '7', '-e'), [7, 8, 9])
    assert.deepEqual(await offsets('-o', '-2', '-e'), [8, 9])
    assert.deepEqual(await offsets('-o', '+8', '-e'), [8, 9])
    assert.deepEqual(await offsets('-o', '2:5'), [2, 3, 4])
    assert.deepEqual(await offsets('-o', '3:+2'), [3, 4])
    assert.deepEqual(await offsets('--from-beginning', '-n', '3'), [0, 1, 2])
    assert.deepEqual(await offsets('-o', '@1700000007000', '-e'), [7, 8, 9])
    assert.deepEqual(await offsets('-o', `@${new Date(1_700_000_001_000).toISOString()}:@1700000003000`), [1, 2])
    assert.deepEqual(await offsets('-o', 'end', '-e'), [])
    const bad = await consume(['-t', topic, '-o', 'later'])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /^kcli: --offset: "later" is not an offset$/m)
  })

  it('exits at the end with empty partitions, and reads chosen partitions', async () => {
    const topic = await createTopic(uniqueName('c-empty'), 3)
    await produce(topic, numbered(4), ['-p', '1'])
    const all = await consume(['-t', topic, '--from-beginning', '-e'])
    assert.equal(all.code, 0, all.stderr)
    assert.deepEqual([...new Set(parse(all.out).map((l) => l.partition))], [1])
    assert.equal(parse(all.out).length, 4)
    const none = await consume(['-t', topic, '--from-beginning', '-e', '-p', '0', '-p', '2'])
    assert.equal(none.out, '')
    const idle = await consume(['-t', topic, '--idle-timeout', '1s'])
    assert.equal(idle.code, 0)
  })

  it('prints bare values and format strings', async () => {
    const topic = await createTopic(uniqueName('c-format'))
    await produce(topic, 'k1:{"a":1}\nk2:{"a":2}\n', ['-K', ':'])
    const values = await consume(['-t', topic, '--from-beginning', '-e', '--output', 'value'])
    assert.equal(values.out, '{"a":1}\n{"a":2}\n')
    const formatted = await consume(['-t', topic, '--from-beginning', '-e', '-f', '%k=%v@%p/%o\\n'])
    assert.equal(formatted.out, 'k1={"a":1}@0/0\nk2={"a":2}@0/1\n')
  })

  it('resumes a group exactly where the last run stopped, with or without --topic', async () => {
    const topic = await createTopic(uniqueName('c-group'), 2)
    const group = uniqueName('g')
    await produce(topic, numbered(10))
    const first = await consume(['-t', topic, '-g', group, '--from-beginning', '-n', '4'])
    assert.equal(first.code, 0, first.stderr)
    const second = await consume(['-g', group, '-e'])
    assert.equal(second.code, 0, second.stderr)
    assert.match(second.stderr, /resuming group/)
    const seen = [...parse(first.out), ...parse(second.out)]
      .map((l) => (l.value as {i: number}).i)
      .sort((a, b) => a - b)
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'no gap, no repeat')
    const third = await consume(['-t', topic, '-g', group, '-e'])
    assert.equal(third.out, '')
    const noCommit = uniqueName('g')
    await consume(['-t', topic, '-g', noCommit, '--from-beginning', '-n', '3', '--no-commit'])
    const again = await consume(['-t', topic, '-g', noCommit, '--from-beginning', '-n', '3', '--no-commit'])
    assert.equal(parse(again.out).length, 3, '--no-commit reads the same messages again')
    const nothing = await consume(['-g', uniqueName('g-none')])
    assert.equal(nothing.code, 2)
    assert.match(nothing.stderr, /has no committed offsets/)
  })

  it('exits quietly when the reader of the pipe goes away, committing only what was written', async () => {
    const topic = await createTopic(uniqueName('c-head'))
    await produce(topic, numbered(20_000))
    const group = uniqueName('g-head')
    const piped = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${bin}" consume -t ${topic} -g ${group} --from-beginning | head -n 5`,
      ],
      {
        env: cleanEnv(),
        encoding: 'utf8',
      },
    )
    assert.equal(piped.status, 0, piped.stderr)
    assert.equal(piped.stderr, '')
    assert.equal(lines(piped.stdout).length, 5)
    const rest = await consume(['-t', topic, '-g', group, '-e'])
    const offsets = parse(rest.out).map((l) => l.offset)
    assert.ok(offsets[0] >= 5 && offsets[0] < 20_000, `resumes after the written lines (at ${offsets[0]})`)
    assert.equal(offsets.at(-1), 19_999)
    assert.equal(offsets.length, 20_000 - offsets[0], 'and misses nothing after them')
  })

  it('exits at the end with two members of a group, even the one without partitions', async () => {
    const topic = await createTopic(uniqueName('c-two'))
    await produce(topic, numbered(5))
    const group = uniqueName('g-two')
    const [a, b] = await Promise.all([
      consume(['-t', topic, '-g', group, '--from-beginning', '-e']),
      consume(['-t', topic, '-g', group, '--from-beginning', '-e']),
    ])
    assert.equal(a.code, 0, a.stderr)
    assert.equal(b.code, 0, b.stderr)
    assert.equal(parse(a.out).length + parse(b.out).length, 5)
  })

  // A member that joins while another holds every partition gets an empty assignment. It must acknowledge that too,
  // or it never rejoins, and the partitions the other member leaves stay unread until the group times it out.
  for (const strategy of ['range', 'cooperative-sticky']) {
    it(`takes over the partitions a member leaves after starting with none (${strategy})`, async () => {
      const topic = await createTopic(uniqueName('c-takeover'))
      await produce(topic, numbered(5))
      const group = uniqueName('g-takeover')
      const assignor = ['-X', `partition.assignment.strategy=${strategy}`]
      // The holder commits nothing, and its client id sorts before kcli's, so the range assignor keeps the partition
      // with it when the second member joins.
      const holder = spawn(
        process.execPath,
        [
          bin,
          'consume',
          '-t',
          topic,
          '-g',
          group,
          '--from-beginning',
          '--no-commit',
          '-X',
          'client.id=a-holder',
          ...assignor,
        ],
        {env: cleanEnv()},
      )
      const holderExited = new Promise((resolve) => holder.on('close', resolve))
      let held = ''
      holder.stdout.on('data', (d: Buffer) => (held += d.toString()))
      let run: ReturnType<typeof kcli> | undefined
      try {
        await waitFor(() => lines(held).length === 5)
        run = kcli(['consume', '-t', topic, '-g', group, '--from-beginning', '-e', ...assignor])
        await waitFor(async () => {
          const described = await kcli(['group', 'describe', group, '--json'])
          if (described.code !== 0) return false
          const [g] = (JSON.parse(described.out) as {groups: Array<{state: string; members: Member[]}>}).groups
          const holding = g.members.find((m) => m.clientId === 'a-holder')?.partitions.length
          return g.state === 'Stable' && g.members.length === 2 && holding === 1
        })
      } finally {
        holder.kill('SIGTERM')
        await holderExited
      }
      const started = Date.now()
      const result = await run
      assert.equal(result.code, 0, result.stderr)
      assert.ok(Date.now() - started < 20_000, 'well before the group would have timed the holder out')
      assert.deepEqual(
        parse(result.out).map((l) => l.offset),
        [0, 1, 2, 3, 4],
      )
    })
  }

  it('stops, commits and leaves the group on SIGTERM', async () => {
    const topic = await createTopic(uniqueName('c-term'))
    await produce(topic, numbered(3))
    const group = uniqueName('g-term')
    const started = Date.now()
    const result = await new Promise<{code: number | null; out: string}>((resolve) => {
      const child = spawn(process.execPath, [bin, 'consume', '-t', topic, '-g', group, '--from-beginning'], {
        env: cleanEnv(),
      })
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (lines(out).length === 3) child.kill('SIGTERM')
      })
      child.on('close', (code) => resolve({code, out}))
    })
    assert.equal(result.code, 0)
    assert.ok(Date.now() - started < 30_000)
    const resumed = await consume(['-t', topic, '-g', group, '-e'])
    assert.equal(resumed.out, '', 'what was printed was committed')
    const described = await kcli(['group', 'describe', group, '--json'])
    assert.equal(described.code, 0, described.stderr)
    assert.match(described.out, /"members":\s*\[\]/)
  })

  it('shows a terminal JSON as jq -C does, big integers untouched, and marks tombstones and binary values', async () => {
    const topic = await createTopic(uniqueName('c-view'))
    const input = [
      '{"key":"k","value":{"id":12345678901234567890,"tags":["a"]}}',
      '{"key":"gone","value":null}',
      '{"value":"AP8=","valueEncoding":"base64"}',
    ]
    await produce(topic, input.join('\n') + '\n', ['--input', 'envelope'])
    const run = (extra: Record<string, string | undefined>) =>
      spawnSync('script', ['-qec', `"${process.execPath}" "${bin}" consume ${topic} -e`, '/dev/null'], {
        env: cleanEnv({TERM: 'xterm', NO_COLOR: undefined, ...extra}),
        encoding: 'utf8',
      })
    const coloured = run({})
    assert.equal(coloured.status, 0, coloured.stdout)
    assert.ok(coloured.stdout.includes('\u001b[34m\u001b[1m"id"'), 'keys in blue, as jq -C')
    assert.ok(coloured.stdout.includes(' 12345678901234567890'), 'the big integer keeps its digits')
    const plain = run({NO_COLOR: '1'}).stdout.replace(/\r/g, '')
    assert.match(
      plain,
      /^c-view-\S+\[0\]@0 \S+ key k\n\{\n {2}"id": 12345678901234567890,\n {2}"tags": \[\n {4}"a"\n {2}\]\n\}$/m,
    )
    assert.match(plain, /@1 \S+ key gone\n<tombstone>$/m)
    assert.match(plain, /@2 \S+\n<binary, 2 bytes, base64> AP8=$/m)
  })

  it('neutralises escape sequences on a terminal and keeps exact bytes on a pipe', async () => {
    const topic = await createTopic(uniqueName('c-escape'))
    await produce(topic, '{"value":"\\u001b]0;pwned\\u0007\\u001b[2Jhello"}\n', ['--input', 'envelope'])
    const piped = await consume(['-t', topic, '--from-beginning', '-e', '--output', 'value'])
    assert.deepEqual(piped.stdout, Buffer.from('\u001b]0;pwned\u0007\u001b[2Jhello\n'))
    const tty = spawnSync(
      'script',
      ['-qec', `"${process.execPath}" "${bin}" consume -t ${topic} --from-beginning -e`, '/dev/null'],
      {env: cleanEnv({NO_COLOR: '1'}), encoding: 'utf8'},
    )
    assert.equal(tty.status, 0, tty.stderr)
    assert.match(tty.stdout, /hello/)
    assert.ok(!tty.stdout.includes('\u001b'), 'no raw escape reaches the terminal')
    assert.match(tty.stdout, /\\u001b\]0;pwned\\u0007/)
  })

  it('commits the start of every assigned partition, so a partition nothing was read from has no gap later', async () => {
    const topic = await createTopic(uniqueName('c-gap'), 2)
    const group = uniqueName('g-gap')
    const first = spawn(process.execPath, [bin, 'consume', '-t', topic, '-g', group, '--from-beginning'], {
      env: cleanEnv(),
    })
    let out = ''
    first.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const exited = new Promise<number | null>((resolve) => first.on('close', resolve))
    // Partition 1 stays empty while the first run is a member; it receives messages only after the run ended.
    await waitFor(async () => {
      const described = await kcli(['group', 'describe', group, '--json'])
      return (
        described.code === 0 &&
        (JSON.parse(described.out) as {groups: Array<{members: unknown[]}>}).groups[0].members.length > 0
      )
    })
    await produce(topic, numbered(10), ['-p', '0'])
    await waitFor(async () => lines(out).length === 10)
    first.kill('SIGTERM')
    assert.equal(await exited, 0)
    await produce(topic, numbered(10, 10), ['-p', '1'])
    const second = await consume(['-t', topic, '-g', group, '-e'])
    assert.equal(second.code, 0, second.stderr)
    assert.deepEqual(
      parse(second.out).map((l) => (l.value as {i: number}).i),
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      'partition 1 was committed at its start (0), not left to start at its end',
    )
  })

  it('ends a range at its stop or at the end, whichever is first, and refuses an empty one', async () => {
    const topic = await createTopic(uniqueName('c-range'), 3)
    await produce(topic, numbered(10), ['-p', '0'])
    const inside = await consume(['-t', topic, '-o', '2:4', '-e'])
    assert.equal(inside.code, 0, inside.stderr)
    assert.deepEqual(
      parse(inside.out).map((l) => l.offset),
      [2, 3],
    )
    const noE = await consume(['-t', topic, '-o', '2:4'])
    assert.deepEqual(
      parse(noE.out).map((l) => l.offset),
      [2, 3],
      'a range ends without -e too',
    )
    const beyond = await consume(['-t', topic, '-o', '100:200', '-e'])
    assert.equal(beyond.code, 0)
    assert.equal(beyond.out, '')
    const partial = await consume(['-t', topic, '-o', '+8:+5', '-p', '0'])
    assert.deepEqual(
      parse(partial.out).map((l) => l.offset),
      [8, 9],
    )
    const inverted = await consume(['-t', topic, '-o', '3:1', '-p', '0'])
    assert.equal(inverted.code, 2)
    assert.match(inverted.stderr, /^kcli: --offset 3:1: the range is empty/m)
  })

  it('escapes C1 and other control characters in JSON lines on a terminal, and keeps them exact on a pipe', async () => {
    const topic = await createTopic(uniqueName('c-c1'))
    await produce(topic, '{"value":"a\u009b31mred\u007f\u202eb"}\n', ['--input', 'envelope'])
    const piped = await consume(['-t', topic, '--from-beginning', '-e', '--output', 'json'])
    assert.equal(JSON.parse(piped.out).value, 'a\u009b31mred\u007f\u202eb')
    const tty = spawnSync(
      'script',
      ['-qec', `"${process.execPath}" "${bin}" consume -t ${topic} --from-beginning -e --output json`, '/dev/null'],
      {env: cleanEnv({NO_COLOR: '1'}), encoding: 'utf8'},
    )
    assert.equal(tty.status, 0, tty.stderr)
    assert.ok(!/[\u007f-\u009f\u202e]/.test(tty.stdout), 'no raw C1, DEL or bidi control reaches the terminal')
    assert.equal(
      JSON.parse(tty.stdout.trim()).value,
      'a\u009b31mred\u007f\u202eb',
      'still valid JSON for the same text',
    )
  })

  it('names a missing topic (exit 2) and an unreachable cluster (exit 3)', async () => {
    const missing = await consume(['-t', uniqueName('c-missing'), '-e'])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /^kcli: topic "c-missing-\S+" does not exist$/m)
    const down = await consume(['-t', 'x', '-b', 'localhost:1', '--timeout', '2s'])
    assert.equal(down.code, 3)
    assert.match(down.stderr, /^kcli: cannot reach Kafka at localhost:1 within 2s/m)
    assert.doesNotMatch(down.stderr, /\n\s+at /)
  })
})

describe('consume: topics', () => {
  it('reads several topics, topic patterns, and writes to a file', async () => {
    const prefix = uniqueName('c-pat')
    const a = await createTopic(`${prefix}-a`)
    const b = await createTopic(`${prefix}-b`)
    await produce(a, numbered(2))
    await produce(b, numbered(3))
    const both = await consume(['-t', a, '-t', b, '--from-beginning', '-e'])
    assert.equal(parse(both.out).length, 5)
    const pattern = await consume(['-t', `^${prefix}-.*`, '--from-beginning', '-e'])
    assert.deepEqual([...new Set(parse(pattern.out).map((l) => l.topic))].sort(), [a, b])
    const none = await consume(['-t', '^no-such-topic-.*', '-e'])
    assert.equal(none.code, 2)
    assert.match(none.stderr, /no topic matches \^no-such-topic-\.\*/)
    const file = `${os.tmpdir()}/${prefix}.jsonl`
    const toFile = await consume(['-t', a, '--from-beginning', '-e', '--output-file', file])
    assert.equal(toFile.out, '')
    assert.equal(lines(fs.readFileSync(file, 'utf8')).length, 2)
  })

  it('takes topics as arguments, as rpk and kafkactl do, and hints at ^ for a pattern without it', async () => {
    const prefix = uniqueName('c-arg')
    const a = await createTopic(`${prefix}-a`)
    const b = await createTopic(`${prefix}-b`)
    await produce(a, numbered(2))
    await produce(b, numbered(1))
    const positional = await consume([a, '-e'])
    assert.equal(positional.code, 0, positional.stderr)
    assert.equal(parse(positional.out).length, 2)
    const mixed = await consume([a, '-t', b, '-e'])
    assert.deepEqual([...new Set(parse(mixed.out).map((l) => l.topic))].sort(), [a, b])

    const unanchored = await consume(['-t', `${prefix}-.*`, '-e'])
    assert.equal(unanchored.code, 2)
    assert.match(
      unanchored.stderr,
      /^kcli: "c-arg-\S+-\.\*" is not a topic name, and a regular expression must start with \^$/m,
    )
    assert.ok(unanchored.stderr.includes(`hint: To read the topics it matches: -t '^${prefix}-.*'`), unanchored.stderr)
  })

  it('with -e and no --offset starts at the beginning, so "copy a topic" copies it (kcat does the same)', async () => {
    const topic = await createTopic(uniqueName('c-e-start'), 2)
    await produce(topic, numbered(2), ['-p', '0'])
    await produce(topic, numbered(1), ['-p', '1'])
    const all = await consume(['-t', topic, '-e'])
    assert.equal(all.code, 0, all.stderr)
    assert.equal(parse(all.out).length, 3)
    // --offset still decides where given; end with -e reads nothing, by construction.
    assert.equal((await consume(['-t', topic, '-e', '-o', 'end'])).out, '')
    assert.equal(parse((await consume(['-t', topic, '-e', '-o', '-1'])).out).length, 2, 'one before the end of each')
    // A group without committed offsets starts at the beginning too; committed offsets win.
    const group = uniqueName('c-e-group')
    assert.equal(parse((await consume(['-t', topic, '-g', group, '-e'])).out).length, 3)
    assert.equal((await consume(['-t', topic, '-g', group, '-e'])).out, '', 'resumes after what it committed')

    const help = await kcli(['consume', '--help'])
    assert.match(help.out.replace(/\s+/g, ' '), /With -e and no --offset, consuming starts at the beginning/)
  })

  it('waits for a topic that does not exist yet when asked to', async () => {
    const topic = uniqueName('c-wait')
    const waiting = consume(['-t', topic, '--wait-for-topic', '--from-beginning', '-n', '1'])
    await new Promise((resolve) => setTimeout(resolve, 2500))
    await createTopic(topic)
    await produce(topic, '{"late":true}\n')
    const result = await waiting
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /waiting for topic/)
    assert.deepEqual(parse(result.out)[0].value, {late: true})
  })

  it('takes the topic from KCLI_TOPIC', async () => {
    const topic = await createTopic(uniqueName('c-envtopic'))
    await produce(topic, numbered(1))
    const result = await kcli(['consume', '--from-beginning', '-e'], {env: {KCLI_TOPIC: topic}})
    assert.equal(parse(result.out).length, 1)
  })

  it('never takes piped stdin for a topic: a while-read loop keeps its lines', async () => {
    const topic = await createTopic(uniqueName('c-stdin'))
    await produce(topic, numbered(1))
    const piped = await kcli(['consume', '-t', topic, '-e'], {input: 'not-a-topic\n'})
    assert.equal(piped.code, 0, piped.stderr)
    assert.equal(parse(piped.out).length, 1)
    const loop = spawnSync(
      'bash',
      [
        '-c',
        `printf 'a\\nb\\nc\\n' | while read -r line; do "${process.execPath}" "${bin}" consume -t ${topic} -e -q >/dev/null; echo "$line"; done`,
      ],
      {env: cleanEnv(), encoding: 'utf8', timeout: 60_000},
    )
    assert.equal(loop.stdout, 'a\nb\nc\n', loop.stderr)
  })
})

describe('consume: stops and signals', () => {
  it('a group member without partitions waits (no -e), and -e ends at the last stable offset during an open transaction', async () => {
    const topic = await createTopic(uniqueName('c-idle-member'))
    await produce(topic, numbered(2))
    const group = uniqueName('g-idle')
    const spawnConsumer = () =>
      spawn(process.execPath, [bin, 'consume', '-t', topic, '-g', group, '--from-beginning'], {env: cleanEnv()})
    const first = spawnConsumer()
    let firstOut = ''
    first.stdout.on('data', (d: Buffer) => (firstOut += d.toString()))
    const deadline = Date.now() + 30_000
    while (lines(firstOut).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    const second = spawnConsumer()
    let secondExited = false
    const secondExit = new Promise<number | null>((resolve) =>
      second.on('close', (code) => ((secondExited = true), resolve(code))),
    )
    await new Promise((r) => setTimeout(r, 6000))
    assert.equal(secondExited, false, 'a member with no partitions keeps waiting without -e')
    second.kill('SIGTERM')
    first.kill('SIGTERM')
    assert.equal(await secondExit, 0)

    // An open transaction: the high watermark is past the last stable offset, where a read_committed consumer stops.
    const txTopic = await createTopic(uniqueName('c-open-tx'))
    await produce(txTopic, numbered(2))
    const open = spawn(process.execPath, [bin, 'produce', '-t', txTopic, '--transactional-id', uniqueName('tx-open')], {
      env: cleanEnv(),
    })
    open.stdin.write('{"pending":1}\n')
    await new Promise((r) => setTimeout(r, 3000))
    const began = Date.now()
    const read = await consume(['-t', txTopic, '--from-beginning', '-e'])
    assert.equal(read.code, 0, read.stderr)
    assert.equal(parse(read.out).length, 2, 'only committed messages')
    assert.ok(Date.now() - began < 15_000, 'does not wait for the transaction to end')
    open.kill('SIGKILL')
  })

  it('a time range ends at the current end when nothing comes after its stop time', async () => {
    const topic = await createTopic(uniqueName('c-time-end'))
    const stamped =
      Array.from({length: 4}, (_, i) => `{"value":{"i":${i}},"timestamp":${1_700_000_000_000 + i * 1000}}`).join('\n') +
      '\n'
    await produce(topic, stamped, ['--input', 'envelope'])
    const result = await consume(['-t', topic, '-o', '@1700000002000:@1900000000000'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(
      parse(result.out).map((l) => l.offset),
      [2, 3],
    )
  })

  it('stops on Ctrl-C even while the reader of its output is not reading, without cutting a line', async () => {
    const topic = await createTopic(uniqueName('c-full-pipe'))
    await produce(topic, numbered(50_000))
    const child = spawn(
      process.execPath,
      [bin, 'consume', '-t', topic, '-g', uniqueName('g-full'), '--from-beginning'],
      {env: cleanEnv()},
    )
    const chunks: Buffer[] = []
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    let interruptedAt = 0
    // One listener throughout: Node resumes a child's paused stdout when the child exits, and what then flowed with no
    // listener would be lost to this test.
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d)
      if (chunks.length > 1) return
      child.stdout.pause()
      // The pipe fills while nobody reads; then Ctrl-C, and a little later the reader reads again.
      setTimeout(() => {
        interruptedAt = Date.now()
        child.kill('SIGINT')
        setTimeout(() => child.stdout.resume(), 300)
      }, 1500)
    })
    assert.equal(await exited, 0)
    assert.ok(Date.now() - interruptedAt < 5000, 'stops promptly')
    await new Promise((r) => (child.stdout.readableEnded ? r(undefined) : child.stdout.on('end', r)))
    const out = Buffer.concat(chunks).toString()
    assert.ok(out.endsWith('\n'), 'the last line is whole')
    for (const line of lines(out)) JSON.parse(line)
  })

  // As above, with the output a shell's pipe (a FIFO, blocking): kcli writes to a non-blocking descriptor of it
  // (src/lib/terminal/descriptors.ts), or a full pipe would hold its main thread, Ctrl-C and all.
  it('stops on Ctrl-C while a shell pipe it writes to is full and nobody reads it', async () => {
    const topic = await createTopic(uniqueName('c-full-fifo'))
    await produce(topic, numbered(50_000))
    const output = fifo({blocking: true})
    try {
      const child = spawn(
        process.execPath,
        [bin, 'consume', '-t', topic, '-g', uniqueName('g-fifo'), '--from-beginning'],
        {
          env: cleanEnv(),
          stdio: ['ignore', output.writer, 'pipe'],
        },
      )
      output.closeWriter()
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      await new Promise((resolve) => setTimeout(resolve, 3000))
      const interruptedAt = Date.now()
      child.kill('SIGINT')
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
      const code = await exited
      clearTimeout(timer)
      assert.equal(code, 0)
      assert.ok(Date.now() - interruptedAt < 5000, 'stops promptly')
      const out = fs.readFileSync(output.reader).toString()
      // The pipe was full when the interrupt came (it holds 64 KiB). A line it could not finish stays cut: nobody reads
      // (src/lib/terminal/stdout-writer.ts gives up on such a reader after a while).
      assert.ok(out.length >= 60_000, String(out.length))
      for (const line of lines(out).slice(0, -1)) JSON.parse(line)
    } finally {
      output.close()
    }
  })
})
