// What `kcli group describe` reports: the report object (its JSON shape is part of kcli's interface) gathered from the
// cluster, and pure renderers for people.
import type {ChalkInstance} from 'chalk'

import type {ClusterContext} from '../kafka/cluster.js'
import {
  type CommittedOffset,
  type GroupInfo,
  committedOffsets,
  describeGroups,
  describeListing,
  isMissingGroup,
  unknownGroupError,
} from '../kafka/groups.js'
import {type TopicPartition, watermarks} from '../kafka/offsets.js'
import {partitionsByTopic} from '../kafka/topics.js'
import {type LagRow, type PartitionWatermarks, groupLag, toPartitionWatermarks} from './lag.js'
import {outColours, renderTable, terminalSafe} from '../terminal/output.js'

/**
 * One group. Stable JSON: fields are only ever added.
 * - `state`: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead or Unknown (KIP-848 groups that are assigning
 *   or reconciling show as Unknown: the client library does not name those states).
 * - `partitions`: every partition of every topic the group has committed offsets for or is assigned, sorted by topic
 *   and
 * partition. `committed` and `lag` are null where nothing is committed; `logStart`/`logEnd` are null when the topic
 *   no
 *   longer exists; `memberId`/`clientId`/`host` are null when no member owns the partition.
 * - `totalLag`: the sum of the known lags of `partitions`; null when none is known (nothing committed).
 */
export interface GroupReport extends GroupInfo {
  partitions: LagRow[]
  totalLag: number | null
}

/** What `--json` prints: always an object with a `groups` array, however many groups were asked for. */
export interface GroupDescribeResult {
  groups: GroupReport[]
}

export interface GroupReportOptions {
  /** Only report partitions of these topics. Members are always reported whole. */
  topics?: string[]
}

/**
 * Gathers the reports of several groups. The order of the calls below (committed offsets first, so the coordinators
 * have answered) is what keeps the client library's crash on errored group descriptions out of reach (see
 * kafka/groups.ts).
 */
export async function groupReports(
  cluster: ClusterContext,
  groups: string[],
  options: GroupReportOptions = {},
): Promise<GroupDescribeResult> {
  const names = [...new Set(groups)]
  // The listing describeGroups may need goes beside the offsets (one round trip less); the description itself only
  // after them. A failure of the offsets is the one reported when both fail, as when they ran one after the other.
  const [offsets, listing] = await Promise.allSettled([
    Promise.all(names.map((group) => committedOffsets(cluster, group))),
    describeListing(cluster),
  ])
  if (offsets.status === 'rejected') throw offsets.reason
  if (listing.status === 'rejected') throw listing.reason
  const committed = offsets.value
  const wanted = options.topics && options.topics.length > 0 ? new Set(options.topics) : undefined
  const keep = (topic: string) => wanted === undefined || wanted.has(topic)
  const committedKept: CommittedOffset[][] = committed.map((offsets) => offsets.filter((c) => keep(c.topic)))
  // The partitions and log offsets of the topics the groups committed to are asked for beside the description (a
  // member is almost always assigned those same topics): one round trip less. A failed description is still the
  // error reported when both fail.
  const committedTopics = new Set(committedKept.flatMap((offsets) => offsets.map((c) => c.topic)))
  const early = topicsState(cluster, [...committedTopics])
  // Handled from the start (a failure before it is awaited must not count as unhandled); before an error ends the run
  // and its clients are closed, what was asked beside it has answered.
  const settled = early.then(
    () => undefined,
    () => undefined,
  )
  let infos: GroupInfo[]
  try {
    infos = await describeGroups(cluster, names, listing.value)
  } catch (error) {
    await settled
    throw error
  }

  const missing = names.filter((_, i) => isMissingGroup(infos[i], committed[i]))
  if (missing.length > 0) {
    await settled
    throw unknownGroupError(missing)
  }

  const assignedKept = infos.map((info) =>
    info.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.host,
      partitions: m.partitions.filter((p) => keep(p.topic)),
    })),
  )
  const assignedOnly = new Set<string>()
  for (const members of assignedKept)
    for (const m of members) for (const p of m.partitions) if (!committedTopics.has(p.topic)) assignedOnly.add(p.topic)
  const [first, rest] = await Promise.all([early, topicsState(cluster, [...assignedOnly])])
  const topicPartitions = new Map([...first.partitions, ...rest.partitions])
  const byPartition = new Map([...first.watermarks, ...rest.watermarks])

  return {
    groups: infos.map((info, i) => {
      const lag = groupLag({
        committed: committedKept[i],
        watermarks: byPartition,
        members: assignedKept[i],
        topicPartitions,
      })
      return {...info, partitions: lag.rows, totalLag: lag.totalLag}
    }),
  }
}

/**
 * The partitions of topics and their log start and end offsets. A deleted topic has no partitions: its committed rows
 * stay, without log offsets.
 */
async function topicsState(
  cluster: ClusterContext,
  topics: string[],
): Promise<{partitions: Map<string, number[]>; watermarks: Map<string, PartitionWatermarks>}> {
  const partitions = await partitionsByTopic(cluster, topics)
  const all: TopicPartition[] = []
  for (const [topic, ids] of partitions) for (const partition of ids) all.push({topic, partition})
  return {partitions, watermarks: toPartitionWatermarks(await watermarks(cluster, all))}
}

// Below here: printing. Pure functions of a report, so they are tested without a cluster.

const dash = '-'
const cell = (value: string | number | null): string => (value === null ? dash : terminalSafe(String(value)))

/** A lag as the group tables print it: `-` when unknown, yellow when the group is behind, red when negative. */
export function lagCell(lag: number | null | undefined, colours: ChalkInstance): string {
  if (lag === null || lag === undefined) return dash
  if (lag > 0) return colours.yellow(String(lag))
  if (lag < 0) return colours.red(String(lag))
  return String(lag)
}

/** GROUP COORDINATOR STATE ASSIGNOR MEMBERS TOTAL-LAG, one row per group. */
export function renderGroupSummary(reports: GroupReport[], colours: ChalkInstance = outColours()): string {
  return renderTable([
    ['GROUP', 'COORDINATOR', 'STATE', 'ASSIGNOR', 'MEMBERS', 'TOTAL-LAG'],
    ...reports.map((r) => [
      cell(r.group),
      r.coordinator ? `${r.coordinator.id} (${cell(r.coordinator.host)}:${r.coordinator.port})` : dash,
      r.state,
      cell(r.assignor),
      String(r.members.length),
      lagCell(r.totalLag, colours),
    ]),
  ])
}

/** Assigned partitions the way Kafka's tools write them: `orders(0,1,2) billing(3)`. */
export function formatAssignment(partitions: Array<{topic: string; partition: number}>): string {
  const byTopic = new Map<string, number[]>()
  for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition])
  return [...byTopic].map(([topic, ids]) => `${terminalSafe(topic)}(${ids.join(',')})`).join(' ')
}

/** MEMBER-ID CLIENT-ID HOST [INSTANCE-ID] PARTITIONS; empty text when the group has no members. */
export function renderMembers(report: GroupReport): string {
  if (report.members.length === 0) return ''
  const statics = report.members.some((m) => m.groupInstanceId !== null)
  const header = ['MEMBER-ID', 'CLIENT-ID', 'HOST', ...(statics ? ['INSTANCE-ID'] : []), 'PARTITIONS']
  return renderTable([
    header,
    ...report.members.map((m) => [
      cell(m.memberId),
      cell(m.clientId),
      cell(m.host),
      ...(statics ? [cell(m.groupInstanceId)] : []),
      m.partitions.length > 0 ? formatAssignment(m.partitions) : dash,
    ]),
  ])
}

/** The rpk/Kafka per-partition table; `-` where nothing is committed or nothing is known. */
export function renderPartitions(report: GroupReport, colours: ChalkInstance = outColours()): string {
  if (report.partitions.length === 0) return ''
  return renderTable([
    [
      'TOPIC',
      'PARTITION',
      'CURRENT-OFFSET',
      'LOG-START-OFFSET',
      'LOG-END-OFFSET',
      'LAG',
      'MEMBER-ID',
      'CLIENT-ID',
      'HOST',
    ],
    ...report.partitions.map((row) => [
      cell(row.topic),
      String(row.partition),
      cell(row.committed),
      cell(row.logStart),
      cell(row.logEnd),
      lagCell(row.lag, colours),
      cell(row.memberId),
      cell(row.clientId),
      cell(row.host),
    ]),
  ])
}

/** Everything about one group, blocks separated by blank lines. */
export function renderGroupReport(report: GroupReport, colours: ChalkInstance = outColours()): string {
  const blocks = [renderGroupSummary([report], colours)]
  const members = renderMembers(report)
  blocks.push(members === '' ? `Group "${cell(report.group)}" has no active members.` : members)
  const partitions = renderPartitions(report, colours)
  blocks.push(partitions === '' ? 'No partitions to show: nothing committed and nothing assigned.' : partitions)
  return blocks.join('\n\n')
}
