// `kcli topic offsets`: each partition's earliest and latest offsets, and the offset at a point in time, as
// kafka-get-offsets finds them; `@<time>` is read as `consume -o @<time>` reads it.
import {parseOffsetRange} from '../consume/offset-spec.js'
import {usageError} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {offsetsForTime, tpKey, watermarks} from '../kafka/offsets.js'
import {topicPartitions} from '../kafka/topics.js'
import {renderTable, terminalSafe} from '../terminal/output.js'

/** One partition. Stable JSON: fields are only ever added. */
export interface PartitionOffsets {
  partition: number
  /** The log start offset: the oldest message still kept. */
  earliest: number
  /** The log end offset (high watermark): where the next message goes. */
  latest: number
  /**
   * With --at: the first message at or after the time (offset and timestamp); where no message is that recent, the
   * offset is `latest` (where a consumer starting at that time begins) and the timestamp null.
   */
  atTime: {offset: number; timestamp: number | null} | null
}

/** What `--json` prints. Stable: fields are only ever added. */
export interface TopicOffsetsResult {
  topic: string
  /** The --at time in ms since the epoch, or null. */
  at: number | null
  partitions: PartitionOffsets[]
}

/**
 * A point in time as `consume -o` reads it after its `@`: ms since the epoch, an ISO 8601 date-time, or a time before
 * now (`-1h`). The `@` may be left out.
 */
export function parseTimeFlag(text: string, flag: string, now: number = Date.now()): number {
  const spec = parseOffsetRange(text.startsWith('@') ? text : `@${text}`, now, flag)
  if (spec.start.kind !== 'time' || spec.stop !== undefined)
    throw usageError(
      `${flag}: "${text}" is not a point in time`,
      'For example: @2026-11-30T10:00Z, @-1h or @1764496800000.',
    )
  return spec.start.ms
}

/** The partitions asked for with -p (each checked against the topic), or all of them; a missing topic exits 2. */
export async function selectPartitions(
  cluster: ClusterContext,
  topic: string,
  wanted: number[] = [],
): Promise<number[]> {
  const ids = await topicPartitions(cluster, topic)
  for (const p of wanted)
    if (!ids.includes(p)) throw usageError(`-p ${p}: topic "${topic}" has partitions 0-${ids.length - 1}`)
  return wanted.length === 0 ? ids : [...new Set(wanted)].sort((a, b) => a - b)
}

export async function topicOffsets(
  cluster: ClusterContext,
  options: {topic: string; partitions?: number[]; at?: number},
): Promise<TopicOffsetsResult> {
  const {topic, at} = options
  const partitions = (await selectPartitions(cluster, topic, options.partitions)).map((partition) => ({
    topic,
    partition,
  }))
  const marks = await watermarks(cluster, partitions)
  const timed = at === undefined ? undefined : await offsetsForTime(cluster, partitions, at)
  return {
    topic,
    at: at ?? null,
    partitions: partitions.map(({partition}) => {
      const key = tpKey(topic, partition)
      const {low, high} = marks.get(key) ?? {low: 0, high: 0}
      const found = timed?.get(key)
      return {
        partition,
        earliest: low,
        latest: high,
        atTime: timed === undefined ? null : found ? found : {offset: high, timestamp: null},
      }
    }),
  }
}

// Below here: printing.

const isoTime = (ms: number) => new Date(ms).toISOString()

/** PARTITION EARLIEST LATEST, and with --at OFFSET-AT-TIME and the TIMESTAMP of the message there. */
export function renderTopicOffsets(result: TopicOffsetsResult): string {
  const timed = result.at !== null
  return renderTable([
    ['PARTITION', 'EARLIEST', 'LATEST', ...(timed ? ['OFFSET-AT-TIME', 'TIMESTAMP'] : [])],
    ...result.partitions.map((p) => [
      String(p.partition),
      String(p.earliest),
      String(p.latest),
      ...(p.atTime === null
        ? []
        : [
            String(p.atTime.offset),
            p.atTime.timestamp === null ? '- (none that recent)' : isoTime(p.atTime.timestamp),
          ]),
    ]),
  ])
}

/** The line above the table with --at: which instant was looked up, in UTC. */
export function atTimeNote(result: TopicOffsetsResult): string | undefined {
  if (result.at === null) return undefined
  return `Offsets at ${isoTime(result.at)}: the first message of ${terminalSafe(result.topic)} at or after it, in each partition.`
}
