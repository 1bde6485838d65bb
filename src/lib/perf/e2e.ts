// `kcli perf e2e`: one producer and one consumer in the same process. Each value carries its intended send time
// (performance.now(), sub-microsecond and monotonic), and the latency is from then to the moment the consumer's batch
// reaches JavaScript: the write, replication (acks), the fetch and the client library's hand-over, all included.
import type {KafkaConsumer, Message} from '@confluentinc/kafka-javascript'
import {randomUUID} from 'node:crypto'
import {setTimeout as sleep} from 'node:timers/promises'

import {ClusterContext} from '../kafka/cluster.js'
import {adminFrom, connectConsumer} from '../kafka/client.js'
import {listOffsets, tpKey} from '../kafka/offsets.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {consumeBatch, messageBytes} from './consume.js'
import {LatencyHistogram} from './histogram.js'
import {type RunId, fillerValue, newRunId, readStamp, stamp} from './payload.js'
import {type PerfReport, buildReport, liveLine} from './report.js'
import {type TrackClient, controlledRun} from './run-control.js'
import {type PerfSendOptions, connectPerfProducer, sendAndSettle, sendingFigures} from './sender.js'

class ReceiveStats {
  consumed = 0
  bytes = 0
  lastMessageMs = 0
  stopped = false
}

/** How long the consumer may go without reading anything while delivered messages are missing; less after Ctrl-C. */
const catchUpMs = 10_000
const catchUpInterruptedMs = 2_000

export async function runPerfE2e(
  settings: ResolvedSettings,
  options: PerfSendOptions,
  track: TrackClient,
): Promise<PerfReport> {
  const perf = await connectPerfProducer(settings, options, track)
  const tps = perf.partitions.map((partition) => ({topic: options.topic, partition}))
  const on = ClusterContext.over(settings, {client: perf.producer, admin: await adminFrom(perf.producer)})
  const ends = await listOffsets(on, tps, 'latest')

  const {client: consumer} = await connectConsumer(
    settings,
    {
      // Assigned at the end of every partition, not subscribed: no group join, nothing committed.
      'group.id': `kcli-perf-${randomUUID()}`,
      'enable.auto.commit': false,
      // The broker answers a fetch as soon as data arrives; this only bounds a fetch that finds none.
      'fetch.wait.max.ms': 100,
    },
    {'auto.offset.reset': 'latest'},
  )
  track(consumer)
  consumer.setDefaultConsumeTimeout(100)
  // A batch returns as soon as its first message is there, with whatever else has arrived by then.
  ;(
    consumer as unknown as {setDefaultIsTimeoutOnlyForFirstMessage(v: boolean): void}
  ).setDefaultIsTimeoutOnlyForFirstMessage(true)
  consumer.assign(tps.map((tp) => ({...tp, offset: ends.get(tpKey(tp.topic, tp.partition)) ?? 0})))

  const sent = perf.stats
  const received = new ReceiveStats()
  const latency = new LatencyHistogram()
  const run = newRunId()
  const value = fillerValue(options.plan.size)
  const live = () =>
    liveLine('e2e', {sent: sent.sent, consumed: received.consumed}, received.consumed, sent.startedMs, latency)
  return controlledRun(live, async (control) => {
    const reading = receive(consumer, run, received, latency)
    try {
      await sendAndSettle(
        perf,
        options,
        {value, opaque: false, prepare: (seq, intended) => stamp(value, run, seq, intended)},
        control,
      )
      // Wait for the consumer to read back everything delivered (or give up after a while without progress).
      let seen = received.consumed
      let lastProgress = performance.now()
      while (received.consumed < sent.delivered) {
        if (received.consumed !== seen) {
          seen = received.consumed
          lastProgress = performance.now()
        }
        if (performance.now() - lastProgress > (control.interrupted ? catchUpInterruptedMs : catchUpMs)) break
        await sleep(5)
      }
    } finally {
      received.stopped = true
      await reading
    }
    return buildReport({
      command: 'e2e',
      ...sendingFigures(perf, options, control),
      elapsedMs: (received.lastMessageMs || performance.now()) - sent.startedMs,
      consumed: received.consumed,
      messages: received.consumed,
      bytes: received.bytes,
      latency,
    })
  })
}

/** Reads this run's messages until stopped, timing each batch when it reaches JavaScript. */
async function receive(
  consumer: KafkaConsumer,
  run: RunId,
  stats: ReceiveStats,
  latency: LatencyHistogram,
): Promise<void> {
  while (!stats.stopped) {
    let messages: Message[]
    try {
      messages = await consumeBatch(consumer, 1000)
    } catch {
      // Transport errors are retried by librdkafka (and reported as warnings by the client): wait, do not spin.
      await sleep(50)
      continue
    }
    const now = performance.now()
    for (const message of messages) {
      const sentAt = readStamp(message.value, run)
      // Not this run's message (another producer writes to the topic): not counted.
      if (!sentAt) continue
      stats.consumed++
      stats.bytes += messageBytes(message)
      stats.lastMessageMs = now
      latency.record((now - sentAt.sentAtMs) * 1000)
    }
  }
}
