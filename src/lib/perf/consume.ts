// `kcli perf consume`: how fast the topic can be read from the beginning, by a consumer assigned to every partition
// (no group), up to the end each partition had when the run started.
import type {KafkaConsumer, Message} from '@confluentinc/kafka-javascript'
import {randomUUID} from 'node:crypto'
import {setTimeout as sleep} from 'node:timers/promises'

import {RdCode} from '../errors.js'
import {ClusterContext} from '../kafka/cluster.js'
import {adminFrom, connectConsumer} from '../kafka/client.js'
import {tpKey, watermarks} from '../kafka/offsets.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import type {PerfPlan} from './plan.js'
import {type PerfReport, buildReport, liveLine, settingsOf} from './report.js'
import {type RunControl, type TrackClient, controlledRun} from './run-control.js'
import {perfTopic} from './topic.js'

export interface PerfConsumeOptions {
  topic: string
  plan: Pick<PerfPlan, 'count' | 'durationMs'>
}

/** Where each partition stops: its end offset when the run started. */
interface PartitionRange {
  stop: number
  done: boolean
}

class ConsumeStats {
  startedMs = performance.now()
  consumed = 0
  bytes = 0
  lastMessageMs = 0
}

// Large batches: the binding's per-message conversion is the floor, the fewer crossings into JavaScript the better.
const batchSize = 10_000

export async function runPerfConsume(
  settings: ResolvedSettings,
  options: PerfConsumeOptions,
  track: TrackClient,
): Promise<PerfReport> {
  const {client: consumer} = await connectConsumer(
    settings,
    {
      // Assigned, not subscribed: this id never joins a group or commits, so it leaves no trace on the broker.
      'group.id': `kcli-perf-${randomUUID()}`,
      'enable.auto.commit': false,
      'enable.partition.eof': true,
      // librdkafka's default back-off of 1 s between fetches of a full queue halves the throughput.
      'fetch.queue.backoff.ms': 20,
    },
    {'auto.offset.reset': 'earliest'},
  )
  track(consumer)
  const partitions = await perfTopic(consumer, settings, options.topic)
  const tps = partitions.map((partition) => ({topic: options.topic, partition}))
  const readCommitted = (settings.properties['isolation.level'] ?? 'read_committed') !== 'read_uncommitted'
  const on = ClusterContext.over(settings, {client: consumer, admin: await adminFrom(consumer)})
  const marks = await watermarks(on, tps, {readCommitted})
  const ranges = new Map<number, PartitionRange>()
  for (const {partition} of tps) {
    const mark = marks.get(tpKey(options.topic, partition)) ?? {low: 0, high: 0}
    ranges.set(partition, {stop: mark.high, done: mark.low >= mark.high})
  }
  // The end may hold transaction markers that never arrive as messages: reaching it counts as done.
  consumer.on('partition.eof', (eof) => {
    const range = ranges.get(eof.partition)
    if (range && eof.offset >= range.stop) range.done = true
  })
  consumer.setDefaultConsumeTimeout(100)
  ;(
    consumer as unknown as {setDefaultIsTimeoutOnlyForFirstMessage(v: boolean): void}
  ).setDefaultIsTimeoutOnlyForFirstMessage(true)

  const stats = new ConsumeStats()
  const live = () => liveLine('consuming', {consumed: stats.consumed}, stats.consumed, stats.startedMs)
  return controlledRun(live, async (control) => {
    stats.startedMs = performance.now()
    consumer.assign(tps.map((tp) => ({...tp, offset: marks.get(tpKey(tp.topic, tp.partition))?.low ?? 0})))
    await readUntilDone(consumer, options.plan, ranges, stats, control)
    return buildReport({
      command: 'consume',
      topic: options.topic,
      partitions: partitions.length,
      settings: settingsOf(options.plan, null),
      interrupted: control.interrupted,
      elapsedMs: (stats.lastMessageMs || performance.now()) - stats.startedMs,
      consumed: stats.consumed,
      messages: stats.consumed,
      bytes: stats.bytes,
    })
  })
}

export function consumeBatch(consumer: KafkaConsumer, size: number): Promise<Message[]> {
  return new Promise((resolve, reject) =>
    consumer.consume(size, (err, messages) => (err ? reject(err) : resolve(messages))),
  )
}

export function messageBytes(message: Pick<Message, 'size' | 'key'>): number {
  const key = message.key
  return message.size + (typeof key === 'string' ? Buffer.byteLength(key) : (key?.length ?? 0))
}

async function readUntilDone(
  consumer: KafkaConsumer,
  plan: PerfConsumeOptions['plan'],
  ranges: Map<number, PartitionRange>,
  stats: ConsumeStats,
  control: RunControl,
): Promise<void> {
  const limit = plan.count ?? Number.POSITIVE_INFINITY
  const deadline = plan.durationMs === undefined ? Infinity : stats.startedMs + plan.durationMs
  const allDone = () => [...ranges.values()].every((r) => r.done)
  while (!control.stopped && stats.consumed < limit && !allDone() && performance.now() < deadline) {
    let messages: Message[]
    try {
      messages = await consumeBatch(consumer, batchSize)
    } catch (error) {
      // Transport errors are retried by librdkafka (and reported as warnings by the client): wait, do not spin.
      if ((error as {code?: number}).code !== RdCode.partitionEof) await sleep(50)
      continue
    }
    const now = performance.now()
    for (const message of messages) {
      const range = ranges.get(message.partition)
      if (!range || message.offset >= range.stop) {
        if (range) range.done = true
        continue
      }
      if (stats.consumed >= limit) break
      stats.consumed++
      stats.bytes += messageBytes(message)
      stats.lastMessageMs = now
      if (message.offset + 1 >= range.stop) range.done = true
    }
  }
}
