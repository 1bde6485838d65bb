// `kcli perf produce`: throughput, and delivery latency from each message's (intended) send time to its report.
import type {ResolvedSettings} from '../settings/resolve.js'
import {LatencyHistogram} from './histogram.js'
import {fillerValue} from './payload.js'
import {type PerfReport, buildReport, liveLine} from './report.js'
import {type TrackClient, controlledRun} from './run-control.js'
import {type PerfSendOptions, connectPerfProducer, sendAndSettle, sendingFigures} from './sender.js'

/**
 * Send times by sequence number, in a ring: the sequence number travels as the message's opaque and comes back in its
 * delivery report (every report is read, so no opaque is left behind). Memory is fixed (2 MiB); the sender never has
 * more than `capacity` messages in flight, so a slot is not reused before its report came back.
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

export async function runPerfProduce(
  settings: ResolvedSettings,
  options: PerfSendOptions,
  track: TrackClient,
): Promise<PerfReport> {
  const latency = new LatencyHistogram()
  const sendTimes = new SendTimes()
  const perf = await connectPerfProducer(settings, options, track, (report, now) =>
    latency.record((now - sendTimes.get(report.opaque as number)) * 1000),
  )
  const {stats} = perf
  const maxInFlight = inFlightWindow(settings, options)
  const live = () =>
    liveLine('producing', {sent: stats.sent, delivered: stats.delivered}, stats.delivered, stats.startedMs, latency)
  return controlledRun(live, async (control) => {
    await sendAndSettle(
      perf,
      options,
      {
        value: fillerValue(options.plan.size),
        opaque: true,
        prepare: (seq, intended) => sendTimes.set(seq, intended),
        mayQueue: () => stats.inFlight < maxInFlight,
      },
      control,
    )
    return buildReport({
      command: 'produce',
      ...sendingFigures(perf, options, control),
      elapsedMs: (stats.lastReportMs || performance.now()) - stats.startedMs,
      messages: stats.delivered,
      bytes: stats.deliveredBytes,
      latency,
    })
  })
}

/**
 * How many messages may be in flight (sent, their report not yet read): the producer's queue size, so that at
 * --rate max "a full queue" means the same with and without the reports still on their way to JavaScript (the binding
 * hands them over a hundred per event-loop turn). Latency at max is mostly this queue: -X queue.buffering.max.messages
 * trades throughput for it.
 */
export function inFlightWindow(settings: Pick<ResolvedSettings, 'properties'>, options: PerfSendOptions): number {
  const key = 'queue.buffering.max.messages'
  const configured = Number(settings.properties[key] ?? options.producerProperties[key] ?? 100_000)
  return Math.max(1, Math.min(SendTimes.capacity, Number.isFinite(configured) ? configured : SendTimes.capacity))
}
