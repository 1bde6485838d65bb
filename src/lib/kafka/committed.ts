// Committed offsets of a consumer group, from the group coordinator.
import type {IAdminClient} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError, describeKafkaError} from '../errors.js'

export interface CommittedOffset {
  topic: string
  partition: number
  /** null: nothing committed. */
  offset: number | null
}

/** Offsets a group has committed; the broker reports -1001 where nothing is. */
export async function committedOffsets(admin: IAdminClient, group: string, timeoutMs: number): Promise<CommittedOffset[]> {
  const results = await new Promise<Array<{groupId: string; error?: unknown; partitions: Array<{topic: string; partition: number; offset: number; error?: unknown}>}>>((resolve, reject) => {
    admin.listConsumerGroupOffsets([{groupId: group}], {timeout: timeoutMs}, (err, res) => (err ? reject(err) : resolve(res as never)))
  }).catch((error: unknown) => {
    throw new KcliError(`cannot read the offsets of group "${group}": ${describeKafkaError(error)}`, {exit: ExitCode.unreachable})
  })
  const result = results.find((r) => r.groupId === group)
  if (!result) return []
  if (result.error) throw new KcliError(`cannot read the offsets of group "${group}": ${describeKafkaError(result.error)}`)
  return result.partitions.map((p) => ({topic: p.topic, partition: p.partition, offset: p.offset < 0 ? null : p.offset}))
}

export async function committedTopics(admin: IAdminClient, group: string, timeoutMs: number): Promise<string[]> {
  const offsets = await committedOffsets(admin, group, timeoutMs)
  return [...new Set(offsets.filter((o) => o.offset !== null).map((o) => o.topic))].sort()
}
