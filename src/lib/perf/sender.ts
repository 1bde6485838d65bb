// The producing side of `perf produce` and `perf e2e`: sends on a fixed-rate schedule or as fast as the client takes
// messages, and counts every delivery report. The same value buffer is reused for every message (produce() copies it).
import type {DeliveryReport, LibrdKafkaError, Producer} from '@confluentinc/kafka-javascript'
import {setTimeout as sleep} from 'node:timers/promises'

import {RdCode, isLibrdkafkaError} from '../errors.js'
import {type ClientProperties, connectProducer} from '../kafka/client.js'
import {add, failureReason, mayBeStored, total} from '../produce/delivery.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {type PerfPlan, messagesToSend} from './plan.js'
import {type RunFigures, settingsOf} from './report.js'
import type {RunControl, TrackClient} from './run-control.js'
import {RateSchedule} from './schedule.js'
import {perfTopic} from './topic.js'

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Counts of what was sent and what the delivery reports said. */
export class SendStats {
  /** performance.now() when sending started: the first message's intended send time. */
  startedMs = performance.now()
  /** Handed to produce() and accepted or refused on the spot. */
  sent = 0
  /** Settled: a delivery report arrived, or produce() refused the message (no report follows then). */
  settled = 0
  delivered = 0
  deliveredBytes = 0
  /** performance.now() of the last delivery report. */
  lastReportMs = 0
  /**
   * Set when the run stops waiting for reports: what was still in flight is counted not confirmed then, so a report
   * arriving later (e2e waits on for its consumer) must not count the same message a second time.
   */
  closed = false
  /** Certainly not stored, by reason. */
  readonly failures = new Map<string, number>()
  /** Reported failed or never settled, but possibly stored (sent, and the answer lost or late), by reason. */
  readonly unconfirmed = new Map<string, number>()

  get failed(): number {
    return total(this.failures)
  }

  get notConfirmed(): number {
    return total(this.unconfirmed)
  }

  get inFlight(): number {
    return this.sent - this.settled
  }

  fail(reason: string, count = 1): void {
    add(this.failures, reason, count)
  }

  unconfirm(reason: string, count = 1): void {
    add(this.unconfirmed, reason, count)
  }

  failureList(): Array<{reason: string; count: number}> {
    return reasons(this.failures)
  }

  unconfirmedList(): Array<{reason: string; count: number}> {
    return reasons(this.unconfirmed)
  }
}

const reasons = (byReason: Map<string, number>) => [...byReason].map(([reason, count]) => ({reason, count}))

export interface PerfSendOptions {
  topic: string
  plan: PerfPlan
  producerProperties: ClientProperties
  create?: {partitions: number}
}

export interface PerfProducer {
  producer: Producer
  /** Partition ids of the topic. */
  partitions: number[]
  stats: SendStats
}

/**
 * Connects a producer that hands every delivery report to JavaScript, successes too (each one settles a message), on
 * the run's topic (created first with --create). `onDelivered` gets each success with the time it arrived.
 */
export async function connectPerfProducer(
  settings: ResolvedSettings,
  options: PerfSendOptions,
  track: TrackClient,
  onDelivered?: (report: DeliveryReport, nowMs: number) => void,
): Promise<PerfProducer> {
  const {client: producer} = await connectProducer(settings, {
    ...options.producerProperties,
    dr_cb: true,
    'delivery.report.only.error': false,
  })
  track(producer)
  const partitions = await perfTopic(producer, settings, options.topic, options.create)
  const stats = new SendStats()
  countDeliveries(producer, stats, onDelivered)
  startPolling(producer, options.plan)
  return {producer, partitions, stats}
}

function countDeliveries(
  producer: Producer,
  stats: SendStats,
  onDelivered?: (report: DeliveryReport, nowMs: number) => void,
): void {
  producer.on('delivery-report', (err: LibrdKafkaError | null, report: DeliveryReport) => {
    if (stats.closed) return
    const now = performance.now()
    stats.settled++
    stats.lastReportMs = now
    if (err) {
      // As produce counts them (produce/delivery.ts): a message that may be in the topic is never called failed.
      const stored = mayBeStored(err, report)
      if (stored) stats.unconfirm(failureReason(err, true))
      else stats.fail(failureReason(err, false))
      return
    }
    stats.delivered++
    stats.deliveredBytes += report.size + (report.key?.length ?? 0)
    onDelivered?.(report, now)
  })
}

/**
 * Delivery reports reach JavaScript only when the client is polled. At a fixed rate librdkafka's background thread
 * polls, so a report is timed when it arrives, whatever the send loop is waiting for; at --rate max the send loop
 * polls on every turn instead, which keeps the work on one thread (the background thread cost a third of the
 * throughput on two cores).
 */
function startPolling(producer: Producer, plan: PerfPlan): void {
  if (plan.rate !== 'max') producer.setPollInBackground(true)
}

export interface SendOptions {
  value: Buffer
  /** Called before each message is handed over, with its intended send time (performance.now() ms). */
  prepare?: (seq: number, intendedMs: number) => void
  /** Pass the sequence number as the message's opaque, to find it again in its delivery report. */
  opaque: boolean
  /** False while no more messages may be in flight. */
  mayQueue?: () => boolean
}

/** After the last send, how long deliveries may take: librdkafka's message timeout plus a margin; less after Ctrl-C. */
const settleMarginMs = 10_000

/**
 * Sends what the plan asks for (or until Ctrl-C), then waits for every delivery report; messages still without one
 * when the wait ends are not confirmed (they may have been stored).
 */
export async function sendAndSettle(
  perf: PerfProducer,
  run: PerfSendOptions,
  send: SendOptions,
  control: RunControl,
): Promise<void> {
  await sendMessages(perf, run, send, control)
  const messageTimeoutMs = Number(run.producerProperties['message.timeout.ms'] ?? 300_000)
  const limit = control.interrupted ? settleMarginMs : messageTimeoutMs + settleMarginMs
  if (!(await awaitDeliveries(perf, run.plan, limit)))
    perf.stats.unconfirm('no delivery report before the run ended', perf.stats.inFlight)
  perf.stats.closed = true
}

/** Messages handed over before the loop yields, so reports, timers and signals get their turn. */
const burst = 1000

/** Sends until the plan's count or duration is reached, or until stopped. */
async function sendMessages(
  {producer, stats}: PerfProducer,
  {topic, plan}: PerfSendOptions,
  options: SendOptions,
  control: RunControl,
): Promise<void> {
  const total = messagesToSend(plan)
  const startMs = performance.now()
  stats.startedMs = startMs
  const schedule = plan.rate === 'max' ? undefined : new RateSchedule(plan.rate, startMs, total)
  const deadline = plan.rate === 'max' && plan.durationMs !== undefined ? startMs + plan.durationMs : Infinity
  let seq = 0
  while (seq < total && !control.stopped) {
    const now = performance.now()
    if (now >= deadline) break
    // At most a burst per turn: a loop far behind its schedule still lets reports, timers and signals in.
    const due = Math.min(schedule ? schedule.dueBy(now) : total, seq + burst)
    let blocked = false
    while (seq < due) {
      if (options.mayQueue && !options.mayQueue()) {
        blocked = true
        break
      }
      const intended = schedule ? schedule.intendedAt(seq) : performance.now()
      options.prepare?.(seq, intended)
      if (!handOver(producer, topic, options, seq, stats)) {
        blocked = true
        break
      }
      seq++
    }
    if (!schedule) {
      // Keep librdkafka's queue full: poll for reports, then straight on (a timer would cap the rate).
      producer.poll()
      await nextTurn()
    } else if (blocked) {
      // Behind: the client's queue is full. Latencies count from the intended times, so the delay is measured.
      await sleep(1)
    } else {
      const wait = schedule.waitFor(seq, performance.now())
      if (wait === 0) await nextTurn()
      else if (wait !== Infinity) await sleep(wait)
    }
  }
}

/** produce() once; false when the client's queue is full (try again later). */
function handOver(producer: Producer, topic: string, options: SendOptions, seq: number, stats: SendStats): boolean {
  try {
    producer.produce(topic, null, options.value, null, null, options.opaque ? seq : undefined)
    stats.sent++
    return true
  } catch (error) {
    if (isLibrdkafkaError(error) && error.code === RdCode.queueFull) return false
    if (!isLibrdkafkaError(error)) throw error
    // Refused on the spot (e.g. larger than message.max.bytes): no delivery report will come.
    stats.sent++
    stats.settled++
    stats.fail(failureReason(error))
    return true
  }
}

/**
 * Waits until every message sent has its delivery report, or `timeoutMs` passes. Returns false when some are still
 * unconfirmed. Reports come a hundred per event-loop turn, so this waits in short steps.
 */
async function awaitDeliveries({producer, stats}: PerfProducer, plan: PerfPlan, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (stats.inFlight > 0 && performance.now() < deadline) {
    if (plan.rate === 'max') producer.poll()
    await sleep(1)
  }
  return stats.inFlight === 0
}

/** What the report of a producing run says about its topic, settings and sending. */
export function sendingFigures(
  perf: PerfProducer,
  run: PerfSendOptions,
  control: RunControl,
): Pick<RunFigures, 'topic' | 'partitions' | 'settings' | 'interrupted' | 'send'> {
  return {
    topic: run.topic,
    partitions: perf.partitions.length,
    settings: settingsOf(run.plan, acksName(run.producerProperties.acks)),
    interrupted: control.interrupted,
    send: perf.stats,
  }
}

/** acks as a person writes it: all, 1 or 0. */
function acksName(acks: unknown): string {
  const text = String(acks ?? '-1')
  return text === '-1' || text === 'all' ? 'all' : text
}
