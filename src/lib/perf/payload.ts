// The values perf runs send: printable filler, as Kafka's ProducerPerformance sends; for e2e, stamped with the run,
// the message's sequence number and its intended send time, so the consumer can time it in the same process.
import {randomBytes} from 'node:crypto'

/** The stamp at the start of an e2e value: run id (8 bytes), sequence number (8), intended send time (8). */
export const stampBytes = 24

/** A value of `size` random upper-case letters, made once and sent for every message (produce copies it). */
export function fillerValue(size: number): Buffer {
  const value = randomBytes(size)
  for (let i = 0; i < size; i++) value[i] = 65 + (value[i] % 26)
  return value
}

/** Tells this run's messages apart from anything else in the topic. */
export interface RunId {
  high: number
  low: number
}

export function newRunId(): RunId {
  const bytes = randomBytes(8)
  return {high: bytes.readUInt32LE(0), low: bytes.readUInt32LE(4)}
}

/** Writes the stamp into the first 24 bytes of `value` (reused for every message: produce copies it). */
export function stamp(value: Buffer, run: RunId, seq: number, sentAtMs: number): void {
  value.writeUInt32LE(run.high, 0)
  value.writeUInt32LE(run.low, 4)
  value.writeDoubleLE(seq, 8)
  // performance.now(): monotonic, sub-microsecond resolution, same clock in the consumer of the same process.
  value.writeDoubleLE(sentAtMs, 16)
}

export interface Stamp {
  seq: number
  sentAtMs: number
}

/** The stamp of one of this run's values; undefined for any other value. */
export function readStamp(value: Buffer | null | undefined, run: RunId): Stamp | undefined {
  if (!value || value.length < stampBytes) return undefined
  if (value.readUInt32LE(0) !== run.high || value.readUInt32LE(4) !== run.low) return undefined
  return {seq: value.readDoubleLE(8), sentAtMs: value.readDoubleLE(16)}
}
