// Partition offsets from the brokers in one batched admin request: earliest, latest, or the first at a time.
import type {IAdminClient} from '@confluentinc/kafka-javascript'

import {KcliError, describeKafkaError, failedTo} from '../errors.js'
import {ClusterContext} from './cluster.js'
import {loadKafka} from './client.js'

export interface TopicPartition {
  topic: string
  partition: number
}

export const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`

export type OffsetAt = 'earliest' | 'latest' | number

export interface OffsetOptions {
  /** 'latest' is the last stable offset, where a read_committed consumer stops while a transaction is open. */
  readCommitted?: boolean
}

/**
 * Offsets for many partitions at once. `at` is 'earliest', 'latest', or a timestamp in ms (the first offset whose
 * timestamp is at or after it; the log end offset when there is none).
 */
export async function listOffsets(
  cluster: ClusterContext,
  partitions: TopicPartition[],
  at: OffsetAt,
  options: OffsetOptions = {},
): Promise<Map<string, number>> {
  const admin = partitions.length === 0 ? undefined : await cluster.admin()
  return offsetsOf(admin, partitions, at, cluster.timeoutMs, options.readCommitted ?? false)
}

async function offsetsOf(
  admin: IAdminClient | undefined,
  partitions: TopicPartition[],
  at: OffsetAt,
  timeoutMs: number,
  readCommitted: boolean,
): Promise<Map<string, number>> {
  const result = new Map<string, number>()
  if (partitions.length === 0 || admin === undefined) return result
  for (const row of await offsetRows(admin, partitions, at, timeoutMs, readCommitted))
    result.set(tpKey(row.topic, row.partition), row.offset)
  if (typeof at === 'number') {
    // No message at or after the time: start at the end.
    const missing = partitions.filter((p) => (result.get(tpKey(p.topic, p.partition)) ?? -1) < 0)
    if (missing.length > 0)
      for (const [key, offset] of await offsetsOf(admin, missing, 'latest', timeoutMs, readCommitted))
        result.set(key, offset)
  }
  return result
}

interface OffsetRow extends TopicPartition {
  offset: number
  /** The timestamp of the message at `offset` (lookups by time); -1 where there is none. */
  timestamp: number
}

async function offsetRows(
  admin: IAdminClient,
  partitions: TopicPartition[],
  at: OffsetAt,
  timeoutMs: number,
  readCommitted: boolean,
): Promise<OffsetRow[]> {
  const {OffsetSpec} = await loadKafka()
  const spec = at === 'earliest' ? OffsetSpec.EARLIEST : at === 'latest' ? OffsetSpec.LATEST : new OffsetSpec(at)
  const rows = await new Promise<Array<OffsetRow & {timestamp?: number; error?: unknown}>>((resolve, reject) => {
    admin.listOffsets(
      partitions.map((p) => ({...p, offset: spec})),
      {timeout: timeoutMs, isolationLevel: readCommitted ? 1 : 0},
      (err, res) => (err ? reject(failedTo('list offsets', err)) : resolve(res)),
    )
  })
  for (const row of rows) {
    if (row.error)
      throw new KcliError(`cannot list offsets of ${row.topic}[${row.partition}]: ${describeKafkaError(row.error)}`)
  }
  return rows.map(({topic, partition, offset, timestamp}) => ({topic, partition, offset, timestamp: timestamp ?? -1}))
}

/**
 * The first message at or after `ms` in each partition: its offset and timestamp, or null where no message is that
 * recent.
 */
export async function offsetsForTime(
  cluster: ClusterContext,
  partitions: TopicPartition[],
  ms: number,
): Promise<Map<string, {offset: number; timestamp: number} | null>> {
  const result = new Map<string, {offset: number; timestamp: number} | null>()
  if (partitions.length === 0) return result
  for (const row of await offsetRows(await cluster.admin(), partitions, ms, cluster.timeoutMs, false))
    result.set(tpKey(row.topic, row.partition), row.offset < 0 ? null : {offset: row.offset, timestamp: row.timestamp})
  return result
}

export interface Watermarks {
  low: number
  high: number
}

/** The log start (low) and end (high) offsets of partitions. */
export async function watermarks(
  cluster: ClusterContext,
  partitions: TopicPartition[],
  options: OffsetOptions = {},
): Promise<Map<string, Watermarks>> {
  const admin = partitions.length === 0 ? undefined : await cluster.admin()
  const [low, high] = await Promise.all([
    offsetsOf(admin, partitions, 'earliest', cluster.timeoutMs, false),
    offsetsOf(admin, partitions, 'latest', cluster.timeoutMs, options.readCommitted ?? false),
  ])
  const result = new Map<string, Watermarks>()
  for (const [key, h] of high) result.set(key, {low: low.get(key) ?? 0, high: h})
  return result
}
