// Times `kcli group describe` against Kafka's own ConsumerGroupCommand --describe on a group that has committed offsets
// on every partition of a large topic (1,200 by default), and prints the medians side by side.
//
// npm run build && npx tsx bench/group-describe.ts --brokers localhost:19092 [--partitions 1200] [--runs 5]
//   [--kafka-lib DIR] [--keep]
//
// It creates a topic kcli-bench-describe-<time> and a group <topic>-g on that cluster, and deletes both at the end
// unless --keep.
import {spawn} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

type KafkaModule = typeof import('@confluentinc/kafka-javascript')

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const {values: opts} = parseArgs({
  options: {
    brokers: {type: 'string'},
    partitions: {type: 'string', default: '1200'},
    runs: {type: 'string', default: '5'},
    'kafka-lib': {type: 'string'},
    keep: {type: 'boolean', default: false},
  },
})
if (!opts.brokers) {
  console.error(
    'usage: npx tsx bench/group-describe.ts --brokers host:port [--partitions 1200] [--runs 5] [--kafka-lib DIR] [--keep]',
  )
  process.exit(2)
}
const brokers = opts.brokers
const partitions = Number(opts.partitions)
const runs = Number(opts.runs)
const kafkaLib = opts['kafka-lib'] ?? findKafkaLib()
const topic = `kcli-bench-describe-${Date.now().toString(36)}`
const group = `${topic}-g`
const committedAt = 5
const recordsPerPartition = 10

function findKafkaLib(): string {
  const cache = path.join(os.homedir(), '.cache', 'kcli', 'kafka')
  const versions = fs.existsSync(cache) ? fs.readdirSync(cache).sort() : []
  const lib = versions
    .map((v) => path.join(cache, v, 'lib'))
    .reverse()
    .find((dir) => fs.existsSync(dir))
  if (!lib)
    throw new Error(
      'Kafka jars not found: pass --kafka-lib <kafka>/libs (kcli local start downloads them to ~/.cache/kcli/kafka)',
    )
  return lib
}

async function kafka(): Promise<KafkaModule> {
  const m = (await import('@confluentinc/kafka-javascript')) as unknown as {default?: KafkaModule}
  return (m.default ?? m) as KafkaModule
}

/** Runs a command to the end; resolves with its wall time in ms and its stdout. */
function timed(command: string, args: string[]): Promise<{ms: number; stdout: string}> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr}`))
      else resolve({ms, stdout})
    })
  })
}

async function setUp(k: KafkaModule): Promise<void> {
  await timed(process.execPath, [
    path.join(root, 'bin', 'run.js'),
    'topic',
    'create',
    topic,
    '-p',
    String(partitions),
    '-b',
    brokers,
  ])
  const producer = new k.Producer({'bootstrap.servers': brokers, 'linger.ms': 20, log_level: 3} as never)
  await new Promise<void>((resolve, reject) =>
    producer.connect({timeout: 10_000}, (err) => (err ? reject(err) : resolve())),
  )
  for (let p = 0; p < partitions; p++)
    for (let i = 0; i < recordsPerPartition; i++) producer.produce(topic, p, Buffer.from(`{"i":${i}}`))
  await new Promise<void>((resolve, reject) => producer.flush(30_000, (err) => (err ? reject(err) : resolve())))
  await new Promise<void>((resolve) => producer.disconnect(() => resolve()))

  const consumer = new k.KafkaConsumer(
    {'bootstrap.servers': brokers, 'group.id': group, 'enable.auto.commit': false, log_level: 3} as never,
    {},
  )
  await new Promise<void>((resolve, reject) =>
    consumer.connect({timeout: 10_000}, (err) => (err ? reject(err) : resolve())),
  )
  consumer.commitSync(Array.from({length: partitions}, (_, p) => ({topic, partition: p, offset: committedAt})))
  await new Promise<void>((resolve) => consumer.disconnect(() => resolve()))
}

async function tearDown(k: KafkaModule): Promise<void> {
  const admin = k.AdminClient.create({'bootstrap.servers': brokers, log_level: 3} as never)
  await new Promise<void>((resolve) => admin.deleteGroups([group], {timeout: 10_000}, () => resolve()))
  await new Promise<void>((resolve) => admin.deleteTopic(topic, 30_000, () => resolve()))
  admin.disconnect()
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function main(): Promise<void> {
  const k = await kafka()
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java'
  const kcliArgs = [path.join(root, 'bin', 'run.js'), 'group', 'describe', group, '-b', brokers]
  const kafkaArgs = [
    '-cp',
    path.join(kafkaLib, '*'),
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    '--bootstrap-server',
    brokers,
    '--describe',
    '--group',
    group,
  ]

  console.error(
    `setting up: topic ${topic} with ${partitions} partitions, ${recordsPerPartition} records each, group ${group} committed at offset ${committedAt} everywhere`,
  )
  await setUp(k)
  try {
    // Both must report every partition, or the timing means nothing.
    const rowsOf = (stdout: string) =>
      stdout
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter((cells) => cells.includes(topic) && /^\d+$/.test(cells[cells.indexOf(topic) + 1] ?? '')).length
    const kcliRows = rowsOf((await timed(process.execPath, kcliArgs)).stdout)
    const kafkaRows = rowsOf((await timed(java, kafkaArgs)).stdout)
    if (kcliRows !== partitions || kafkaRows !== partitions)
      throw new Error(
        `expected ${partitions} partition rows, kcli printed ${kcliRows}, ConsumerGroupCommand ${kafkaRows}`,
      )

    const times = {kcli: [] as number[], kafka: [] as number[]}
    // Interleaved, so that a slow moment of a shared machine hits both.
    for (let i = 0; i < runs; i++) {
      times.kcli.push((await timed(process.execPath, kcliArgs)).ms)
      times.kafka.push((await timed(java, kafkaArgs)).ms)
    }
    const kcliMedian = median(times.kcli)
    const kafkaMedian = median(times.kafka)
    const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`
    console.log(
      `group describe, ${partitions} partitions with committed offsets, median of ${runs} runs (wall time, process start to exit)`,
    )
    const row = (label: string, value: string, detail = '') =>
      console.log(`  ${label.padEnd(42)}${value.padEnd(10)}${detail}`.trimEnd())
    row('kcli group describe', fmt(kcliMedian), `runs: ${times.kcli.map(fmt).join(', ')}`)
    row("Kafka's ConsumerGroupCommand --describe", fmt(kafkaMedian), `runs: ${times.kafka.map(fmt).join(', ')}`)
    row('ratio (Kafka / kcli)', `${(kafkaMedian / kcliMedian).toFixed(1)}x`)
  } finally {
    if (opts.keep) console.error(`kept topic ${topic} and group ${group}`)
    else await tearDown(k)
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
