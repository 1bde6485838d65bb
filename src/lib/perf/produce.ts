// `kcli perf produce`: throughput, and delivery latency from each message's (intended) send time to its report.
import type {DeliveryReport} from '@confluentinc/kafka-javascript'

import {type ClientProperties, connectProducer} from '../kafka/client.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {LatencyHistogram} from './histogram.js'
import {fillerValue} from './payload.js'
import type {PerfPlan} from './plan.js'
import {type PerfReport, latencySummary, liveLine, settingsOf, throughput} from './report.js'
import {type TrackClient, controlledRun} from './run-control.js'
import {SendStats, awaitDeliveries, countDeliveries, sendMessages, startPolling} from './sender.js'
import {perfTopic} from './topic.js'

/**
 * Send times by sequence number, in a ring: the sequence number travels as the message's opaque and comes back in its
 * delivery report (every report is read, so no opaque is left behind). Memory is fixed; the sender never has more
 * than `capacity` messages in flight, so a slot is not reused before its report came back.
 */
export class SendTimes {
  static readonly capacity = 1 << 18
  private readonly times = new Float64Array(SendTimes.capacity)

  set(seq: number, ms: number): void {
    this.times[seq & (SendTimes.capacity - 1)] = ms
  }

  get(seq: number): number {
    return this.times[seq & (SendTimes.capacity - 1)]
  }
}

export interface PerfProduceOptions {
  topic: string
  plan: PerfPlan
  producerProperties: ClientProperties
  create?: {partitions: number}
}

/** After the last send, how long deliveries may take: librdkafka's message timeout plus a margin; less after Ctrl-C. */
const settleMarginMs = 10_000

export async function runPerfProduce(
  settings: ResolvedSettings,
  options: PerfProduceOptions,
  track: TrackClient,
): Promise<PerfReport> {
  const {client: producer} = await connectProducer(settings, {
    ...options.producerProperties,
    dr_cb: true,
    // Every report, successes too: each one times a message.
    'delivery.report.only.error': false,
  })
  track(producer)
  const partitions = await perfTopic(producer, settings, options.topic, options.create)

  const stats = new SendStats()
  const latency = new LatencyHistogram()
  const sendTimes = new SendTimes()
  countDeliveries(producer, stats, (report: DeliveryReport, now: number) =>
    latency.record((now - sendTimes.get(report.opaque as number)) * 1000),
  )
  startPolling(producer, options.plan)

  const live = () =>
    liveLine(
      'producing',
      [
        ['sent', stats.sent],
        ['delivered', stats.delivered],
      ],
      stats.delivered,
      performance.now() - stats.startedMs,
      latency,
    )
  return controlledRun(live, async (control) => {
    await sendMessages(
      {
        producer,
        topic: options.topic,
        plan: options.plan,
        value: fillerValue(options.plan.size),
        opaque: true,
        prepare: (seq, intended) => sendTimes.set(seq, intended),
        mayQueue: () => stats.inFlight < SendTimes.capacity,
        control,
      },
      stats,
    )
    const messageTimeoutMs = Number(options.producerProperties['message.timeout.ms'] ?? 300_000)
    const settled = await awaitDeliveries(
      producer,
      options.plan,
      stats,
      control.interrupted ? settleMarginMs : messageTimeoutMs + settleMarginMs,
    )
    if (!settled) stats.fail('not confirmed before the run ended', stats.inFlight)
    const elapsedMs = (stats.lastReportMs || performance.now()) - stats.startedMs
    return {
      command: 'produce',
      topic: options.topic,
      partitions: partitions.length,
      settings: settingsOf(options.plan, acksName(options.producerProperties.acks)),
      interrupted: control.interrupted,
      elapsedMs: Math.round(elapsedMs * 1000) / 1000,
      sent: stats.sent,
      delivered: stats.delivered,
      failed: stats.failed,
      consumed: null,
      bytes: stats.deliveredBytes,
      ...throughput(stats.delivered, stats.deliveredBytes, elapsedMs),
      latencyMs: latencySummary(latency),
      failures: stats.failureList(),
    } satisfies PerfReport
  })
}

/** acks as a person writes it: all, 1 or 0. */
export function acksName(acks: unknown): string {
  const text = String(acks ?? '-1')
  return text === '-1' || text === 'all' ? 'all' : text
}
