// What happened to every line produce was given, and the delivery accounting behind it: librdkafka's counts kept in
// the client's native layer where kcli's patch is built (exact whatever JS was handed), else the delivery reports
// that reach JS, counted once every one of them has arrived.
import type {Producer} from '@confluentinc/kafka-javascript'

import {RdCode, describeKafkaError, isLibrdkafkaError} from '../errors.js'

export class ProduceStats {
  read = 0
  /** Lines handed to the client (including those it refused at once). */
  accepted = 0
  /** Refused by the client when handed over (no delivery report follows). */
  rejected = 0
  /** Delivery reports received in JS, successes and failures. */
  reports = 0
  /** Successful delivery reports received in JS (only counted when every report is delivered to JS). */
  confirmed = 0
  skipped = 0
  invalid = 0
  firstInvalid?: {source: string; line: number; reason: string}
  /** The first invalid lines, to list on stderr (produce/loop.ts: invalidListLimit). */
  readonly invalidLines: Array<{source: string; line: number; reason: string}> = []
  /** Messages that failed, by reason: refused at once, or (without native counts) reported failed. */
  readonly failures = new Map<string, number>()
  /** Without native counts: messages reported failed that may still have been stored, by reason (not confirmed). */
  readonly unconfirmed = new Map<string, number>()
  /** The text librdkafka gave for each failure code, from the reports that reached JS. */
  readonly reasonTexts = new Map<number, string>()

  get failed(): number {
    let n = 0
    for (const count of this.failures.values()) n += count
    return n
  }

  fail(reason: string, count = 1): void {
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + count)
  }
}

// librdkafka's rd_kafka_msg_status_t, in the delivery reports of kcli's patched client.
const possiblyPersisted = 1

// Errors after which librdkafka marks a message "possibly persisted" (rdkafka_request.c: rd_kafka_err_action and the
// ProduceResponse error table): it was sent and the answer was lost, never came, or cannot be trusted. With them the
// two a leader may give after it has appended the batch (kcli's patch makes them "possibly persisted" with acks=all).
const possiblyPersistedCodes = new Set([
  RdCode.notLeaderOrFollower,
  RdCode.kafkaStorageError,
  RdCode.requestTimedOut,
  20, // NOT_ENOUGH_REPLICAS_AFTER_APPEND
  45, // OUT_OF_ORDER_SEQUENCE_NUMBER
  46, // DUPLICATE_SEQUENCE_NUMBER
  -199, // _BAD_MSG
  RdCode.transport,
  RdCode.msgTimedOut,
  RdCode.timedOut,
  RdCode.ssl,
  -151, // _PURGE_INFLIGHT
  -150, // _FATAL
])

/**
 * Whether a message reported failed may still be in the topic. The patched client reports librdkafka's own status;
 * the stock client's reports carry none, so the error decides, erring towards "may": a message that timed out is
 * counted as possibly stored even when it never left the client, never as failed when it may be in the topic.
 * (librdkafka never downgrades a status, so a permanent error after an earlier unanswered attempt is judged by its
 * code alone here: only the status, where the patch is built, sees that.)
 */
export function mayBeStored(err: unknown, report: {status?: number}): boolean {
  if (typeof report.status === 'number') return report.status >= possiblyPersisted
  return isLibrdkafkaError(err) && possiblyPersistedCodes.has(err.code)
}

/** The failure reason of a message the broker refused as too large (the summary's hints look for it). */
export const tooLargeReason = 'too large for the broker (message.max.bytes / max.request.size)'

/**
 * Failure reasons in the words a Kafka user looks for, one per distinct cause. `stored` is mayBeStored's answer: a
 * timed-out message counted failed was never sent, one not confirmed may have been stored, and the reason says which.
 */
export function failureReason(err: unknown, stored = false): string {
  if (isLibrdkafkaError(err)) {
    if (err.code === RdCode.msgSizeTooLarge) return tooLargeReason
    if (err.code === RdCode.msgTimedOut)
      return stored
        ? 'not acknowledged within message.timeout.ms (one already sent may still have been stored)'
        : 'not acknowledged within message.timeout.ms (never sent)'
    if (err.code === RdCode.unknownPartition) return 'sent to a partition that does not exist'
    if (err.code === RdCode.unknownTopicOrPart || err.code === RdCode.unknownTopic)
      return 'sent to a topic or partition that does not exist'
  }
  return describeKafkaError(err)
}

/** Counts librdkafka keeps per producer in the patched client (patches/fast-path.md). */
export interface NativeDeliveryCounts {
  produced: number
  acked: number
  /** Of `acked`: without a broker's acknowledgement (acks=0). */
  ackedPossiblyPersisted: number
  failedTotal: number
  inFlight: number
  failed: {[code: string]: {notPersisted: number; possiblyPersisted: number; persisted: number}}
}

export function nativeCounts(producer: Producer): NativeDeliveryCounts | undefined {
  const counts = (producer as unknown as {deliveryCounts?: () => NativeDeliveryCounts | null}).deliveryCounts?.()
  return counts ?? undefined
}

/** The outcome of every message handed to the client, as the summary states it. */
export interface DeliveryOutcome {
  /** Acknowledged by the broker (with acks=0: sent, with nothing acknowledged). */
  delivered: number
  /** Failed, by reason: certainly not stored. */
  failed: Map<string, number>
  /**
   * Not confirmed, by reason: may or may not have been stored (in flight when the answer was lost, or never settled).
   */
  unknown: Map<string, number>
}

const notSettled = 'not settled before kcli stopped waiting'

export function add(map: Map<string, number>, reason: string, count: number): void {
  if (count > 0) map.set(reason, (map.get(reason) ?? 0) + count)
}

/**
 * The outcome from native counts: exact, whatever reached JS. Refusals at hand-over are in `stats.failures`
 * (the native layer never saw them).
 */
export function nativeOutcome(counts: NativeDeliveryCounts, stats: ProduceStats): DeliveryOutcome {
  const failed = new Map(stats.failures)
  const unknown = new Map<string, number>()
  for (const [code, split] of Object.entries(counts.failed)) {
    const err = {code: Number(code), message: stats.reasonTexts.get(Number(code)) ?? `error code ${code}`}
    add(failed, failureReason(err, false), split.notPersisted)
    add(unknown, failureReason(err, true), split.possiblyPersisted + split.persisted)
  }
  add(unknown, notSettled, counts.inFlight)
  return {delivered: counts.acked, failed, unknown}
}

/** The outcome from the delivery reports JS received (the stock client). */
export function reportedOutcome(stats: ProduceStats, settled: boolean, allReports: boolean): DeliveryOutcome {
  const unknown = new Map(stats.unconfirmed)
  const reported = stats.failed + total(unknown)
  // With every report in JS, delivered is what was acknowledged. With failure reports only, what did not fail was
  // delivered once the flush succeeded and every failure report arrived (settleDeliveries waits for them).
  const delivered = allReports ? stats.confirmed : settled ? stats.accepted - reported : 0
  add(unknown, notSettled, stats.accepted - reported - delivered)
  return {delivered, failed: new Map(stats.failures), unknown}
}

export function total(map: Map<string, number>): number {
  let n = 0
  for (const count of map.values()) n += count
  return n
}

/**
 * Listens for delivery reports; with delivery.report.only.error only failures arrive unless every report is wanted.
 * With native counts, failures are counted there and reports only teach their texts. Returns a function that stops
 * listening, for when the outcome is settled otherwise (a transaction's abort).
 */
export function watchDeliveries(
  producer: Producer,
  stats: ProduceStats,
  options: {
    countFailures: boolean
    /** Reports carry librdkafka's status (kcli's patch, in use): else the stock client's are judged by their error. */
    withStatus: boolean
    onDelivered?: (report: {partition: number; offset: number; line: number}) => void
    /** The line of a report's opaque, when the opaque is not the line itself (produce/loop.ts: InFlightLines). */
    lineOf?: (opaque: unknown) => number | undefined
    /** A message that failed, by its opaque (only when messages carry one), and whether it may still be stored. */
    onFailed?: (opaque: unknown, reason: string, mayBeStored: boolean) => void
  },
): () => void {
  const listener = (
    err: unknown,
    report: {topic: string; partition: number; offset: number; opaque?: unknown; status?: number},
  ) => {
    stats.reports++
    if (err) {
      if (isLibrdkafkaError(err)) stats.reasonTexts.set(err.code, err.message)
      const stored = mayBeStored(err, options.withStatus ? report : {})
      const reason = failureReason(err, stored)
      if (options.countFailures) {
        if (stored) add(stats.unconfirmed, reason, 1)
        else stats.fail(reason)
      }
      options.onFailed?.(report.opaque, reason, stored)
      return
    }
    stats.confirmed++
    const line = options.lineOf ? options.lineOf(report.opaque) : (report.opaque as number)
    if (line !== undefined) options.onDelivered?.({partition: report.partition, offset: report.offset, line})
  }
  producer.on('delivery-report', listener)
  return () => producer.removeListener('delivery-report', listener)
}

/**
 * Waits until every accepted message is delivered or failed, or the time runs out. Returns true when all settled.
 * `allReports`: every delivery is reported to JS (not only failures), so the count of reports says when all arrived.
 */
export async function settleDeliveries(
  producer: Producer,
  timeoutMs: number,
  stats: ProduceStats,
  allReports: boolean,
): Promise<boolean> {
  // Short flushes in a row, not one long one: exiting the process waits for a flush in progress, so a second Ctrl-C
  // could otherwise take as long as the whole flush. The first are shortest: with delivery.report.only.error nothing
  // wakes librdkafka's flush when the last message is acknowledged, so it notices only at the end of its wait (up to
  // 10 ms), which is most of what a one-line produce waits for.
  const deadline = Date.now() + timeoutMs
  let flushed = false
  for (let wait = 1; !flushed; wait = Math.min(wait * 2, 200)) {
    const slice = Math.min(wait, deadline - Date.now())
    if (slice <= 0) break
    flushed = await new Promise<boolean>((resolve) => {
      producer.flush(slice, (err) => resolve(!err))
    })
  }
  await drainReports(producer, stats, allReports, flushed)
  return flushed
}

/**
 * A finished flush means librdkafka has raised every delivery report, but the binding hands them to JS only a
 * hundred per event-loop turn: counting before they all arrived reported failed messages as delivered. With every
 * report sent to JS their number says when all are in; with failures only, the binding has nothing left once a whole
 * turn of the event loop passes without a report (each batch of a hundred schedules the next for the following turn).
 */
async function drainReports(
  producer: Producer,
  stats: ProduceStats,
  allReports: boolean,
  flushed: boolean,
): Promise<void> {
  const expected = () => stats.accepted - stats.rejected
  const deadline = Date.now() + 10_000
  let seen = stats.reports
  let quietTurns = 0
  while (Date.now() < deadline) {
    if (allReports && flushed && stats.reports >= expected()) return
    producer.poll()
    await new Promise((resolve) => setImmediate(resolve))
    if (stats.reports !== seen) {
      seen = stats.reports
      quietTurns = 0
    } else if (++quietTurns >= 3 && !(allReports && flushed)) {
      return
    }
  }
}
