// `kcli perf e2e`: one producer and one consumer in the same process. Each value carries its intended send time
// (performance.now(), sub-microsecond and monotonic), and the latency is from then to the moment the consumer's batch
// reaches JavaScript: the write, replication (acks), the fetch and the client library's hand-over, all included.
import type {KafkaConsumer, Message} from '@confluentinc/kafka-javascript'
import {randomUUID} from 'node:crypto'
import {setTimeout as sleep} from 'node:timers/promises'

import {type ClientProperties, adminFrom, connectConsumer, connectProducer} from '../kafka/client.js'
import {listOffsets, tpKey} from '../kafka/offsets.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {consumeBatch, messageBytes} from './consume.js'
import {LatencyHistogram} from './histogram.js'
import {type RunId, fillerValue, newRunId, readStamp, stamp} from './payload.js'
import type {PerfPlan} from './plan.js'
import {acksName} from './produce.js'
import {type PerfReport, latencySummary, liveLine, settingsOf, throughput} from './report.js'
import {type TrackClient, controlledRun} from './run-control.js'
import {SendStats, awaitDeliveries, countDeliveries, sendMessages, startPolling} from './sender.js'
import {perfTopic} from './topic.js'

export interface PerfE2eOptions {
  topic: string
  plan: PerfPlan
  producerProperties: ClientProperties
  create?: {partitions: number}
}

class ReceiveStats {
  consumed = 0
  bytes = 0
  lastMessageMs = 0
  stopped = false
}

/** How long the consumer may take to read back what was delivered, after the last delivery; less after Ctrl-C. */
const catchUpMs = 10_000
const catchUpInterruptedMs = 2_000

export async function runPerfE2e(
  settings: ResolvedSettings,
  options: PerfE2eOptions,
  track: TrackClient,
): Promise<PerfReport> {
  const {client: producer} = await connectProducer(settings, {
    ...options.producerProperties,
    dr_cb: true,
    'delivery.report.only.error': false,
  })
  track(producer)
  const partitions = await perfTopic(producer, settings, options.topic, options.create)
  const tps = partitions.map((partition) => ({topic: options.topic, partition}))
  const ends = await listOffsets(await adminFrom(producer), tps, 'latest', settings.timeoutMs)

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

  const sent = new SendStats()
  const received = new ReceiveStats()
  const latency = new LatencyHistogram()
  countDeliveries(producer, sent)
  startPolling(producer, options.plan)
  const run = newRunId()
  const value = fillerValue(options.plan.size)

  const live = () =>
    liveLine(
      'e2e',
      [
        ['sent', sent.sent],
        ['consumed', received.consumed],
      ],
      received.consumed,
      performance.now() - sent.startedMs,
      latency,
    )
  return controlledRun(live, async (control) => {
    const reading = receive(consumer, run, received, latency)
    try {
      await sendMessages(
        {
          producer,
          topic: options.topic,
          plan: options.plan,
          value,
          opaque: false,
          prepare: (seq, intended) => stamp(value, run, seq, intended),
          control,
        },
        sent,
      )
      const messageTimeoutMs = Number(options.producerProperties['message.timeout.ms'] ?? 300_000)
      if (!(await awaitDeliveries(producer, options.plan, sent, control.interrupted ? 10_000 : messageTimeoutMs)))
        sent.fail('not confirmed before the run ended', sent.inFlight)
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
    const elapsedMs = (received.lastMessageMs || performance.now()) - sent.startedMs
    return {
      command: 'e2e',
      topic: options.topic,
      partitions: partitions.length,
      settings: settingsOf(options.plan, acksName(options.producerProperties.acks)),
      interrupted: control.interrupted,
      elapsedMs: Math.round(elapsedMs * 1000) / 1000,
      sent: sent.sent,
      delivered: sent.delivered,
      failed: sent.failed,
      consumed: received.consumed,
      bytes: received.bytes,
      ...throughput(received.consumed, received.bytes, elapsedMs),
      latencyMs: latencySummary(latency),
      failures: sent.failureList(),
    } satisfies PerfReport
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
