// `kcli topic trim`: deletes the messages before an offset or a point in time (Kafka's DeleteRecords, as
// kafka-delete-records does): the plan per partition, then the deletion.
import type {DeleteRecordsResult} from '@confluentinc/kafka-javascript'

import {type StartSpec, parseOffsetRange, startOffset} from '../consume/offset-spec.js'
import {KcliError, describeKafkaError, failedTo, usageError} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {offsetsForTime, tpKey, watermarks} from '../kafka/offsets.js'
import {renderTable} from '../terminal/output.js'
import {selectPartitions} from './offsets-report.js'

/** One partition of the plan. Stable JSON: fields are only ever added. */
export interface TrimRow {
  partition: number
  /** The log start offset before the trim. */
  earliest: number
  latest: number
  /** The log start offset after it: the first message kept. */
  newEarliest: number
  /** newEarliest − earliest: exact for plain topics, an upper bound with transaction markers. */
  deleted: number
}

/** What `--json` prints. Stable: fields are only ever added. */
export interface TrimResult {
  topic: string
  /** --before as given. */
  before: string
  dryRun: boolean
  /** True once the broker deleted the messages; false for a dry run, an unanswered question, or nothing to delete. */
  applied: boolean
  partitions: TrimRow[]
}

/**
 * `--before` as `consume -o` reads a start: an offset N, `@<time>` (the first message at or after it is kept), `end`
 * (everything), `-N` (keep the last N), `+N` (delete the first N). A range is refused.
 */
export function parseTrimPoint(text: string, now: number = Date.now()): StartSpec {
  const spec = parseOffsetRange(text, now, '--before')
  if (spec.stop !== undefined)
    throw usageError(`--before ${text}: give one point, not a range`, 'For example: --before 1000 or --before @-7d.')
  return spec.start
}

/** How many messages go from each partition; partitions that already start at or after the point delete none. */
export async function planTrim(
  cluster: ClusterContext,
  options: {topic: string; before: string; point: StartSpec; partitions?: number[]},
): Promise<TrimResult> {
  const {topic, point} = options
  const partitions = (await selectPartitions(cluster, topic, options.partitions)).map((partition) => ({
    topic,
    partition,
  }))
  const marks = await watermarks(cluster, partitions)
  const timed = point.kind === 'time' ? await offsetsForTime(cluster, partitions, point.ms) : undefined
  const rows = partitions.map(({partition}): TrimRow => {
    const key = tpKey(topic, partition)
    const bounds = marks.get(key) ?? {low: 0, high: 0}
    // No message at or after the time: every message is older, so all go.
    const target = startOffset(point, bounds, timed ? (timed.get(key)?.offset ?? bounds.high) : undefined)
    const newEarliest = Math.max(bounds.low, Math.min(target, bounds.high))
    return {partition, earliest: bounds.low, latest: bounds.high, newEarliest, deleted: newEarliest - bounds.low}
  })
  return {topic, before: options.before, dryRun: false, applied: false, partitions: rows}
}

export const trimTotal = (result: TrimResult) => result.partitions.reduce((sum, p) => sum + p.deleted, 0)

const policyViolation = 44

/** Deletes what the plan says in one request; the broker's new log start offsets go into the result. */
export async function applyTrim(cluster: ClusterContext, plan: TrimResult): Promise<TrimResult> {
  const todo = plan.partitions.filter((p) => p.deleted > 0)
  if (todo.length === 0) return plan
  const admin = await cluster.admin()
  const what = `delete messages of topic "${plan.topic}"`
  let results: DeleteRecordsResult[]
  try {
    results = await cluster.call<DeleteRecordsResult[]>((done) =>
      admin.deleteRecords(
        todo.map((p) => ({topic: plan.topic, partition: p.partition, offset: p.newEarliest})),
        // The wrapper names the operation timeout operationTimeout, the native call reads operation_timeout.
        {
          timeout: cluster.timeoutMs,
          operationTimeout: cluster.timeoutMs,
          operation_timeout: cluster.timeoutMs,
        } as never,
        done,
      ),
    )
  } catch (error) {
    throw failedTo(what, error)
  }
  const low = new Map<number, number>()
  for (const r of results) {
    if (r.error?.code === policyViolation)
      throw new KcliError(`cannot ${what}: ${describeKafkaError(r.error)}`, {
        hint: 'Kafka deletes records only from topics whose cleanup.policy includes delete.',
      })
    if (r.error) throw failedTo(`${what} on partition ${r.partition}`, r.error)
    low.set(r.partition, r.lowWatermark)
  }
  return {
    ...plan,
    applied: true,
    partitions: plan.partitions.map((p) => {
      const newEarliest = low.get(p.partition) ?? p.newEarliest
      return {...p, newEarliest, deleted: newEarliest - p.earliest}
    }),
  }
}

// Below here: printing.

export function renderTrimPlan(result: TrimResult): string {
  return renderTable([
    ['PARTITION', 'EARLIEST', 'LATEST', 'NEW-EARLIEST', result.applied ? 'DELETED' : 'TO-DELETE'],
    ...result.partitions.map((p) => [
      String(p.partition),
      String(p.earliest),
      String(p.latest),
      String(p.newEarliest),
      String(p.deleted),
    ]),
  ])
}

export function trimQuestion(result: TrimResult): string {
  const total = trimTotal(result)
  const partitions = result.partitions.filter((p) => p.deleted > 0).map((p) => p.partition)
  return `Delete ${total} message${total === 1 ? '' : 's'} of topic "${result.topic}" (partition${partitions.length === 1 ? '' : 's'} ${partitions.join(', ')})?`
}
