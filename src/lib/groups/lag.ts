// Pure lag arithmetic for a consumer group: committed offsets, watermarks and member assignments in, one row per
// partition and the group's total lag out. Nothing here talks to Kafka, so every rule is unit-tested with plain data.
import {type Watermarks, tpKey} from '../kafka/offsets.js'

export interface GroupMemberAssignment {
  memberId: string
  clientId: string
  host: string
  partitions: Array<{topic: string; partition: number}>
}

export interface PartitionWatermarks {
  /** The log start offset: the oldest record still kept. */
  logStart: number
  /** The log end offset: the offset the next record will get. */
  logEnd: number
}

export interface LagInput {
  /**
   * Committed offsets as the broker returned them; a negative offset (librdkafka's -1001) means nothing is committed.
   */
  committed: Array<{topic: string; partition: number; offset: number}>
  /**
   * Watermarks by `tpKey(topic, partition)`; a partition without an entry (e.g. its topic was deleted) gets null cells.
   */
  watermarks: Map<string, PartitionWatermarks>
  members: GroupMemberAssignment[]
  /**
   * Every partition of each topic the group touches, so a partition the group never committed to still gets a row
   * (with `-` for its offset). Optional: without it only committed or assigned partitions appear.
   */
  topicPartitions?: Map<string, number[]>
}

export interface LagRow {
  topic: string
  partition: number
  /** The group's committed offset (the next record it will read); null when nothing is committed. */
  committed: number | null
  logStart: number | null
  logEnd: number | null
  /** logEnd - committed; null when either is unknown. */
  lag: number | null
  memberId: string | null
  clientId: string | null
  host: string | null
}

export interface GroupLag {
  rows: LagRow[]
  /**
   * The sum of every known lag; partitions with nothing committed add nothing (their lag is unknown, not zero). Null
   * when no lag is known at all: unknown, never 0.
   */
  totalLag: number | null
}

/** The brokers' low and high watermarks as log start and end offsets, under the same `tpKey` keys. */
export function toPartitionWatermarks(marks: Map<string, Watermarks>): Map<string, PartitionWatermarks> {
  return new Map([...marks].map(([key, m]) => [key, {logStart: m.low, logEnd: m.high}]))
}

/**
 * Lag follows Kafka's own ConsumerGroupCommand: lag = logEnd - committed, and nothing else.
 * - Nothing committed: lag is null (printed `-`), never the whole partition and never negative (kaf #303): whether the
 * group would start at the beginning or the end depends on the consumer's auto.offset.reset, which the broker does
 *   not know.
 * - Committed below the log start (records were deleted under the group): still logEnd - committed, as Kafka prints it;
 *   the group will skip the deleted records, and logStart is shown next to it so a reader can see that.
 * - Committed beyond the log end (e.g. the topic was re-created): the negative lag is shown as it is, not clamped to 0,
 *   because it points at a real problem.
 */
export function groupLag(input: LagInput): GroupLag {
  const committed = new Map<string, number>()
  for (const c of input.committed) if (c.offset >= 0) committed.set(tpKey(c.topic, c.partition), c.offset)

  const owner = new Map<string, GroupMemberAssignment>()
  for (const member of input.members) for (const p of member.partitions) owner.set(tpKey(p.topic, p.partition), member)

  const partitions = new Map<string, {topic: string; partition: number}>()
  const add = (topic: string, partition: number) => partitions.set(tpKey(topic, partition), {topic, partition})
  for (const c of input.committed) add(c.topic, c.partition)
  for (const member of input.members) for (const p of member.partitions) add(p.topic, p.partition)
  if (input.topicPartitions) {
    const touched = new Set([...partitions.values()].map((p) => p.topic))
    for (const topic of touched) for (const partition of input.topicPartitions.get(topic) ?? []) add(topic, partition)
  }

  const rows: LagRow[] = [...partitions.values()]
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
    .map(({topic, partition}) => {
      const key = tpKey(topic, partition)
      const offset = committed.get(key) ?? null
      const marks = input.watermarks.get(key)
      const member = owner.get(key)
      return {
        topic,
        partition,
        committed: offset,
        logStart: marks?.logStart ?? null,
        logEnd: marks?.logEnd ?? null,
        lag: offset !== null && marks !== undefined ? marks.logEnd - offset : null,
        memberId: member?.memberId ?? null,
        clientId: member?.clientId ?? null,
        host: member?.host ?? null,
      }
    })

  const known = rows.filter((row) => row.lag !== null)
  return {rows, totalLag: known.length === 0 ? null : known.reduce((sum, row) => sum + (row.lag ?? 0), 0)}
}
