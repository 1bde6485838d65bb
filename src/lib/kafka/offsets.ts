// Partition offsets from the brokers in one batched admin request: earliest, latest, or the first at a time.
import type {IAdminClient} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError, describeKafkaError, isUnreachable} from '../errors.js'
import {loadKafka} from './client.js'

export interface TopicPartition {
  topic: string
  partition: number
}

export const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`

/**
 * Offsets for many partitions at once. `at` is 'earliest', 'latest', or a timestamp in ms (the first offset whose
 * timestamp is at or after it; the log end offset when there is none).
 */
export async function listOffsets(
  admin: IAdminClient,
  partitions: TopicPartition[],
  at: 'earliest' | 'latest' | number,
  timeoutMs: number,
  readCommitted = false,
): Promise<Map<string, number>> {
  const result = new Map<string, number>()
  if (partitions.length === 0) return result
  const {OffsetSpec} = await loadKafka()
  const spec = at === 'earliest' ? OffsetSpec.EARLIEST : at === 'latest' ? OffsetSpec.LATEST : new OffsetSpec(at)
  const rows = await new Promise<Array<{topic: string; partition: number; offset: number; error?: unknown}>>(
    (resolve, reject) => {
      admin.listOffsets(
        partitions.map((p) => ({...p, offset: spec})),
        // read_committed: 'latest' is the last stable offset, where a read_committed consumer stops while a transaction
        // is open.
        {timeout: timeoutMs, isolationLevel: readCommitted ? 1 : 0},
        (err, res) =>
          err
            ? reject(
                new KcliError(`cannot list offsets: ${describeKafkaError(err)}`, {
                  exit: isUnreachable(err) ? ExitCode.unreachable : ExitCode.failure,
                }),
              )
            : resolve(res),
      )
    },
  )
  for (const row of rows) {
    if (row.error)
      throw new KcliError(`cannot list offsets of ${row.topic}[${row.partition}]: ${describeKafkaError(row.error)}`)
    result.set(tpKey(row.topic, row.partition), row.offset)
  }
  if (typeof at === 'number') {
    // No message at or after the time: start at the end.
    const missing = partitions.filter((p) => (result.get(tpKey(p.topic, p.partition)) ?? -1) < 0)
    if (missing.length > 0)
      for (const [key, offset] of await listOffsets(admin, missing, 'latest', timeoutMs, readCommitted))
        result.set(key, offset)
  }
  return result
}

export interface Watermarks {
  low: number
  high: number
}

export async function watermarks(
  admin: IAdminClient,
  partitions: TopicPartition[],
  timeoutMs: number,
  readCommitted = false,
): Promise<Map<string, Watermarks>> {
  const [low, high] = await Promise.all([
    listOffsets(admin, partitions, 'earliest', timeoutMs),
    listOffsets(admin, partitions, 'latest', timeoutMs, readCommitted),
  ])
  const result = new Map<string, Watermarks>()
  for (const [key, h] of high) result.set(key, {low: low.get(key) ?? 0, high: h})
  return result
}
