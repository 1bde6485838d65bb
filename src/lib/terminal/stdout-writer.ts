// Writes output in large chunks and knows exactly how much reached the pipe: a closed pipe (`| head`) ends the run
// quietly, and only records (lines) that were fully written count as written.
import fs from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

import {KcliError, errorReport} from '../errors.js'

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/** Blocks the thread briefly; used only when a non-blocking pipe is full (EAGAIN). */
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}

// A reader usually empties a full pipe within microseconds, so the first waits block briefly (fast); once the pipe
// stays full for longer, waits go through the event loop so signals (Ctrl-C) are still handled.
const blockingWaitLimitMs = 2
// Once abandoned, the record being written gets this long to complete before it is cut: a reader that never reads
// again must not keep kcli alive.
const finishLineMs = 2000

// Formatted and not yet written, this much is offered to the pipe while formatting goes on (writeAhead). A pipe holds
// 64 KiB: a batch written only once complete filled it at once, then waited for the reader to drain it, chunk by chunk
// (a fifth of a JSON-lines run into `| wc -l`), while the reader had been idle during the formatting.
const writeAheadBytes = 64 << 10

const POWERS_OF_TEN = Array.from({length: 16}, (_, i) => 10 ** i)

// Up to this length, text is copied into the batch in JS; longer text goes through Buffer's encoder.
const shortText = 64

/** Bytes of whole records (lines) being written, and where each record ends. */
export class OutputBatch {
  buffer: Buffer
  length = 0
  /** End offset of each record in `buffer`. */
  readonly ends: number[] = []
  /** Bytes already written by `RecordWriter.writeAhead`. */
  written = 0
  /** Where `writeAhead` next tries: after a full pipe, once another chunk is formatted. */
  writeAheadAt = writeAheadBytes

  constructor(initialBytes = 1 << 20) {
    this.buffer = Buffer.allocUnsafe(initialBytes)
  }

  get records(): number {
    return this.ends.length
  }

  /** Makes room for `bytes` more bytes. */
  reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes))
    this.buffer.copy(grown, 0, 0, this.length)
    this.buffer = grown
  }

  /** Text as UTF-8. */
  text(value: string): void {
    this.reserve(value.length * 3)
    if (value.length <= shortText) {
      // A short string byte by byte while it is ASCII: cheaper than a call into Buffer's encoder, which JSON lines
      // make several times a message.
      const o = this.buffer
      let p = this.length
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i)
        if (c >= 0x80) {
          this.length += o.write(value, this.length, 'utf8')
          return
        }
        o[p++] = c
      }
      this.length = p
      return
    }
    this.length += this.buffer.write(value, this.length, 'utf8')
  }

  /** Text known to be ASCII (numbers, JSON punctuation, base64): no encoding work. */
  ascii(value: string): void {
    this.reserve(value.length)
    if (value.length <= shortText) {
      const o = this.buffer
      let p = this.length
      for (let i = 0; i < value.length; i++) o[p++] = value.charCodeAt(i)
      this.length = p
      return
    }
    this.length += this.buffer.write(value, this.length, 'latin1')
  }

  bytes(source: Uint8Array, start = 0, end = source.length): void {
    this.reserve(end - start)
    // A plain view: a Buffer's subarray() builds a Buffer, at twice the cost of this copy of a message-sized value.
    this.buffer.set(new Uint8Array(source.buffer, source.byteOffset + start, end - start), this.length)
    this.length += end - start
  }

  /**
   * A number in decimal as String() writes it: an offset or a timestamp, digit by digit, which is twice as fast as
   * String(n) (its conversion of a number beyond the small-integer range is the costly part). Anything else (negative,
   * fractional, from 10^16 on, such as a timestamp a producer set in nanoseconds) goes through String().
   */
  integer(value: number): void {
    if (!(value >= 0 && value < 1e16 && Number.isInteger(value))) return this.ascii(String(value))
    this.reserve(16)
    let digits = 1
    while (digits < 16 && value >= POWERS_OF_TEN[digits]) digits++
    const o = this.buffer
    let p = this.length + digits
    this.length = p
    let rest = value
    do {
      const next = Math.floor(rest / 10)
      o[--p] = 0x30 + (rest - next * 10)
      rest = next
    } while (rest > 0)
  }

  byte(value: number): void {
    this.reserve(1)
    this.buffer[this.length++] = value
  }

  /** Marks the end of a record (after its newline, if it has one). */
  end(): void {
    this.ends.push(this.length)
  }

  clear(): void {
    this.length = 0
    this.ends.length = 0
    this.written = 0
    this.writeAheadAt = writeAheadBytes
  }
}

/** Writes record batches to a file descriptor (stdout or --output-file). */
export class RecordWriter {
  private closed = false

  constructor(private readonly fd: number) {}

  get isClosed(): boolean {
    return this.closed
  }

  /**
   * Offers the records formatted so far to the pipe once a chunk is waiting, without ever waiting: a full pipe leaves
   * them for `write()`. Called after each record, so the reader drains the pipe while the rest of the batch is
   * formatted.
   */
  writeAhead(batch: OutputBatch): void {
    if (batch.length < batch.writeAheadAt || this.closed) return
    try {
      batch.written += fs.writeSync(this.fd, batch.buffer, batch.written, batch.length - batch.written)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EPIPE' || code === 'ECONNRESET') this.closed = true
      else if (code !== 'EAGAIN') throw writeFailed(error)
    }
    batch.writeAheadAt = Math.max(batch.written, batch.length) + writeAheadBytes
  }

  /**
   * Writes the rest of the batch (after what `writeAhead` wrote) and clears it. Returns how many of its records were
   * written whole; fewer than it held when the reader went away (the writer is then closed) or when `abandon()` turned
   * true while the reader was not reading.
   */
  async write(batch: OutputBatch, abandon: () => boolean = () => false): Promise<number> {
    const {buffer, length, ends} = batch
    const records = ends.length
    try {
      if (this.closed) return wholeRecords(ends, batch.written)
      if (records === 0) return 0
      let written = batch.written
      let waitMs = 0.05
      let blockedMs = 0
      // Where to stop once abandoned: the end of the record being written, so none is cut in half if the reader reads.
      let stopAt = length
      let abandonedAt = 0
      while (written < stopAt) {
        try {
          written += fs.writeSync(this.fd, buffer, written, stopAt - written)
          waitMs = 0.05
          blockedMs = 0
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code
          if (code === 'EAGAIN') {
            if (blockedMs < blockingWaitLimitMs) {
              pause(waitMs)
              blockedMs += waitMs
              waitMs = Math.min(waitMs * 2, 1)
            } else {
              await sleep(5)
              if (abandonedAt === 0 && abandon()) {
                abandonedAt = Date.now()
                stopAt = ends.find((end) => end >= written) ?? length
              } else if (abandonedAt > 0 && Date.now() - abandonedAt > finishLineMs) {
                break
              }
            }
            continue
          }
          if (code === 'EPIPE' || code === 'ECONNRESET') {
            this.closed = true
            return wholeRecords(ends, written)
          }
          throw writeFailed(error)
        }
      }
      return wholeRecords(ends, written)
    } finally {
      batch.clear()
    }
  }
}

/** How many records end at or before byte `written`. */
function wholeRecords(ends: number[], written: number): number {
  let low = 0
  let high = ends.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (ends[mid] <= written) low = mid + 1
    else high = mid
  }
  return low
}

/** A write that failed other than by its reader going away (a full disk, /dev/full, an I/O error), in one line. */
function writeFailed(error: unknown): KcliError {
  return new KcliError(`cannot write the output: ${errorReport(error).message}`, {cause: error})
}

/** Lines of text (or bytes) for a RecordWriter: each push is one record, ended by `terminator`. */
export class LineWriter {
  private batch = new OutputBatch(64 * 1024)
  // Lines pushed while a flush waits on a full pipe go to the other batch.
  private spare?: OutputBatch
  private readonly writer: RecordWriter
  private readonly terminator: Buffer

  /** `terminator` ends each line: a newline, or nothing when a format string brings its own. */
  constructor(fd: number, terminator = '\n') {
    this.writer = new RecordWriter(fd)
    this.terminator = Buffer.from(terminator)
  }

  get isClosed(): boolean {
    return this.writer.isClosed
  }

  get pending(): number {
    return this.batch.records
  }

  /** Queues one line (without its terminator) for the next flush. */
  push(line: string | Buffer): void {
    if (typeof line === 'string') this.batch.text(line)
    else this.batch.bytes(line)
    this.batch.bytes(this.terminator)
    this.batch.end()
  }

  /** Writes the lines queued so far; see RecordWriter.write. Lines pushed meanwhile wait for the next flush. */
  async flush(abandon?: () => boolean): Promise<number> {
    const batch = this.batch
    this.batch = this.spare ?? new OutputBatch(64 * 1024)
    this.spare = undefined
    try {
      return await this.writer.write(batch, abandon)
    } finally {
      this.spare = batch
    }
  }
}
