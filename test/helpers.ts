// Shared by the integration tests: run the real CLI as a child process against the suite's broker, and make topics.
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {trustFile} from '../src/lib/settings/trust-store.js'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const bin = path.join(root, 'bin', 'run.js')

/** The reference for kcli's byte-scanning JSON check: what JSON.parse accepts. */
export function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** The suite's broker, started by test/run.ts through `kcli local start`. */
export const brokers = process.env.KCLI_TEST_BROKERS ?? 'localhost:19092'

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: Buffer
  stderr: string
  out: string
}

export interface RunOptions {
  input?: string | Buffer
  /** Another kcli's bin/run.js (a copy of the package, say). */
  bin?: string
  env?: Record<string, string | undefined>
  cwd?: string
  timeoutMs?: number
  /** Leave stdin open (with no input): the test ends the run itself, e.g. with a signal. */
  keepStdinOpen?: boolean
  /** Called once the child runs, e.g. to send it a signal. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void
}

/**
 * An environment with no KCLI_* variables from the developer's shell, no user config directory and no trusted rc files.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('KCLI_') && k !== 'FORCE_COLOR') env[k] = v
  env.XDG_CONFIG_HOME = emptyConfigHome
  env.XDG_DATA_HOME = emptyDataHome
  env.KCLI_BROKERS = brokers
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

const emptyConfigHome = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-test-config-'))
const emptyDataHome = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-test-data-'))
// Every process that imports this file makes the two: gone with it.
process.on('exit', () => {
  for (const dir of [emptyConfigHome, emptyDataHome]) fs.rmSync(dir, {recursive: true, force: true})
})

/**
 * Trusts a project rc file for runs whose XDG_DATA_HOME is `dataHome`, as `kcli config trust` would: for tests about
 * what a trusted file does. Trust itself is tested in test/lib/rc-search.test.ts and test/commands/config.test.ts.
 */
export function trustRcFile(file: string, dataHome: string): void {
  trustFile(fs.realpathSync(file), fs.readFileSync(file), {XDG_DATA_HOME: dataHome})
}

/** Runs `kcli <args>` and collects everything it printed. */
export function kcli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? bin, ...args], {
      cwd: options.cwd ?? os.tmpdir(),
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    let err = ''
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.stdin.on('error', () => {})
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const stdout = Buffer.concat(out)
      resolve({code, signal, stdout, stderr: err, out: stdout.toString('utf8')})
    })
    options.onSpawn?.(child)
    if (options.input !== undefined) child.stdin.end(options.input)
    else if (!options.keepStdinOpen) child.stdin.end()
  })
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
}

/** Creates a topic on the suite's broker with the real admin client. */
export async function createTopic(name: string, partitions = 1, config: Record<string, string> = {}): Promise<string> {
  const {default: Kafka} = (await import('@confluentinc/kafka-javascript')) as unknown as {
    default: typeof import('@confluentinc/kafka-javascript')
  }
  const admin = Kafka.AdminClient.create({'bootstrap.servers': brokers, log_level: 3} as never)
  try {
    await new Promise<void>((resolve, reject) =>
      admin.createTopic({topic: name, num_partitions: partitions, replication_factor: 1, config}, 15_000, (err) =>
        err ? reject(err) : resolve(),
      ),
    )
  } finally {
    admin.disconnect()
  }
  return name
}

export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0)
}

type KafkaModule = typeof import('@confluentinc/kafka-javascript')

/**
 * The client library itself, for what a test must do outside kcli (e.g. commit offsets as some other consumer would).
 */
export async function kafkaLibrary(): Promise<KafkaModule> {
  const m = (await import('@confluentinc/kafka-javascript')) as unknown as {default?: KafkaModule}
  return (m.default ?? m) as KafkaModule
}

type LibraryConsumer = import('@confluentinc/kafka-javascript').KafkaConsumer

/** A consumer of the client library itself, connected and not subscribed: for what a test checks outside kcli. */
export async function libraryConsumer(
  group: string,
  properties: Record<string, string | number | boolean> = {},
  topicProperties: Record<string, string> = {},
): Promise<LibraryConsumer> {
  const {KafkaConsumer} = await kafkaLibrary()
  const consumer = new KafkaConsumer(
    {'bootstrap.servers': brokers, 'group.id': group, log_level: 3, ...properties} as never,
    topicProperties,
  )
  await new Promise<void>((resolve, reject) =>
    consumer.connect({timeout: 10_000}, (err) => (err ? reject(err) : resolve())),
  )
  return consumer
}

export function disconnect(consumer: LibraryConsumer): Promise<void> {
  return new Promise<void>((resolve) => consumer.disconnect(() => resolve()))
}

/** Each partition of a topic with its end offset, as the client library reads them. */
export async function partitionEnds(
  consumer: LibraryConsumer,
  topic: string,
): Promise<Array<{partition: number; end: number}>> {
  const metadata = await new Promise<import('@confluentinc/kafka-javascript').Metadata>((resolve, reject) =>
    consumer.getMetadata({topic, timeout: 10_000}, (err, m) => (err ? reject(err) : resolve(m))),
  )
  const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? []
  const ends = []
  for (const {id} of partitions) {
    const end = await new Promise<number>((resolve, reject) =>
      consumer.queryWatermarkOffsets(topic, id, 10_000, (err, o) => (err ? reject(err) : resolve(o.highOffset))),
    )
    ends.push({partition: id, end})
  }
  return ends
}

/** How many messages a topic holds: the sum of its partitions' end offsets. */
export async function storedCount(consumer: LibraryConsumer, topic: string): Promise<number> {
  return (await partitionEnds(consumer, topic)).reduce((sum, p) => sum + p.end, 0)
}

/**
 * Waits until the topic holds at least `count` messages (polling every 20 ms) or `timeoutMs` passes; returns how many
 * it holds then. For a test that must act once a run's first messages are in, however slowly the machine starts it.
 */
export async function waitForStored(
  consumer: LibraryConsumer,
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<number> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const stored = await storedCount(consumer, topic)
    if (stored >= count || Date.now() >= until) return stored
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Commits offsets for a group without joining it, as a consumer that assigns partitions itself would. */
export async function commitOffsets(
  group: string,
  offsets: Array<{topic: string; partition: number; offset: number}>,
): Promise<void> {
  const consumer = await libraryConsumer(group, {'enable.auto.commit': false})
  try {
    consumer.commitSync(offsets)
  } finally {
    await disconnect(consumer)
  }
}

/** A group member that keeps consuming (and so stays in the group) until it is disconnected. */
export async function liveMember(
  group: string,
  topic: string,
  properties: Record<string, string> = {},
): Promise<LibraryConsumer> {
  const c = await libraryConsumer(group, properties, {'auto.offset.reset': 'earliest'})
  c.subscribe([topic])
  // Consuming drives the group protocol (and commits); the loop stops by itself once the consumer is disconnected.
  const poll = (): void => {
    if (c.isConnected()) c.consume(10, () => setTimeout(poll, 50))
  }
  poll()
  return c
}

/**
 * A folder with a `kcli` that runs this checkout's bin/run.js, to put first on the PATH of shells (completion scripts,
 * examples/), as an installed kcli would be.
 */
export function kcliOnPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcli-bin-'))
  fs.writeFileSync(path.join(dir, 'kcli'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`, {mode: 0o755})
  return dir
}
