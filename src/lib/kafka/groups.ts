// Consumer group look-ups over an admin client: committed offsets and group descriptions (state, coordinator, members),
// each bounded by the settings' timeout, with the binding's crash on errored group descriptions kept out of reach.
import type {GroupDescription, IAdminClient, LibrdKafkaError} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError, RdCode, describeKafkaError, isUnreachable} from '../errors.js'
import type {ResolvedSettings} from '../settings.js'
import {unreachableError} from './client.js'

export interface CommittedOffset {
  topic: string
  partition: number
  /** Negative (librdkafka's -1001) when nothing is committed. */
  offset: number
}

export interface GroupMember {
  memberId: string
  clientId: string
  host: string
  groupInstanceId: string | null
  partitions: Array<{topic: string; partition: number}>
}

export interface GroupInfo {
  group: string
  state: string
  /** The group protocol: `classic` (JoinGroup/SyncGroup) or `consumer` (KIP-848). */
  type: 'classic' | 'consumer' | 'unknown'
  /** The partition assignor (e.g. `range`, `cooperative-sticky`, `uniform`); null when the group has none, e.g. no members. */
  assignor: string | null
  coordinator: {id: number; host: string; port: number} | null
  members: GroupMember[]
}

// Numbers from the binding's ConsumerGroupStates; KIP-848 states the binding does not know arrive as 0.
const stateNames = ['Unknown', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty']
const typeNames = ['unknown', 'consumer', 'classic'] as const

const groupCoordinatorCodes = new Set<number>([
  14, // COORDINATOR_LOAD_IN_PROGRESS
  15, // COORDINATOR_NOT_AVAILABLE
  16, // NOT_COORDINATOR
])

export function unknownGroupError(groups: string[]): KcliError {
  const names = groups.map((g) => `"${g}"`).join(', ')
  return new KcliError(groups.length === 1 ? `group ${names} does not exist` : `groups ${names} do not exist`, {
    exit: ExitCode.usage,
    hint: 'Check the name: group ids are case-sensitive.',
  })
}

function groupError(settings: ResolvedSettings, group: string, what: string, err: unknown): KcliError {
  const code = (err as Partial<LibrdKafkaError> | undefined)?.code
  if (isUnreachable(err) || (code !== undefined && groupCoordinatorCodes.has(code))) {
    return new KcliError(`cannot ${what} of group "${group}": ${describeKafkaError(err)}`, {
      exit: ExitCode.unreachable,
      hint: `The group's coordinator did not answer within ${settings.timeoutMs} ms; try again, or raise --timeout.`,
      cause: err,
    })
  }
  if (code === RdCode.groupAuthorizationFailed) {
    return new KcliError(`not allowed to describe group "${group}"`, {exit: ExitCode.failure, hint: 'The principal needs the Describe permission on the group.', cause: err})
  }
  return new KcliError(`cannot ${what} of group "${group}": ${describeKafkaError(err)}`, {exit: ExitCode.failure, cause: err})
}

/** Runs one callback-style admin call, failing after the timeout even if the binding never calls back. */
function bounded<T>(settings: ResolvedSettings, call: (done: (err: unknown, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(unreachableError(settings, new Error('timed out'))), settings.timeoutMs + 2000)
    try {
      call((err, value) => {
        clearTimeout(timer)
        if (err) reject(err)
        else resolve(value as T)
      })
    } catch (error) {
      clearTimeout(timer)
      reject(error)
    }
  })
}

/**
 * Every offset the group has committed. The binding takes one group per call. This request also goes to the group's
 * coordinator, so its success is what makes `describeGroups` below safe to call.
 */
export async function committedOffsets(admin: IAdminClient, settings: ResolvedSettings, group: string): Promise<CommittedOffset[]> {
  let results
  try {
    results = await bounded<Array<{groupId: string; error?: unknown; partitions: Array<{topic: string; partition: number; offset: number; error?: unknown}>}>>(
      settings,
      (done) => admin.listConsumerGroupOffsets([{groupId: group}], {timeout: settings.timeoutMs}, done),
    )
  } catch (error) {
    throw error instanceof KcliError ? error : groupError(settings, group, 'read the committed offsets', error)
  }
  const result = results.find((r) => r.groupId === group)
  if (!result) throw new KcliError(`the broker returned no offsets for group "${group}"`)
  if (result.error) throw groupError(settings, group, 'read the committed offsets', result.error)
  for (const p of result.partitions) {
    if (p.error) throw groupError(settings, group, `read the committed offset of ${p.topic}[${p.partition}]`, p.error)
  }
  return result.partitions.map(({topic, partition, offset}) => ({topic, partition, offset}))
}

/** Topics the group has committed offsets for: what `consume --group g` resumes when no topic is given. */
export async function committedTopics(admin: IAdminClient, settings: ResolvedSettings, group: string): Promise<string[]> {
  const offsets = await committedOffsets(admin, settings, group)
  return [...new Set(offsets.filter((o) => o.offset >= 0).map((o) => o.topic))].sort()
}

/**
 * Describes groups whose coordinators have just answered `committedOffsets`.
 *
 * The binding (1.10.1) crashes the whole process (SIGSEGV) while converting a description that carries a group-level
 * error, such as a timeout or an unreachable coordinator (its assignor string is NULL; confluentinc/confluent-kafka-javascript
 * #531). Nothing in JavaScript can catch that, so the only defence is order: call this only after the same coordinators
 * answered another request. A coordinator that dies in the few milliseconds between the two calls can still crash it.
 */
export async function describeGroups(admin: IAdminClient, settings: ResolvedSettings, groups: string[]): Promise<GroupInfo[]> {
  let result
  try {
    result = await bounded<{groups: GroupDescription[]}>(settings, (done) => admin.describeGroups(groups, {timeout: settings.timeoutMs}, done))
  } catch (error) {
    throw error instanceof KcliError ? error : groupError(settings, groups.join(','), 'describe', error)
  }
  return groups.map((group) => {
    const desc = result.groups.find((g) => g.groupId === group)
    if (!desc) throw new KcliError(`the broker returned no description for group "${group}"`)
    if (desc.error) throw groupError(settings, group, 'describe', desc.error)
    return toGroupInfo(desc)
  })
}

function toGroupInfo(desc: GroupDescription): GroupInfo {
  return {
    group: desc.groupId,
    state: stateNames[desc.state] ?? 'Unknown',
    type: typeNames[desc.type] ?? 'unknown',
    assignor: desc.partitionAssignor ? desc.partitionAssignor : null,
    coordinator: desc.coordinator ? {id: desc.coordinator.id, host: desc.coordinator.host, port: desc.coordinator.port} : null,
    members: desc.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      groupInstanceId: m.groupInstanceId ?? null,
      partitions: (m.assignment?.topicPartitions ?? [])
        .map((tp) => ({topic: tp.topic, partition: tp.partition}))
        .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition)),
    })),
  }
}

/** A group the broker does not know: described as Dead with no members, and with nothing committed. */
export function isMissingGroup(info: GroupInfo, committed: CommittedOffset[]): boolean {
  return info.state === 'Dead' && info.members.length === 0 && !committed.some((c) => c.offset >= 0)
}
