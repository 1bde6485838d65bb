// What `kcli group list` reports: every consumer group with its state, type and member count, optionally its total lag,
// gathered in as few round trips as the client library allows; and the table people read.
import type {ChalkInstance} from 'chalk'

import {usageError} from '../errors.js'
import {lagCell} from './report.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {
  type CommittedOffset,
  committedOffsets,
  describeGroups,
  listGroups,
  requireCompleteListing,
} from '../kafka/groups.js'
import {type TopicPartition, tpKey, watermarks} from '../kafka/offsets.js'
import {partitionsByTopic} from '../kafka/topics.js'
import {groupLag, toPartitionWatermarks} from './lag.js'
import {outColours, renderTable, terminalSafe} from '../terminal/output.js'

/**
 * One group. Stable JSON: fields are only ever added.
 * - `memberCount`: 0 for an Empty group; otherwise from the group's description.
 * - `simple`: the group only ever committed offsets, nobody joined it (e.g. offsets set by `kcli group reset-offsets`).
 * - `totalLag`: only with --lag: the sum of log end offset minus committed offset over the partitions the group has
 *   committed on, as `kcli group describe` computes it; null when the group has committed nothing.
 */
export interface GroupListRow {
  group: string
  state: string
  type: 'classic' | 'consumer' | 'unknown'
  simple: boolean
  memberCount: number
  totalLag?: number | null
}

export interface GroupListResult {
  groups: GroupListRow[]
}

// As the binding names them; KIP-848 groups that are assigning or reconciling are Unknown to it.
export const groupStates = ['Stable', 'Empty', 'PreparingRebalance', 'CompletingRebalance', 'Dead', 'Unknown'] as const

/** Parses --state values (case-insensitive, comma-separated or repeated) into the binding's state names. */
export function parseStates(values: string[]): string[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
  return names.map((name) => {
    const state = groupStates.find((s) => s.toLowerCase() === name.toLowerCase())
    if (!state) throw usageError(`--state: "${name}" is not a group state`, `Use ${groupStates.join(', ')}.`)
    return state
  })
}

/**
 * Lists groups, filtered by state. ListGroups answers with states but no members, so only groups that are not Empty are
 * described, after their coordinators answered `committedOffsets` (the order kafka/groups.ts requires). With `lag`,
 * every
 * group's committed offsets and one batched watermark lookup for all their partitions give the total lags.
 */
export async function groupList(
  cluster: ClusterContext,
  options: {states?: string[]; lag: boolean},
): Promise<GroupListResult> {
  const listing = await listGroups(cluster)
  const wanted = options.states && options.states.length > 0 ? new Set(options.states) : undefined
  const groups = requireCompleteListing(cluster, listing)
    .filter((g) => wanted === undefined || wanted.has(g.state))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))

  const busy = groups.filter((g) => g.state !== 'Empty').map((g) => g.group)
  const needOffsets = options.lag ? groups.map((g) => g.group) : busy
  const committed = new Map<string, CommittedOffset[]>()
  await Promise.all(needOffsets.map(async (group) => committed.set(group, await committedOffsets(cluster, group))))
  const infos = busy.length > 0 ? await describeGroups(cluster, busy, listing) : []
  const memberCounts = new Map(infos.map((info) => [info.group, info.members.length]))

  const lags = options.lag ? await totalLags(cluster, committed) : undefined
  return {
    groups: groups.map((g) => ({
      group: g.group,
      state: g.state,
      type: g.type,
      simple: g.simple,
      memberCount: memberCounts.get(g.group) ?? 0,
      ...(lags ? {totalLag: lags.get(g.group) ?? null} : {}),
    })),
  }
}

async function totalLags(
  cluster: ClusterContext,
  committed: Map<string, CommittedOffset[]>,
): Promise<Map<string, number | null>> {
  const topics = new Set<string>()
  for (const offsets of committed.values()) for (const c of offsets) if (c.offset >= 0) topics.add(c.topic)
  const lags = new Map<string, number | null>()
  if (topics.size === 0) return lags

  // Deleted topics have no partitions, and their committed offsets no lag.
  const existing = await partitionsByTopic(cluster, [...topics])
  const partitions: TopicPartition[] = []
  const seen = new Set<string>()
  for (const offsets of committed.values()) {
    for (const c of offsets) {
      const key = tpKey(c.topic, c.partition)
      if (c.offset >= 0 && existing.get(c.topic)?.includes(c.partition) && !seen.has(key)) {
        seen.add(key)
        partitions.push({topic: c.topic, partition: c.partition})
      }
    }
  }
  const byPartition = toPartitionWatermarks(await watermarks(cluster, partitions))
  for (const [group, offsets] of committed) {
    const lag = groupLag({committed: offsets, watermarks: byPartition, members: []})
    lags.set(group, lag.totalLag)
  }
  return lags
}

// Below here: printing.

/** GROUP STATE TYPE MEMBERS [TOTAL-LAG], one row per group. */
export function renderGroupList(rows: GroupListRow[], withLag: boolean, colours: ChalkInstance = outColours()): string {
  return renderTable([
    ['GROUP', 'STATE', 'TYPE', 'MEMBERS', ...(withLag ? ['TOTAL-LAG'] : [])],
    ...rows.map((r) => [
      terminalSafe(r.group),
      r.state,
      r.simple ? `${r.type} (simple)` : r.type,
      String(r.memberCount),
      ...(withLag ? [lagCell(r.totalLag, colours)] : []),
    ]),
  ])
}
