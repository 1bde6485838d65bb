// The fault suite's 3-node cluster: its nodes, killing and restarting them, topics on it, and reading a topic back
// with the client library itself (never through kcli), so outcomes are checked independently of kcli's summaries.
import {type ChildProcess, spawn} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import {bin, brokers, cleanEnv, kafkaLibrary, kcli, uniqueName} from '../helpers.js'

const stateDir = process.env.KCLI_FAULT_STATE_DIR ?? ''

export interface Node {
  id: number
  port: number
  pid: number | null
  running: boolean
}

export async function nodes(): Promise<Node[]> {
  const status = await kcli(['local', 'status', '--json', '--state-dir', stateDir])
  return (JSON.parse(status.out) as {nodes: Node[]}).nodes
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Sends a signal to a node's broker; waits until it is gone for SIGKILL and SIGTERM (a controlled shutdown). */
export async function signalNode(id: number, signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): Promise<void> {
  const node = (await nodes()).find((n) => n.id === id)
  if (!node?.pid) throw new Error(`node ${id} is not running`)
  process.kill(node.pid, signal)
  if (signal === 'SIGKILL' || signal === 'SIGTERM') while (alive(node.pid)) await sleep(50)
}

/** SIGKILLs a node's broker and waits until it is gone. */
export const killNode = (id: number) => signalNode(id, 'SIGKILL')

/** `kcli local start` on the running cluster: restarts the nodes that are down. */
export function restartDownNodes(): Promise<{code: number | null; stderr: string}> {
  return kcli(['local', 'start', '--state-dir', stateDir], {timeoutMs: 180_000})
}

export function stopCluster(): Promise<{code: number | null}> {
  return kcli(['local', 'stop', '--state-dir', stateDir], {timeoutMs: 120_000})
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The node whose controller leads the metadata quorum now (from the quorum state the nodes keep on disk). */
export function activeController(): number {
  let best = {leaderId: -1, leaderEpoch: -1}
  for (const dir of fs.readdirSync(path.join(stateDir, 'data'))) {
    const file = path.join(stateDir, 'data', dir, '__cluster_metadata-0', 'quorum-state')
    if (!fs.existsSync(file)) continue
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as {leaderId: number; leaderEpoch: number}
    if (state.leaderEpoch > best.leaderEpoch) best = state
  }
  return best.leaderId
}

/** Bytes in a partition's log segments on one node's disk: what it has appended, acknowledged or not. */
export function logBytes(id: number, topic: string, partition: number): number {
  const dir = path.join(stateDir, 'data', `node-${id}`, `${topic}-${partition}`)
  if (!fs.existsSync(dir)) return 0
  let bytes = 0
  for (const file of fs.readdirSync(dir)) if (file.endsWith('.log')) bytes += fs.statSync(path.join(dir, file)).size
  return bytes
}

type Admin = import('@confluentinc/kafka-javascript').IAdminClient

async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const Kafka = await kafkaLibrary()
  const admin = Kafka.AdminClient.create({'bootstrap.servers': brokers, log_level: 0} as never)
  try {
    return await use(admin)
  } finally {
    admin.disconnect()
  }
}

/** A topic replicated on all three nodes, min.insync.replicas=2 (the cluster's defaults). */
export async function createTopic(
  name: string,
  partitions: number,
  config: Record<string, string> = {},
): Promise<string> {
  await withAdmin(
    (admin) =>
      new Promise<void>((resolve, reject) =>
        admin.createTopic({topic: name, num_partitions: partitions, replication_factor: 3, config}, 30_000, (err) =>
          err ? reject(err) : resolve(),
        ),
      ),
  )
  return name
}

/** The node that leads a partition. */
export async function leaderOf(topic: string, partition: number): Promise<number> {
  return (await replicasOf(topic, partition)).leader
}

/** A partition's leader and its replicas in their assigned order. */
export async function replicasOf(topic: string, partition: number): Promise<{leader: number; replicas: number[]}> {
  const Kafka = await kafkaLibrary()
  const producer = new Kafka.Producer({'bootstrap.servers': brokers, log_level: 0} as never)
  await new Promise<void>((resolve, reject) =>
    producer.connect({timeout: 20_000}, (err) => (err ? reject(err) : resolve())),
  )
  try {
    // A topic just created may not be in the metadata of the broker asked yet.
    for (const deadline = Date.now() + 10_000; ; await sleep(100)) {
      const metadata = await new Promise<import('@confluentinc/kafka-javascript').Metadata>((resolve, reject) =>
        producer.getMetadata({topic, timeout: 20_000}, (err, m) => (err ? reject(err) : resolve(m))),
      )
      const found = metadata.topics.find((t) => t.name === topic)?.partitions.find((p) => p.id === partition)
      if (found !== undefined && found.leader >= 0) return {leader: found.leader, replicas: found.replicas}
      if (Date.now() > deadline) throw new Error(`no leader for ${topic}[${partition}]`)
    }
  } finally {
    await new Promise((resolve) => producer.disconnect(resolve))
  }
}

/** A new one-partition topic whose leader and replicas `accept` takes (12 tries), for cases that stop a node. */
export async function placedTopic(
  prefix: string,
  accept: (placement: {leader: number; replicas: number[]}) => boolean,
): Promise<{topic: string; leader: number; replicas: number[]}> {
  for (let attempt = 1; attempt <= 12; attempt++) {
    const topic = await createTopic(uniqueName(prefix), 1)
    const placement = await replicasOf(topic, 0)
    if (accept(placement)) return {topic, ...placement}
  }
  throw new Error(
    `no topic ${prefix}-* placed as the case needs in 12 tries (active controller: ${activeController()})`,
  )
}

/** Every value of a topic, read from the beginning to the end each partition has now; retried while nodes come back. */
export async function readValues(topic: string): Promise<string[]> {
  const Kafka = await kafkaLibrary()
  for (let attempt = 1; ; attempt++) {
    const consumer = new Kafka.KafkaConsumer(
      {
        'bootstrap.servers': brokers,
        'group.id': `readback-${Date.now()}`,
        'enable.auto.commit': false,
        log_level: 0,
      } as never,
      {},
    )
    try {
      await new Promise<void>((resolve, reject) =>
        consumer.connect({timeout: 20_000}, (err) => (err ? reject(err) : resolve())),
      )
      const partitions = await partitionsInSync(consumer, topic)
      const ends = await settledEnds(consumer, topic, partitions)
      const values: string[] = []
      const pending = new Set(partitions.filter((p) => (ends.get(p) ?? 0) > 0))
      consumer.assign(partitions.filter((p) => pending.has(p)).map((p) => ({topic, partition: p, offset: 0})))
      const deadline = Date.now() + 120_000
      while (pending.size > 0) {
        if (Date.now() > deadline) throw new Error(`reading ${topic} back timed out`)
        const batch = await new Promise<import('@confluentinc/kafka-javascript').Message[]>((resolve, reject) =>
          consumer.consume(1000, (err, m) => (err ? reject(err) : resolve(m))),
        )
        for (const m of batch) {
          values.push(m.value?.toString() ?? '')
          if (m.offset + 1 >= (ends.get(m.partition) ?? 0)) pending.delete(m.partition)
        }
      }
      return values
    } catch (error) {
      if (attempt >= 5) throw error
      await sleep(3000)
    } finally {
      await new Promise((resolve) => consumer.disconnect(resolve))
    }
  }
}

/** Distinct ids and how many appear more than once, from JSON values `{"id":N,...}` (or lines of consume output). */
export function countIds(values: string[], total: number): {distinct: Set<number>; lost: number; duplicated: number} {
  const distinct = new Set<number>()
  let duplicated = 0
  for (const v of values) {
    const id = (JSON.parse(v) as {id: number}).id
    if (distinct.has(id)) duplicated++
    else distinct.add(id)
  }
  let lost = 0
  for (let id = 0; id < total; id++) if (!distinct.has(id)) lost++
  return {distinct, lost, duplicated}
}

export interface Running {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<number | null>
  exitedAt: () => number | undefined
}

/** Starts kcli with a pipe on stdin (the test feeds it) and collects its output. */
export function startKcli(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [bin, ...args], {env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe']})
  let out = ''
  let err = ''
  let exitedAt: number | undefined
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  child.stdin!.on('error', () => {})
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      exitedAt = Date.now()
      resolve(code)
    }),
  )
  return {child, stdout: () => out, stderr: () => err, exited, exitedAt: () => exitedAt}
}

/** Writes `total` lines `{"id":N,...}` in chunks, pausing between them, so that faults land mid-stream. */
export async function feed(
  run: Running,
  total: number,
  options: {chunk: number; pauseMs: number; onChunk?: (sent: number) => Promise<void> | void},
): Promise<void> {
  const pad = 'x'.repeat(100)
  for (let sent = 0; sent < total;) {
    const n = Math.min(options.chunk, total - sent)
    let text = ''
    for (let i = 0; i < n; i++) text += `{"id":${sent + i},"pad":"${pad}"}\n`
    if (!run.child.stdin!.write(text)) await new Promise((resolve) => run.child.stdin!.once('drain', resolve))
    sent += n
    await options.onChunk?.(sent)
    await sleep(options.pauseMs)
  }
  run.child.stdin!.end()
}

/** kcli's own summary figure, e.g. "59000 delivered". */
export function summaryCount(stderr: string, word: string): number | undefined {
  const match = new RegExp(`(\\d+) ${word}`).exec(stderr)
  return match ? Number(match[1]) : undefined
}

type LibraryConsumer = import('@confluentinc/kafka-javascript').KafkaConsumer

/**
 * The topic's partitions, once every replica is back in sync (up to a minute): after a fault, a restarted node catches
 * up before it rejoins the in-sync replicas, and the messages beyond the high watermark are not readable yet.
 */
async function partitionsInSync(consumer: LibraryConsumer, topic: string): Promise<number[]> {
  for (let wait = 0; ; wait++) {
    const metadata = await new Promise<import('@confluentinc/kafka-javascript').Metadata>((resolve, reject) =>
      consumer.getMetadata({topic, timeout: 20_000}, (err, m) => (err ? reject(err) : resolve(m))),
    )
    const described = metadata.topics.find((t) => t.name === topic)?.partitions ?? []
    if (!described.some((p) => p.isrs.length < p.replicas.length)) return described.map((p) => p.id)
    if (wait === 30) throw new Error(`${topic}: replicas still out of sync after a minute`)
    await sleep(2000)
  }
}

/**
 * Each partition's high watermark once it has stopped moving (the same twice, a second apart): a follower that is in
 * sync but behind holds it back until it has fetched what the leader has.
 */
async function settledEnds(
  consumer: LibraryConsumer,
  topic: string,
  partitions: number[],
): Promise<Map<number, number>> {
  const query = async () => {
    const ends = new Map<number, number>()
    for (const p of partitions) {
      const {highOffset} = await new Promise<{highOffset: number}>((resolve, reject) =>
        consumer.queryWatermarkOffsets(topic, p, 20_000, (err, w) => (err ? reject(err) : resolve(w))),
      )
      ends.set(p, highOffset)
    }
    return ends
  }
  let ends = await query()
  for (let wait = 0; wait < 30; wait++) {
    await sleep(1000)
    const again = await query()
    if (partitions.every((p) => again.get(p) === ends.get(p))) return again
    ends = again
  }
  throw new Error(`${topic}: high watermarks still moving after 30 s`)
}
