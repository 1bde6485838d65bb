// The produce loop: lines in, messages out, and an exact account of what happened to each line.
import type {Producer} from '@confluentinc/kafka-javascript'
import {isUtf8} from 'node:buffer'
import fs from 'node:fs'

import {KcliError, RdCode, describeKafkaError, isLibrdkafkaError} from '../errors.js'
import type {LineBatch} from './line-reader.js'
import {type InputOptions, buildMessage} from './input.js'
import {type EnvelopeRecord, InputError, type KafkaHeader} from '../records/envelope.js'

export type OnInvalid = 'fail' | 'skip' | 'dead-letter'

export interface ProduceOptions {
  topic: string
  /** Number of partitions the topic has, to check partitions before sending. */
  partitionCount: number
  /**
   * -p: every message goes to this partition, also over an envelope's own; checked against partitionCount beforehand.
   */
  partition?: number
  input: InputOptions
  onInvalid: OnInvalid
  /** File descriptor of the dead-letter file (with onInvalid 'dead-letter'). */
  deadLetterFd?: number
  /** When set, every delivery is reported (slower): used to print offsets. */
  onDelivered?: (report: {topic: string; partition: number; offset: number; line: number}) => void
  /**
   * The schema registry's encoder (src/lib/registry/encode.ts): turns a built message into the wire format; throws
   * InputError for a value that does not fit its schema. Returns a promise only while it loads a schema.
   */
  encode?: (message: EnvelopeRecord) => EnvelopeRecord | Promise<EnvelopeRecord>
}

export interface InvalidLine {
  source: string
  line: number
  reason: string
}

/**
 * One line of the dead-letter file: the input as text when it is UTF-8, else as base64, so its bytes can be recovered.
 */
export function deadLetterLine(invalid: InvalidLine, input: Buffer): string {
  const entry = isUtf8(input)
    ? {source: invalid.source, line: invalid.line, reason: invalid.reason, input: input.toString('utf8')}
    : {
        source: invalid.source,
        line: invalid.line,
        reason: invalid.reason,
        input: input.toString('base64'),
        inputEncoding: 'base64',
      }
  return JSON.stringify(entry)
}

export class ProduceStats {
  read = 0
  /** Lines handed to the client (including those it refused at once). */
  accepted = 0
  /** Refused by the client when handed over (no delivery report follows). */
  rejected = 0
  /** Delivery reports received, successes and failures. */
  reports = 0
  /** Successful delivery reports (only counted when every report is delivered to JS). */
  confirmed = 0
  skipped = 0
  invalid = 0
  firstInvalid?: InvalidLine
  /** Failed deliveries by reason. */
  readonly failures = new Map<string, number>()

  get failed(): number {
    let n = 0
    for (const count of this.failures.values()) n += count
    return n
  }

  fail(reason: string, count = 1): void {
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + count)
  }
}

/** Failure reasons in the words a Kafka user looks for, one per distinct cause. */
export function failureReason(err: unknown): string {
  if (isLibrdkafkaError(err)) {
    if (err.code === RdCode.msgSizeTooLarge) return 'too large for the broker (message.max.bytes / max.request.size)'
    // In flight when it timed out, a message may still have been stored: the reason must not claim either way.
    if (err.code === RdCode.msgTimedOut)
      return 'not acknowledged within message.timeout.ms (one already sent may still have been stored)'
    if (err.code === RdCode.unknownPartition) return 'sent to a partition that does not exist'
    if (err.code === RdCode.unknownTopicOrPart || err.code === RdCode.unknownTopic)
      return 'sent to a topic or partition that does not exist'
  }
  return describeKafkaError(err)
}

// The binding sends a zero-length Buffer with no backing memory as null; a slice of a real allocation stays empty
// bytes.
const EMPTY = Buffer.alloc(1).subarray(0, 0)

function nonNullEmpty<T extends Buffer | null>(bytes: T): T {
  return (bytes !== null && bytes.length === 0 ? EMPTY : bytes) as T
}

function toBindingHeaders(headers: KafkaHeader[]): Array<Record<string, Buffer>> | undefined {
  if (headers.length === 0) return undefined
  return headers.map((h) => ({[h.key]: nonNullEmpty(h.value ?? EMPTY)}))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface ProduceControl {
  stopped: boolean
}

/**
 * Sends every line of the batches. Returns when input ends, when stopped, or at the first invalid line under
 * onInvalid 'fail'. Deliveries are still in flight afterwards: flush and count them with {@link settleDeliveries}.
 */
export async function produceLines(
  producer: Producer,
  batches: AsyncIterable<LineBatch>,
  options: ProduceOptions,
  stats: ProduceStats,
  control: ProduceControl,
): Promise<void> {
  const wantsReports = options.onDelivered !== undefined
  // Messages without headers of their own share the -H headers: convert them once, not per message.
  const staticHeaders = toBindingHeaders(options.input.headers)
  for await (const batch of batches) {
    for (let i = 0; i < batch.lines.length; i++) {
      if (control.stopped) return
      const lineNumber = batch.firstLine + i
      stats.read++
      let message
      try {
        message = buildMessage(batch.lines[i], options.input)
        if (message !== undefined && options.encode) {
          const encoded = options.encode(message)
          message = encoded instanceof Promise ? await encoded : encoded
        }
        // -p was checked once up front; only an envelope's own partition is the line's business.
        if (
          message?.partition !== undefined &&
          options.partition === undefined &&
          message.partition >= options.partitionCount
        ) {
          throw new InputError(
            `partition ${message.partition} does not exist (${options.topic} has ${options.partitionCount})`,
          )
        }
      } catch (error) {
        if (!(error instanceof InputError)) throw error
        stats.invalid++
        const invalid = {source: batch.source, line: lineNumber, reason: error.message}
        stats.firstInvalid ??= invalid
        if (options.onInvalid === 'fail') return
        if (options.onInvalid === 'dead-letter' && options.deadLetterFd !== undefined) {
          try {
            fs.writeSync(options.deadLetterFd, deadLetterLine(invalid, batch.lines[i]) + '\n')
          } catch (error) {
            throw new KcliError(
              `the dead-letter file cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
            )
          }
        }
        continue
      }
      if (message === undefined) {
        stats.skipped++
        continue
      }

      const partition = options.partition ?? message.partition ?? -1
      const headers = message.headers === options.input.headers ? staticHeaders : toBindingHeaders(message.headers)
      for (;;) {
        try {
          // opaque only when reports are read: an unread opaque leaks (kafka-javascript #272).
          producer.produce(
            options.topic,
            partition,
            nonNullEmpty(message.value),
            nonNullEmpty(message.key) ?? undefined,
            message.timestamp ?? null,
            wantsReports ? lineNumber : undefined,
            headers,
          )
          stats.accepted++
          break
        } catch (error) {
          if (isLibrdkafkaError(error) && error.code === RdCode.queueFull) {
            // The local queue is full: let librdkafka send, then try again.
            producer.poll()
            await sleep(2)
            if (control.stopped) return
            continue
          }
          if (isLibrdkafkaError(error)) {
            stats.accepted++
            stats.rejected++
            stats.fail(failureReason(error))
            break
          }
          throw error
        }
      }
    }
  }
}

/**
 * Listens for delivery reports; with delivery.report.only.error only failures arrive unless offsets are wanted.
 * Returns a function that stops counting, for when the outcome is settled otherwise (a transaction's abort).
 */
export function watchDeliveries(producer: Producer, options: ProduceOptions, stats: ProduceStats): () => void {
  const listener = (err: unknown, report: {topic: string; partition: number; offset: number; opaque?: unknown}) => {
    stats.reports++
    if (err) {
      stats.fail(failureReason(err))
      return
    }
    stats.confirmed++
    options.onDelivered?.({
      topic: report.topic,
      partition: report.partition,
      offset: report.offset,
      line: report.opaque as number,
    })
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
  // could otherwise take as long as the whole flush.
  const deadline = Date.now() + timeoutMs
  let flushed = false
  while (!flushed) {
    const slice = Math.min(200, deadline - Date.now())
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
