// The produce loop: lines in, messages queued on a sink (produce/sinks.ts), every line accounted for.
import {isUtf8} from 'node:buffer'
import fs from 'node:fs'

import {KcliError} from '../errors.js'
import {type LineBatch, lineAt} from './line-reader.js'
import {type InputOptions, buildMessage, explainInvalidJson, isBlank} from './input.js'
import type {ProduceStats} from './delivery.js'
import {type OnInvalidMessage, Sink, type SinkOptions} from './sinks.js'
import {type EnvelopeRecord, InputError} from '../records/envelope.js'
import {isJson} from '../records/json-validate.js'

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
  onDelivered?: (report: {partition: number; offset: number; line: number}) => void
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

/** Sends nothing: --dry-run validates what a real run would send. */
export class DryRunSink extends Sink {
  protected async send(): Promise<number> {
    const q = this.queue
    for (let i = 0; i < q.length; i++) {
      if (q.messages[i] !== undefined || !this.options.validateSpans || isJson(q.data, q.starts[i], q.ends[i])) continue
      const value = q.data.subarray(q.starts[i], q.ends[i])
      if (this.options.onInvalid(q.lines[i], value, this.options.explainInvalidJson(value)) === 'stop') return i + 1
    }
    return q.length
  }
}

export interface ProduceControl {
  stopped: boolean
}

/** True when a line can go out as it is: JSON or raw values with no key, headers or schema to apply. */
export function sendsLinesAsTheyAre(input: InputOptions): boolean {
  return (
    (input.mode === 'json' || input.mode === 'raw') &&
    input.key === undefined &&
    input.keyField === undefined &&
    input.keyDelimiter === undefined &&
    input.headers.length === 0 &&
    input.checkValue === undefined
  )
}

/** Handles an invalid line: counted, remembered, written to the dead-letter file; stops the run under 'fail'. */
function invalidHandler(options: ProduceOptions, stats: ProduceStats, where: {source: string}): OnInvalidMessage {
  return (line, input, reason) => {
    stats.invalid++
    const invalid = {source: where.source, line, reason}
    stats.firstInvalid ??= invalid
    if (options.onInvalid === 'fail') return 'stop'
    if (options.onInvalid === 'dead-letter' && options.deadLetterFd !== undefined) {
      try {
        fs.writeSync(options.deadLetterFd, deadLetterLine(invalid, input) + '\n')
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        throw new KcliError(`the dead-letter file cannot be written (${code ?? (error as Error).message})`)
      }
    }
    return 'continue'
  }
}

/** The sink's options for a run: how each queued message goes out and what happens to an invalid one. */
export function sinkOptions(options: ProduceOptions, stats: ProduceStats, where: {source: string}): SinkOptions {
  return {
    topic: options.topic,
    partition: options.partition,
    validateSpans: options.input.mode === 'json',
    lineOpaque: options.onDelivered !== undefined,
    onInvalid: invalidHandler(options, stats, where),
    explainInvalidJson,
  }
}

/**
 * Queues every line of the batches on the sink, flushing it after each batch (before its buffer is reused). Returns
 * when input ends, when stopped, or at the first invalid line under onInvalid 'fail'. Deliveries are still in flight
 * afterwards: settle and count them with the functions of produce/delivery.ts.
 */
export async function produceLines(
  sink: Sink,
  batches: AsyncIterable<LineBatch>,
  options: ProduceOptions,
  stats: ProduceStats,
  control: ProduceControl,
  where: {source: string},
): Promise<void> {
  const {input} = options
  const asTheyAre = sendsLinesAsTheyAre(input) && options.encode === undefined
  const onInvalid = invalidHandler(options, stats, where)
  for await (const batch of batches) {
    where.source = batch.source
    const {data, starts, ends} = batch
    for (let i = 0; i < batch.count; i++) {
      if (control.stopped) return
      const line = batch.firstLine + i
      stats.read++
      const start = starts[i]
      const end = ends[i]
      if (asTheyAre && end > start && (input.mode === 'raw' || !isBlank(data, start, end))) {
        sink.addSpan(data, start, end, line)
        continue
      }
      let message
      try {
        message = buildMessage(lineAt(batch, i), input)
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
        if (onInvalid(line, lineAt(batch, i), error.message) === 'stop') {
          stats.read -= batch.count - i - 1
          await sink.flush()
          return
        }
        continue
      }
      if (message === undefined) {
        stats.skipped++
        continue
      }
      sink.add(message, line, data, start, end)
    }
    const {sent, dropped} = await sink.flush()
    if (!sent) {
      stats.read -= dropped
      return
    }
  }
}
