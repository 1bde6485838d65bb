// The consume loop: where to start, when to stop, writing lines, and (with a group) committing only what was written.
import type {KafkaConsumer} from '@confluentinc/kafka-javascript'

import type {Formatter} from './format.js'
import {RdCode} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {listOffsets, tpKey, watermarks, type TopicPartition} from '../kafka/offsets.js'
import {type OffsetRange, type StopSpec, startOffset, stopOffset} from './offset-spec.js'
import type {RecordSource} from './source.js'
import type {ConsumedMessage} from '../records/envelope.js'
import {type PackedBatch, RECORD_MESSAGE, RecordCursor} from '../records/packed.js'
import {OutputBatch, type RecordWriter} from '../terminal/stdout-writer.js'

export interface ConsumeLoopOptions {
  range: OffsetRange
  /** Stop after this many messages in all. */
  count?: number
  /** Stop after this long without a message. */
  idleTimeoutMs?: number
  /** Store offsets of written messages, for the group to commit. */
  storeOffsets: boolean
  formatter: Formatter
  writer: RecordWriter
  batchSize: number
  /** The schema registry's decoder (src/lib/registry/decode.ts): sets decodedKey/decodedValue before formatting. */
  decode?: (messages: ConsumedMessage[]) => Promise<void>
}

interface PartitionState {
  /** Exclusive offset to stop before; undefined: no offset stop (or not known yet). */
  stop?: number
  /** Reached its stop; messages already fetched below the stop are still written. */
  done: boolean
  /** Passed a time stop: nothing more is written from it. */
  pastTime?: boolean
  /** Where the last end-of-partition event was, kept in case it arrives before the stop is known. */
  eofAt?: number
}

export type StopReason = 'count' | 'end' | 'idle' | 'signal' | 'closed-output'

export class ConsumeState {
  readonly partitions = new Map<string, PartitionState>()
  written = 0
  /** With a group: partitions have been handed out at least once. */
  assigned = false
  stopRequested = false
  /** A failure in background work (planning a new assignment) that must end the run. */
  failure?: unknown

  allDone(): boolean {
    if (!this.assigned) return false
    for (const p of this.partitions.values()) if (!p.done) return false
    return true
  }
}

/** Start and stop offsets for directly assigned partitions (no group). Returns the assignment to make. */
export async function planAssignment(
  cluster: ClusterContext,
  partitions: TopicPartition[],
  range: OffsetRange,
  state: ConsumeState,
  readCommitted: boolean,
): Promise<Array<TopicPartition & {offset: number}>> {
  const bounds = await watermarks(cluster, partitions, {readCommitted})
  const timed = range.start.kind === 'time' ? await listOffsets(cluster, partitions, range.start.ms) : undefined
  const assignment: Array<TopicPartition & {offset: number}> = []
  for (const tp of partitions) {
    const key = tpKey(tp.topic, tp.partition)
    const b = bounds.get(key) ?? {low: 0, high: 0}
    const start = startOffset(range.start, b, timed?.get(key))
    const stop = stopOffset(range.stop, start, b)
    // An empty partition, or one already at its stop, counts as reached.
    const done = stop !== undefined && start >= stop
    state.partitions.set(key, {stop, done})
    if (!done) assignment.push({...tp, offset: start})
  }
  state.assigned = true
  return assignment
}

/** With a group: registers newly assigned partitions at once (call it from the rebalance event, synchronously). */
export function registerGroupPartitions(partitions: TopicPartition[], state: ConsumeState): TopicPartition[] {
  const fresh = partitions.filter((tp) => !state.partitions.has(tpKey(tp.topic, tp.partition)))
  for (const tp of fresh) state.partitions.set(tpKey(tp.topic, tp.partition), {done: false})
  return fresh
}

/** With a group: learns the stop offset of newly assigned partitions (their end when they were assigned). */
export async function planGroupStops(
  cluster: ClusterContext,
  fresh: TopicPartition[],
  stop: StopSpec | undefined,
  state: ConsumeState,
  readCommitted: boolean,
): Promise<void> {
  if (stop === undefined || fresh.length === 0) return
  const bounds = await watermarks(cluster, fresh, {readCommitted})
  for (const tp of fresh) {
    const entry = state.partitions.get(tpKey(tp.topic, tp.partition))
    if (!entry) continue
    entry.stop = bounds.get(tpKey(tp.topic, tp.partition))?.high
    if (entry.stop !== undefined && entry.eofAt !== undefined && entry.eofAt >= entry.stop) entry.done = true
  }
}

export function watchEof(consumer: KafkaConsumer, state: ConsumeState): void {
  consumer.on('partition.eof', (eof: {topic: string; partition: number; offset: number}) => {
    const entry = state.partitions.get(tpKey(eof.topic, eof.partition))
    if (!entry) return
    entry.eofAt = eof.offset
    // The end may hold transaction markers that never arrive as messages: reaching it counts as reaching the stop.
    if (entry.stop !== undefined && eof.offset >= entry.stop) entry.done = true
  })
}

/** Reads until a stop condition; returns why it stopped. Offsets of written messages are stored as it goes. */
export async function consumeLoop(
  consumer: KafkaConsumer,
  source: RecordSource,
  options: ConsumeLoopOptions,
  state: ConsumeState,
): Promise<StopReason> {
  const timeStop = options.range.stop?.kind === 'time' ? options.range.stop.ms : undefined
  let lastMessageAt = Date.now()
  const out = new OutputBatch()
  // Per written record, in order: where its offset is to be stored (numbers only: no object per message).
  const pendingTopics: string[] = []
  const pendingPartitions: number[] = []
  const pendingOffsets: number[] = []

  for (;;) {
    if (state.stopRequested) return 'signal'
    if (options.count !== undefined && state.written >= options.count) return 'count'
    // Without a stop (-e, a range), an empty or finished assignment just waits: a group may hand out partitions later.
    if (options.range.stop !== undefined && state.allDone()) return 'end'
    if (options.idleTimeoutMs !== undefined && Date.now() - lastMessageAt >= options.idleTimeoutMs) return 'idle'

    let batch: PackedBatch
    try {
      batch = await source(options.batchSize)
    } catch (error) {
      // Transport errors are retried by librdkafka and reported as warnings; anything else ends the run.
      if ((error as {code?: number}).code === RdCode.partitionEof) continue
      throw error
    }
    if (batch.count === 0) continue

    options.formatter.startBatch(batch)
    const decoded = options.decode ? await decodeBatch(batch, options.decode) : undefined
    const partitions = new Map<number, PartitionState | undefined>()
    const c = new RecordCursor(batch)
    let messages = 0
    pendingTopics.length = pendingPartitions.length = pendingOffsets.length = 0
    // Writes the batch's whole records (writeAhead may have sent some already) and stores their offsets.
    const flush = async (): Promise<void> => {
      const written = await options.writer.write(out, () => state.stopRequested)
      state.written += written
      if (options.storeOffsets && written > 0) {
        storeOffsets(consumer, nextOffsets(pendingTopics, pendingPartitions, pendingOffsets, written))
      }
    }
    try {
      while (c.next()) {
        // End-of-partition records also arrive as events (watchEof); errors as warnings from the client.
        if (c.kind !== RECORD_MESSAGE) continue
        const decodedMessage = decoded?.[messages]
        messages++
        const slot = c.topicIndex * 65_536 + c.partition
        let entry = partitions.get(slot)
        if (entry === undefined && !partitions.has(slot)) {
          entry = state.partitions.get(tpKey(c.topic, c.partition))
          partitions.set(slot, entry)
        }
        // Not `done`: an end-of-partition event can arrive before the messages of the same batch are written.
        if (entry?.pastTime) continue
        if (entry?.stop !== undefined && c.offset >= entry.stop) {
          entry.done = true
          continue
        }
        if (timeStop !== undefined && c.timestamp >= timeStop) {
          if (entry) entry.done = entry.pastTime = true
          continue
        }
        if (options.count !== undefined && state.written + pendingOffsets.length >= options.count) break
        options.formatter.write(
          c,
          out,
          decodedMessage && {key: decodedMessage.decodedKey, value: decodedMessage.decodedValue},
        )
        out.end()
        options.writer.writeAhead(out)
        pendingTopics.push(c.topic)
        pendingPartitions.push(c.partition)
        pendingOffsets.push(c.offset)
        if (entry?.stop !== undefined && c.offset + 1 >= entry.stop) entry.done = true
        if (options.writer.isClosed) break
      }
    } catch (error) {
      // The records formatted before go out whole: a line writeAhead began is finished, not left cut.
      out.length = out.ends.at(-1) ?? 0
      await flush()
      throw error
    }
    if (messages === 0) continue
    lastMessageAt = Date.now()

    await flush()
    if (options.writer.isClosed) return 'closed-output'
  }
}

/** The batch's messages, decoded through the schema registry (an object per message: only with a registry). */
async function decodeBatch(
  batch: PackedBatch,
  decode: (messages: ConsumedMessage[]) => Promise<void>,
): Promise<ConsumedMessage[]> {
  const messages: ConsumedMessage[] = []
  const c = new RecordCursor(batch)
  while (c.next()) {
    if (c.kind === RECORD_MESSAGE)
      messages.push({topic: c.topic, partition: c.partition, offset: c.offset, key: c.key(), value: c.value()})
  }
  await decode(messages)
  return messages
}

function storeOffsets(consumer: KafkaConsumer, offsets: Array<TopicPartition & {offset: number}>): void {
  try {
    consumer.offsetsStore(offsets)
  } catch {
    // The partition was revoked meanwhile: its new owner starts from the last commit, so nothing is lost.
  }
}

/** The offset to commit for each partition: one past the last of the first `count` records written. */
export function nextOffsets(
  topics: string[],
  partitions: number[],
  offsets: number[],
  count: number,
): Array<{topic: string; partition: number; offset: number}> {
  const last = new Map<string, {topic: string; partition: number; offset: number}>()
  for (let i = 0; i < count; i++) {
    const key = tpKey(topics[i], partitions[i])
    const seen = last.get(key)
    if (!seen || offsets[i] + 1 > seen.offset)
      last.set(key, {topic: topics[i], partition: partitions[i], offset: offsets[i] + 1})
  }
  return [...last.values()]
}
