// `kcli group reset-offsets` against the cluster: gathers what the plan needs (committed offsets, the group's state,
// partitions, log offsets, time lookups) in batched requests, and applies a plan. The rules live in offset-reset.ts.
import {adminCallsMissing} from '../admin/available.js'
import {alterGroupOffsets} from '../admin/group-offsets.js'
import {KcliError, usageError} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {
  activeGroupError,
  commitOffsetsAsGroup,
  committedOffsets,
  findGroup,
  unknownGroupError,
} from '../kafka/groups.js'
import {type TopicPartition, listOffsets, tpKey, watermarks} from '../kafka/offsets.js'
import {partitionsByTopic, topicPartitions} from '../kafka/topics.js'
import {toPartitionWatermarks} from './lag.js'
import {type ResetRow, type ResetTarget, type TopicScope, planReset} from './reset-plan.js'
import {renderTable, terminalSafe} from '../terminal/output.js'

/**
 * What `--json` prints. Stable: fields are only ever added.
 * - `target`: {kind: earliest | latest | offset (with `offset`) | time (with `timestamp`, ms) | shift (with `by`)}.
 * - `executed`: false for a dry run; true once the new offsets were committed and read back.
 * - `partitions`: {topic, partition, committed (null: nothing committed), newOffset, logStart, logEnd, clamped (null,
 *   or
 *   logStart / logEnd when the target was outside the log)}, sorted by topic and partition.
 */
export interface ResetResult {
  group: string
  target: ResetTarget
  executed: boolean
  partitions: ResetRow[]
}

export interface ResetPlan {
  result: ResetResult
  /** False when the group does not exist yet: executing the plan creates it with these offsets. */
  groupExists: boolean
  /** Partitions the group committed on whose topics are gone: left out, there is nothing to move them to. */
  skipped: TopicPartition[]
}

export const describeTp = (ps: TopicPartition[]) =>
  ps
    .slice(0, 5)
    .map((p) => `${p.topic}[${p.partition}]`)
    .join(', ') + (ps.length > 5 ? `, and ${ps.length - 5} more` : '')

/**
 * The plan for one group. Refuses (exit 2) a group with active members, as kafka-consumer-groups does, even for a dry
 * run: its consumers would commit over the new offsets, and the broker refuses commits from outside a live group.
 */
export async function planGroupReset(
  cluster: ClusterContext,
  options: {group: string; target: ResetTarget; scopes: TopicScope[]},
): Promise<ResetPlan> {
  const {group, target, scopes} = options
  const [committedList, listing] = await Promise.all([committedOffsets(cluster, group), findGroup(cluster, group)])
  if (listing && listing.state !== 'Empty') throw activeGroupError(group, 'reset its offsets', listing.state)
  const committed = new Map<string, number>()
  for (const c of committedList) if (c.offset >= 0) committed.set(tpKey(c.topic, c.partition), c.offset)
  const groupExists = listing !== undefined || committed.size > 0

  const {partitions, skipped} =
    scopes.length > 0
      ? {partitions: await scopedPartitions(cluster, scopes), skipped: []}
      : await committedPartitions(cluster, group, committedList, groupExists)
  const marks = toPartitionWatermarks(await watermarks(cluster, partitions))
  const timeOffsets = target.kind === 'time' ? await listOffsets(cluster, partitions, target.timestamp) : undefined
  const rows = planReset({target, partitions, committed, watermarks: marks, timeOffsets})
  return {result: {group, target, executed: false, partitions: rows}, groupExists, skipped}
}

/** Partitions named by --topic: every partition of a topic given alone, the listed ones of `topic:0,1`. */
async function scopedPartitions(cluster: ClusterContext, scopes: TopicScope[]): Promise<TopicPartition[]> {
  const found = await Promise.all(
    scopes.map(async (scope) => ({scope, ids: await topicPartitions(cluster, scope.topic)})),
  )
  const result: TopicPartition[] = []
  for (const {scope, ids} of found) {
    for (const partition of scope.partitions ?? ids) {
      if (!ids.includes(partition))
        throw usageError(`--topic ${scope.topic}:${partition}: topic ${scope.topic} has partitions 0-${ids.length - 1}`)
      result.push({topic: scope.topic, partition})
    }
  }
  return result
}

/**
 * Without --topic: the partitions the group has committed offsets on, as kafka-consumer-groups --all-topics does.
 * Partitions of topics deleted since are left out (`skipped`): there is nothing to move them to.
 */
async function committedPartitions(
  cluster: ClusterContext,
  group: string,
  committed: Array<{topic: string; partition: number; offset: number}>,
  groupExists: boolean,
): Promise<{partitions: TopicPartition[]; skipped: TopicPartition[]}> {
  if (!groupExists) throw unknownGroupError([group])
  const wanted = committed.filter((c) => c.offset >= 0)
  if (wanted.length === 0)
    throw usageError(
      `group "${group}" has no committed offsets to reset`,
      'Name the partitions with --topic orders or --topic orders:0,1.',
    )
  const topics = [...new Set(wanted.map((c) => c.topic))]
  const existing = await partitionsByTopic(cluster, topics)
  const gone = wanted
    .filter((c) => !existing.get(c.topic)?.includes(c.partition))
    .map(({topic, partition}) => ({topic, partition}))
  const kept = wanted
    .filter((c) => existing.get(c.topic)?.includes(c.partition))
    .map(({topic, partition}) => ({topic, partition}))
  if (kept.length === 0)
    throw usageError(
      `group "${group}" has committed offsets only on topics that no longer exist`,
      'Name the partitions with --topic.',
    )
  return {partitions: kept, skipped: gone}
}

/**
 * Commits the plan's offsets (with AlterConsumerGroupOffsets where the client library has it, else as a consumer in the
 * group's name), then reads them back: a commit that names a partition the broker does not know is dropped without an
 * error reaching the binding, and that must not pass for success.
 */
export async function applyGroupReset(cluster: ClusterContext, result: ResetResult): Promise<ResetResult> {
  const {group, partitions} = result
  const commit = (await adminCallsMissing()) === undefined ? alterGroupOffsets : commitOffsetsAsGroup
  await commit(
    cluster,
    group,
    partitions.map((p) => ({topic: p.topic, partition: p.partition, offset: p.newOffset})),
  )
  const now = new Map((await committedOffsets(cluster, group)).map((c) => [tpKey(c.topic, c.partition), c.offset]))
  const missed = partitions.filter((p) => now.get(tpKey(p.topic, p.partition)) !== p.newOffset)
  if (missed.length > 0) {
    const listing = await findGroup(cluster, group)
    if (listing && listing.state !== 'Empty') throw activeGroupError(group, 'reset its offsets', listing.state)
    throw new KcliError(`the broker did not take the new offsets of group "${group}" on ${describeTp(missed)}`, {
      hint: `Check with \`kcli group describe ${group}\` and run the reset again.`,
    })
  }
  return {...result, executed: true}
}

// Below here: printing.

/** TOPIC PARTITION CURRENT-OFFSET NEW-OFFSET LOG-START-OFFSET LOG-END-OFFSET; `-` where nothing is committed. */
export function renderResetPlan(rows: ResetRow[]): string {
  return renderTable([
    ['TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'NEW-OFFSET', 'LOG-START-OFFSET', 'LOG-END-OFFSET'],
    ...rows.map((r) => [
      terminalSafe(r.topic),
      String(r.partition),
      r.committed === null ? '-' : String(r.committed),
      String(r.newOffset),
      String(r.logStart),
      String(r.logEnd),
    ]),
  ])
}
