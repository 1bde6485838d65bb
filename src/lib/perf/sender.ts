// The producing side of `perf produce` and `perf e2e`: sends on a fixed-rate schedule or as fast as the client takes
// messages, and counts every delivery report. The same value buffer is reused for every message (produce() copies it).
import type {DeliveryReport, LibrdKafkaError, Producer} from '@confluentinc/kafka-javascript'
import {setTimeout as sleep} from 'node:timers/promises'

import {RdCode, isLibrdkafkaError} from '../errors.js'
import {failureReason} from '../produce/loop.js'
import {type PerfPlan, messagesToSend} from './plan.js'
import {RateSchedule} from './schedule.js'

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
  readonly failures = new Map<string, number>()

  get failed(): number {
    let n = 0
    for (const count of this.failures.values()) n += count
    return n
  }

  get inFlight(): number {
    return this.sent - this.settled
  }

  fail(reason: string, count = 1): void {
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + count)
  }

  failureList(): Array<{reason: string; count: number}> {
    return [...this.failures].map(([reason, count]) => ({reason, count}))
  }
}

/**
 * Counts every delivery report (the producer needs dr_cb and delivery.report.only.error=false); `onDelivered` gets
 * each successful one with the time it reached JavaScript.
 */
export function countDeliveries(
  producer: Producer,
  stats: SendStats,
  onDelivered?: (report: DeliveryReport, nowMs: number) => void,
): void {
  producer.on('delivery-report', (err: LibrdKafkaError | null, report: DeliveryReport) => {
    const now = performance.now()
    stats.settled++
    stats.lastReportMs = now
    if (err) {
      stats.fail(failureReason(err))
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
export function startPolling(producer: Producer, plan: PerfPlan): void {
  if (plan.rate !== 'max') producer.setPollInBackground(true)
}

export interface SendOptions {
  producer: Producer
  topic: string
  plan: PerfPlan
  value: Buffer
  /** Called before each message is handed over, with its intended send time (performance.now() ms). */
  prepare?: (seq: number, intendedMs: number) => void
  /** Pass the sequence number as the message's opaque, to find it again in its delivery report. */
  opaque: boolean
  /** False while no more messages may be in flight. */
  mayQueue?: () => boolean
  control: {stopped: boolean}
}

/** Messages handed over before the loop yields at --rate max, so reports, timers and signals get their turn. */
const burst = 1000

/** Sends until the plan's count or duration is reached, or until stopped. */
export async function sendMessages(options: SendOptions, stats: SendStats): Promise<void> {
  const {producer, plan, control} = options
  const total = messagesToSend(plan)
  const startMs = performance.now()
  stats.startedMs = startMs
  const schedule = plan.rate === 'max' ? undefined : new RateSchedule(plan.rate, startMs, total)
  const deadline = plan.rate === 'max' && plan.durationMs !== undefined ? startMs + plan.durationMs : Infinity
  let seq = 0
  while (seq < total && !control.stopped) {
    const now = performance.now()
    if (now >= deadline) break
    const due = schedule ? schedule.dueBy(now) : Math.min(total, seq + burst)
    let blocked = false
    while (seq < due) {
      if (options.mayQueue && !options.mayQueue()) {
        blocked = true
        break
      }
      const intended = schedule ? schedule.intendedAt(seq) : performance.now()
      options.prepare?.(seq, intended)
      if (!handOver(options, seq, stats)) {
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
      if (wait > 0 && wait !== Infinity) await sleep(wait)
    }
  }
}

/** produce() once; false when the client's queue is full (try again later). */
function handOver(options: SendOptions, seq: number, stats: SendStats): boolean {
  try {
    options.producer.produce(options.topic, null, options.value, null, null, options.opaque ? seq : undefined)
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
export async function awaitDeliveries(
  producer: Producer,
  plan: PerfPlan,
  stats: SendStats,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (stats.inFlight > 0 && performance.now() < deadline) {
    if (plan.rate === 'max') producer.poll()
    await sleep(1)
  }
  return stats.inFlight === 0
}
