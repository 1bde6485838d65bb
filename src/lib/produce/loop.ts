// The produce loop: lines in, messages queued on a sink (produce/sinks.ts), every line accounted for.
import {isUtf8} from 'node:buffer'
import fs from 'node:fs'

import {KcliError} from '../errors.js'
import {type LineBatch, lineAt} from './line-reader.js'
import {type InputOptions, buildMessage, explainInvalidJson, isBlank} from './input.js'
import type {ProduceStats} from './delivery.js'
import {type OnInvalidMessage, Sink, type SinkOptions} from './sinks.js'
import {type SizeLimit, headerBytes, tooLarge} from './size-limit.js'
import {type EnvelopeRecord, InputError} from '../records/envelope.js'
import {isJson} from '../records/json-validate.js'
import {terminalSafe} from '../terminal/output.js'

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
  /** What the topic and the producer take: a larger message is invalid input, refused before it is sent. */
  sizeLimit?: SizeLimit
  /** Messages in flight by their delivery report's opaque, to name the line of one that fails (--dead-letter). */
  inFlight?: InFlightLines
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

/** How many invalid lines a run lists on stderr; the rest are counted ("and N more"). */
export const invalidListLimit = 20

/** `line 7` for stdin, `orders.jsonl line 7` for a file. */
export function lineName(invalid: {source: string; line: number}): string {
  return invalid.source === 'stdin' ? `line ${invalid.line}` : `${invalid.source} line ${invalid.line}`
}

/** The invalid lines of a run as stderr lists them: one a line, at most invalidListLimit, then how many more. */
export function invalidList(listed: InvalidLine[], total: number): string[] {
  // A reason quotes the line (V8's JSON errors do): its bytes must not drive the terminal.
  const shown = listed.map((i) => `  ${terminalSafe(`${lineName(i)}: ${i.reason}`)}`)
  if (total > listed.length) shown.push(`  and ${total - listed.length} more`)
  return shown
}

/**
 * The lines of messages handed to the client and not yet settled, by the opaque their delivery report brings back: so
 * a message that fails is written to the dead-letter file with its line, as an invalid line is.
 */
export class InFlightLines {
  private next = 1
  private readonly lines = new Map<number, {source: string; line: number; input: Buffer}>()

  constructor(private readonly where: {source: string}) {}

  /** Remembers a line (its input copied: the read buffer is reused); returns the opaque for its message. */
  add(line: number, input: Buffer): number {
    const token = this.next++
    this.lines.set(token, {source: this.where.source, line, input: Buffer.from(input)})
    return token
  }

  take(token: unknown): {source: string; line: number; input: Buffer} | undefined {
    if (typeof token !== 'number') return undefined
    const entry = this.lines.get(token)
    this.lines.delete(token)
    return entry
  }

  /** The lines still waiting for a report, in the order they were sent; forgets them. */
  takeAll(): Array<{source: string; line: number; input: Buffer}> {
    const rest = [...this.lines.values()]
    this.lines.clear()
    return rest
  }
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
      if (q.message(i) !== undefined || !this.options.validateSpans || isJson(q.data, q.starts[i], q.ends[i])) continue
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

/** Appends one line to the dead-letter file. */
export function writeDeadLetter(fd: number, invalid: InvalidLine, input: Buffer): void {
  try {
    fs.writeSync(fd, deadLetterLine(invalid, input) + '\n')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new KcliError(`the dead-letter file cannot be written (${code ?? (error as Error).message})`)
  }
}

/** Handles an invalid line: counted, remembered, written to the dead-letter file; stops the run under 'fail'. */
function invalidHandler(options: ProduceOptions, stats: ProduceStats, where: {source: string}): OnInvalidMessage {
  return (line, input, reason) => {
    stats.invalid++
    const invalid = {source: where.source, line, reason}
    stats.firstInvalid ??= invalid
    if (stats.invalidLines.length < invalidListLimit) stats.invalidLines.push(invalid)
    if (options.onInvalid === 'fail') return 'stop'
    if (options.onInvalid === 'dead-letter' && options.deadLetterFd !== undefined)
      writeDeadLetter(options.deadLetterFd, invalid, input)
    return 'continue'
  }
}

/** Why a built message is too large to send, or undefined. */
function messageTooLarge(limit: SizeLimit | undefined, message: EnvelopeRecord): string | undefined {
  if (limit === undefined) return undefined
  const headers = message.headers.length === 0 ? 1 : headerBytes(message.headers)
  return tooLarge(limit, message.key?.length ?? -1, message.value?.length ?? -1, headers)
}

/** The sink's options for a run: how each queued message goes out and what happens to an invalid one. */
export function sinkOptions(options: ProduceOptions, stats: ProduceStats, where: {source: string}): SinkOptions {
  return {
    topic: options.topic,
    partition: options.partition,
    validateSpans: options.input.mode === 'json',
    lineOpaque: options.onDelivered !== undefined || options.inFlight !== undefined,
    opaqueOf: options.inFlight ? (line, input) => options.inFlight!.add(line, input) : undefined,
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
  const {input, sizeLimit} = options
  const asTheyAre = sendsLinesAsTheyAre(input) && options.encode === undefined
  const onInvalid = invalidHandler(options, stats, where)
  // Below this many bytes a line sent as it is fits whatever its framing (under 100 bytes): no check needed.
  const spanCheckFrom = sizeLimit ? Math.min(sizeLimit.clientBytes, sizeLimit.topicBytes) - 128 : Infinity
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
        const large = end - start > spanCheckFrom ? tooLarge(sizeLimit!, -1, end - start) : undefined
        if (large === undefined) {
          sink.addSpan(data, start, end, line)
          continue
        }
        if (onInvalid(line, lineAt(batch, i), large) === 'stop') {
          stats.read -= batch.count - i - 1
          await sink.flush()
          return
        }
        continue
      }
      let message
      try {
        message = buildMessage(lineAt(batch, i), input)
        if (message !== undefined && options.encode) {
          const encoded = options.encode(message)
          message = encoded instanceof Promise ? await encoded : encoded
        }
        const large = message === undefined ? undefined : messageTooLarge(sizeLimit, message)
        if (large !== undefined) throw new InputError(large)
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
