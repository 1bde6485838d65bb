// Handing messages to the client: many per call through the patched client's produceBatch, or one per call through
// its stock produce(). The produce loop queues messages — a span of the input buffer (a line sent as it is) or a
// built message (keys, headers, envelopes) — and flushes the queue before the input buffer is reused.
import type {Producer} from '@confluentinc/kafka-javascript'

import {RdCode, isLibrdkafkaError} from '../errors.js'
import {InputError, type EnvelopeRecord, type KafkaHeader} from '../records/envelope.js'
import {isJson} from '../records/json-validate.js'
import {type ProduceStats, failureReason} from './delivery.js'

/** What the loop decides about an invalid message found while sending: go on, or stop the run. */
export type InvalidDecision = 'continue' | 'stop'
export type OnInvalidMessage = (line: number, input: Buffer, reason: string) => InvalidDecision

export interface SinkOptions {
  topic: string
  /** -p: every message to this partition. */
  partition?: number
  /** Values of queued spans must be JSON: checked here on the stock path, by the patched client while sending. */
  validateSpans: boolean
  /** Opaque per message = its line number, for delivery reports (--print-offsets). */
  lineOpaque: boolean
  /** Another opaque than the line number (produce/loop.ts: InFlightLines), given the line and its input. */
  opaqueOf?: (line: number, input: Buffer) => number
  /** A message the client refused when handed over, with its line and opaque (--dead-letter writes it). */
  onRefused?: (line: number, input: Buffer, reason: string, opaque: unknown) => void
  onInvalid: OnInvalidMessage
  /** Explains why a span is not JSON, for the invalid-line message. */
  explainInvalidJson: (bytes: Buffer) => string
}

export interface Control {
  stopped: boolean
}

/**
 * Queued messages of one input batch: spans of `data`, or built messages. Typed arrays reused from batch to batch: a
 * million lines sent as they are cost no JS array growth (which showed in profiles of the fast path).
 */
class Queue {
  starts = new Int32Array(16_384)
  ends = new Int32Array(16_384)
  lines = new Float64Array(16_384)
  /** Index into `built` of entry i's message, -1 for a span. */
  private builtAt = new Int32Array(16_384)
  private built: EnvelopeRecord[] = []
  data: Buffer = Buffer.alloc(0)
  length = 0

  push(data: Buffer, start: number, end: number, line: number, message: EnvelopeRecord | undefined): void {
    if (this.length === this.starts.length) this.grow()
    const i = this.length++
    this.data = data
    this.starts[i] = start
    this.ends[i] = end
    this.lines[i] = line
    this.builtAt[i] = message === undefined ? -1 : this.built.push(message) - 1
  }

  /** Entry i's built message; undefined for a span. */
  message(i: number): EnvelopeRecord | undefined {
    const at = this.builtAt[i]
    return at < 0 ? undefined : this.built[at]
  }

  clear(): void {
    this.length = 0
    this.built.length = 0
  }

  private grow(): void {
    const size = this.length * 2
    const grown = <T extends Int32Array | Float64Array>(from: T, to: T): T => {
      to.set(from)
      return to
    }
    this.starts = grown(this.starts, new Int32Array(size))
    this.ends = grown(this.ends, new Int32Array(size))
    this.lines = grown(this.lines, new Float64Array(size))
    this.builtAt = grown(this.builtAt, new Int32Array(size))
  }
}

export abstract class Sink {
  protected readonly queue = new Queue()

  constructor(
    protected readonly producer: Producer,
    protected readonly options: SinkOptions,
    protected readonly stats: ProduceStats,
    protected readonly control: Control,
  ) {}

  /** A line sent as it is: its value is data[start, end), with no key or headers. */
  addSpan(data: Buffer, start: number, end: number, line: number): void {
    this.queue.push(data, start, end, line, undefined)
  }

  /** A built message; data[start, end) is the line it came from (for the dead-letter file). */
  add(message: EnvelopeRecord, line: number, data: Buffer, start: number, end: number): void {
    this.queue.push(data, start, end, line, message)
  }

  /**
   * Sends what is queued. `sent` is false when the run must stop (an invalid message under --on-invalid fail, a
   * signal); `dropped` is how many queued lines were then left unhandled.
   */
  async flush(): Promise<{sent: boolean; dropped: number}> {
    const queued = this.queue.length
    try {
      const handled = await this.send()
      return {sent: handled === queued, dropped: queued - handled}
    } finally {
      this.queue.clear()
    }
  }

  /** Sends the queue; returns how many of its entries were handled (all of them, unless the run must stop). */
  protected abstract send(): Promise<number>

  /** A message the client refused at hand-over: counted as failed, with its reason. */
  protected refused(err: unknown, line?: number, input?: Buffer, opaque?: unknown): void {
    this.stats.accepted++
    this.stats.rejected++
    const reason = failureReason(err)
    this.stats.fail(reason)
    if (line !== undefined && input !== undefined) this.options.onRefused?.(line, input, reason, opaque)
  }

  protected partitionOf(message: EnvelopeRecord | undefined): number {
    return this.options.partition ?? message?.partition ?? -1
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// The binding sends a zero-length Buffer with no backing memory as null; a slice of a real allocation stays empty
// bytes.
const EMPTY = Buffer.alloc(1).subarray(0, 0)

function nonNullEmpty<T extends Buffer | null>(bytes: T): T {
  return (bytes !== null && bytes.length === 0 ? EMPTY : bytes) as T
}

/** Headers as the stock produce() takes them: names are strings and values cannot be null there. */
function stockHeaders(headers: KafkaHeader[]): Array<Record<string, Buffer>> | undefined {
  if (headers.length === 0) return undefined
  return headers.map((h, i) => {
    const name = h.key.toString('utf8')
    if (!Buffer.from(name, 'utf8').equals(h.key))
      throw new InputError(
        `header ${i + 1}'s name is not UTF-8: the client library's stock produce() cannot send it (kcli's patch can: see patches/README.md)`,
      )
    if (h.value === null)
      throw new InputError(
        `header "${name}" has a null value: the client library's stock produce() cannot send it (kcli's patch can: see patches/README.md)`,
      )
    return {[name]: nonNullEmpty(h.value)}
  })
}

/** One produce() call per message: the client library's stock call. */
export class StockSink extends Sink {
  private staticHeadersOf?: KafkaHeader[]
  private staticHeaders?: Array<Record<string, Buffer>>

  protected async send(): Promise<number> {
    const q = this.queue
    const {topic, validateSpans, onInvalid} = this.options
    for (let i = 0; i < q.length; i++) {
      if (this.control.stopped) return i
      const message = q.message(i)
      const line = q.lines[i]
      let value: Buffer | null
      let key: Buffer | null = null
      let headers: Array<Record<string, Buffer>> | undefined
      if (message === undefined) {
        value = q.data.subarray(q.starts[i], q.ends[i])
        if (validateSpans && !isJson(q.data, q.starts[i], q.ends[i])) {
          if (onInvalid(line, value, this.options.explainInvalidJson(value)) === 'stop') return i + 1
          continue
        }
      } else {
        value = message.value
        key = message.key
        try {
          headers = this.headersOf(message.headers)
        } catch (error) {
          if (!(error instanceof InputError)) throw error
          if (onInvalid(line, q.data.subarray(q.starts[i], q.ends[i]), error.message) === 'stop') return i + 1
          continue
        }
      }
      const partition = this.partitionOf(message)
      const timestamp = message?.timestamp ?? null
      const {opaqueOf, lineOpaque} = this.options
      const opaque = opaqueOf ? opaqueOf(line, q.data.subarray(q.starts[i], q.ends[i])) : lineOpaque ? line : undefined
      for (;;) {
        try {
          // opaque only when reports are read: an unread opaque leaks (kafka-javascript #272).
          this.producer.produce(
            topic,
            partition,
            nonNullEmpty(value),
            nonNullEmpty(key) ?? undefined,
            timestamp,
            opaque,
            headers,
          )
          this.stats.accepted++
          break
        } catch (error) {
          if (isLibrdkafkaError(error) && error.code === RdCode.queueFull) {
            // The local queue is full: let librdkafka send, then try again.
            this.producer.poll()
            await sleep(2)
            if (this.control.stopped) return i
            continue
          }
          if (!isLibrdkafkaError(error)) throw error
          this.refused(error, line, q.data.subarray(q.starts[i], q.ends[i]), opaque)
          break
        }
      }
    }
    return q.length
  }

  // Messages without headers of their own share the -H headers: converted once, not per message.
  private headersOf(headers: KafkaHeader[]): Array<Record<string, Buffer>> | undefined {
    if (headers === this.staticHeadersOf) return this.staticHeaders
    const converted = stockHeaders(headers)
    if (this.staticHeadersOf === undefined) {
      this.staticHeadersOf = headers
      this.staticHeaders = converted
    }
    return converted
  }
}

// produceBatch's layout (patches/fast-path.md): 7 int32 per message.
const STRIDE = 7
const VALIDATE_JSON = 1
const BAD_MESSAGE = -199

type BatchProducer = Producer & {
  produceBatch(
    topic: string,
    data: Uint8Array,
    index: Int32Array,
    first: number,
    count: number,
    timestamps: Float64Array | null,
    flags: number,
  ): [number, number]
}

/** Many messages per call through the patched client's produceBatch. */
export class BatchSink extends Sink {
  private index = new Int32Array(16_384 * STRIDE)
  private timestamps = new Float64Array(16_384)
  private assembly = Buffer.allocUnsafe(1 << 20)

  protected async send(): Promise<number> {
    const q = this.queue
    // Runs of spans go out straight from the input buffer; runs of built messages from an assembly buffer.
    for (let from = 0; from < q.length;) {
      const spans = q.message(from) === undefined
      let to = from + 1
      while (to < q.length && (q.message(to) === undefined) === spans) to++
      const handled = spans ? await this.sendSpans(from, to) : await this.sendMessages(from, to)
      if (handled < to - from) return from + handled
      from = to
    }
    return q.length
  }

  private reserve(count: number): void {
    if (this.index.length >= count * STRIDE) return
    this.index = new Int32Array(count * STRIDE)
    this.timestamps = new Float64Array(count)
  }

  private async sendSpans(from: number, to: number): Promise<number> {
    const q = this.queue
    this.reserve(to - from)
    const index = this.index
    const partition = this.options.partition ?? -1
    for (let i = from, e = 0; i < to; i++, e += STRIDE) {
      index[e] = q.starts[i]
      index[e + 1] = q.ends[i] - q.starts[i]
      index[e + 2] = 0
      index[e + 3] = -1
      index[e + 4] = partition
      index[e + 5] = 0
      index[e + 6] = 0
    }
    return this.produce(q.data, from, to - from, null, this.options.validateSpans ? VALIDATE_JSON : 0)
  }

  private async sendMessages(from: number, to: number): Promise<number> {
    const q = this.queue
    this.reserve(to - from)
    const index = this.index
    let size = 0
    let timestamps = false
    for (let i = from; i < to; i++) {
      const m = q.message(i)!
      size += (m.value?.length ?? 0) + (m.key?.length ?? 0) + 4
      for (const h of m.headers) size += 8 + h.key.length + (h.value?.length ?? 0)
      if (m.timestamp !== undefined) timestamps = true
    }
    if (this.assembly.length < size) this.assembly = Buffer.allocUnsafe(size * 2)
    const data = this.assembly
    let p = 0
    const put = (bytes: Buffer | null, at: number): number => {
      index[at] = bytes === null ? 0 : p
      index[at + 1] = bytes === null ? -1 : bytes.length
      if (bytes !== null) p += bytes.copy(data, p)
      return p
    }
    for (let i = from, e = 0; i < to; i++, e += STRIDE) {
      const m = q.message(i)!
      put(m.value, e)
      put(m.key, e + 2)
      index[e + 4] = this.partitionOf(m)
      index[e + 5] = p
      if (m.headers.length === 0) {
        index[e + 6] = 0
      } else {
        p = data.writeInt32LE(m.headers.length, p)
        for (const h of m.headers) {
          p = data.writeInt32LE(h.key.length, p)
          p += h.key.copy(data, p)
          p = data.writeInt32LE(h.value === null ? -1 : h.value.length, p)
          if (h.value !== null) p += h.value.copy(data, p)
        }
        index[e + 6] = p - index[e + 5]
      }
      this.timestamps[e / STRIDE] = m.timestamp ?? 0
    }
    return this.produce(data, from, to - from, timestamps ? this.timestamps : null, 0)
  }

  /**
   * Hands index entries 0..count-1 (queue entries from..) to the client, resuming after full queues and refusals.
   * Returns how many were handled: all, unless the run must stop.
   */
  private async produce(
    data: Buffer,
    from: number,
    count: number,
    timestamps: Float64Array | null,
    flags: number,
  ): Promise<number> {
    const producer = this.producer as BatchProducer
    const {topic} = this.options
    let first = 0
    while (first < count) {
      const [accepted, code] = producer.produceBatch(topic, data, this.index, first, count - first, timestamps, flags)
      this.stats.accepted += accepted
      first += accepted
      if (code === 0) break
      if (code === RdCode.queueFull) {
        // The local queue is full: let librdkafka send, then go on from the first message it did not take.
        producer.poll()
        await sleep(1)
        if (this.control.stopped) return first
        continue
      }
      const line = this.queue.lines[from + first]
      if (code === BAD_MESSAGE && (flags & VALIDATE_JSON) !== 0) {
        const start = this.index[first * STRIDE]
        const value = data.subarray(start, start + this.index[first * STRIDE + 1])
        if (this.options.onInvalid(line, value, this.options.explainInvalidJson(value)) === 'stop') return first + 1
      } else {
        this.refused({code, message: `error code ${code}`})
      }
      first++
    }
    return count
  }
}
