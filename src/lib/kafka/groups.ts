// Consumer group calls over an admin client: listing, committed offsets, descriptions (state, coordinator, members),
// deletion and offset commits, each bounded by the settings' timeout, with the binding's crash on errored group
// descriptions kept out of reach.
import type {GroupDescription, GroupOverview, LibrdKafkaError} from '@confluentinc/kafka-javascript'
import {setTimeout as sleep} from 'node:timers/promises'

import {ExitCode, KcliError, RdCode, failedTo, isLibrdkafkaError} from '../errors.js'
import {ClusterContext} from './cluster.js'
import {dataPath} from './fast-path.js'

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
  /**
   * The partition assignor (e.g. `range`, `cooperative-sticky`, `uniform`); null when the group has none, e.g. no
   * members.
   */
  assignor: string | null
  coordinator: {id: number; host: string; port: number} | null
  members: GroupMember[]
}

// Numbers from the binding's ConsumerGroupStates; KIP-848 states the binding does not know arrive as 0.
const stateNames = ['Unknown', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty']
const typeNames = ['unknown', 'consumer', 'classic'] as const

export function unknownGroupError(groups: string[]): KcliError {
  const names = groups.map((g) => `"${g}"`).join(', ')
  return new KcliError(groups.length === 1 ? `group ${names} does not exist` : `groups ${names} do not exist`, {
    exit: ExitCode.usage,
    code: 'UNKNOWN_GROUP',
    hint: 'Check the name: group ids are case-sensitive.',
  })
}

/** `action` names what failed and on which group, e.g. `describe group "billing"`. */
function groupError(cluster: ClusterContext, action: string, err: unknown): KcliError {
  return failedTo(action, err, {
    unreachable: `The group's coordinator did not answer within ${cluster.timeoutMs} ms; try again, or raise --timeout.`,
    denied: 'The principal needs the matching ACL on the group.',
  })
}

const quoted = (groups: string[]) => groups.map((g) => `"${g}"`).join(', ')

const coordinatorBusyCodes = new Set<number>([
  RdCode.coordinatorLoadInProgress,
  RdCode.coordinatorNotAvailable,
  RdCode.notCoordinator,
])
const coordinatorBusy = (err: unknown) => isLibrdkafkaError(err) && coordinatorBusyCodes.has(err.code)

/**
 * A coordinator just elected (a new group, a restarted broker) answers "load in progress" until it has read its
 * partition of __consumer_offsets, and librdkafka's admin calls pass that on: ask again, until the timeout.
 */
export async function askCoordinator<T>(
  cluster: ClusterContext,
  ask: () => Promise<T>,
  errorOf: (r: T) => unknown,
): Promise<T> {
  const deadline = Date.now() + cluster.timeoutMs
  for (;;) {
    let result: T
    try {
      result = await ask()
    } catch (error) {
      if (!coordinatorBusy(error) || Date.now() >= deadline) throw error
      await sleep(200)
      continue
    }
    if (!coordinatorBusy(errorOf(result)) || Date.now() >= deadline) return result
    await sleep(200)
  }
}

/**
 * Every offset the group has committed. The binding takes one group per call. This request also goes to the group's
 * coordinator, so its success is what makes `describeGroups` below safe to call.
 */
export async function committedOffsets(cluster: ClusterContext, group: string): Promise<CommittedOffset[]> {
  const admin = await cluster.offsetsAdmin(group)
  const action = `read the committed offsets of group "${group}"`
  let results
  try {
    results = await askCoordinator(
      cluster,
      () =>
        cluster.call<
          Array<{
            groupId: string
            error?: unknown
            partitions: Array<{topic: string; partition: number; offset: number; error?: unknown}>
          }>
        >((done) => admin.listConsumerGroupOffsets([{groupId: group}], {timeout: cluster.timeoutMs}, done)),
      (r) => r.find((g) => g.groupId === group)?.error,
    )
  } catch (error) {
    throw groupError(cluster, action, error)
  }
  const result = results.find((r) => r.groupId === group)
  if (!result) throw new KcliError(`the broker returned no offsets for group "${group}"`)
  if (result.error) throw groupError(cluster, action, result.error)
  for (const p of result.partitions) {
    if (p.error)
      throw groupError(cluster, `read the committed offset of group "${group}" on ${p.topic}[${p.partition}]`, p.error)
  }
  return result.partitions.map(({topic, partition, offset}) => ({topic, partition, offset}))
}

/** Topics the group has committed offsets for: what `consume --group g` resumes when no topic is given. */
export async function committedTopics(cluster: ClusterContext, group: string): Promise<string[]> {
  const offsets = await committedOffsets(cluster, group)
  return [...new Set(offsets.filter((o) => o.offset >= 0).map((o) => o.topic))].sort()
}

/** A group as ListGroups reports it: no members, but the state tells whether it has any (only `Empty` has none). */
export interface GroupListing {
  group: string
  state: string
  type: 'classic' | 'consumer' | 'unknown'
  /** A group that only ever committed offsets (no member joined with a protocol), e.g. one reset by kcli. */
  simple: boolean
}

export interface GroupListingResult {
  groups: GroupListing[]
  /** Brokers that did not answer: the listing may lack the groups they coordinate. */
  errors: unknown[]
}

/**
 * Every consumer group of the cluster (ListGroups goes to every broker). The binding keeps only groups of the consumer
 * protocol (and simple ones): Kafka Connect, share and streams groups never appear here.
 */
export async function listGroups(cluster: ClusterContext): Promise<GroupListingResult> {
  const admin = await cluster.admin()
  let result
  try {
    // A broker that has just started answers "load in progress" for the groups it coordinates: ask again.
    result = await askCoordinator(
      cluster,
      () =>
        cluster.call<{groups: GroupOverview[]; errors: unknown[]}>((done) =>
          admin.listGroups({timeout: cluster.timeoutMs}, done),
        ),
      (r) => (r.errors ?? []).find(coordinatorBusy),
    )
  } catch (error) {
    throw listError(cluster, error)
  }
  return {
    groups: result.groups.map((g) => ({
      group: g.groupId,
      state: stateNames[g.state] ?? 'Unknown',
      type: typeNames[g.type] ?? 'unknown',
      simple: g.isSimpleConsumerGroup,
    })),
    errors: result.errors ?? [],
  }
}

/** Fails when a broker did not answer the listing, rather than let an incomplete list pass for the whole. */
export function requireCompleteListing(cluster: ClusterContext, listing: GroupListingResult): GroupListing[] {
  if (listing.errors.length > 0) throw listError(cluster, listing.errors[0])
  return listing.groups
}

/**
 * How ListGroups reports one group: undefined when it is not a consumer group the cluster knows (it does not exist, or
 * is a Connect, streams or share group). Fails only when a broker did not answer and the group was not found elsewhere.
 */
export async function findGroup(cluster: ClusterContext, group: string): Promise<GroupListing | undefined> {
  const result = await listGroups(cluster)
  const found = result.groups.find((g) => g.group === group)
  if (!found && result.errors.length > 0) throw listError(cluster, result.errors[0])
  return found
}

function listError(cluster: ClusterContext, err: unknown): KcliError {
  return failedTo('list consumer groups', err, {
    unreachable: `A broker did not answer within ${cluster.timeoutMs} ms; try again, or raise --timeout.`,
  })
}

/** The error for a group that must have no members (offset resets, deletion) but has some; `state` when it is known. */
export function activeGroupError(group: string, action: string, state?: string): KcliError {
  return new KcliError(
    `group "${group}" has active members${state ? ` (state ${state})` : ''}: cannot ${action} while it has any`,
    {
      exit: ExitCode.usage,
      hint: `Stop its consumers first; \`kcli group describe ${group}\` shows who they are.`,
    },
  )
}

/**
 * Describes groups whose coordinators have just answered `committedOffsets`. A group that is not a consumer group (of
 * another protocol, or none at all) is a Dead group with no members, as the broker reports a group that does not exist.
 *
 * The stock binding (1.10.1) crashes the whole process (SIGSEGV) while converting a description that carries a
 * group-level error (its assignor string is NULL; confluentinc/confluent-kafka-javascript #531), which nothing in
 * JavaScript can catch. kcli's patch converts such a description with its error (patches/README.md; it comes with the
 * patch's admin calls, compiled together). On the stock binding the defence is what is asked and when:
 * - Errors from the cluster (timeouts, an unreachable coordinator): call this only after the same coordinators answered
 *   another request. A coordinator that dies in the few milliseconds between the two calls can still crash it.
 * - Groups of another protocol (Kafka Connect, streams, share): librdkafka answers them with an "is not a consumer
 *   group" error, which crashes just the same. So only groups that ListGroups returns (consumer groups) are
 *   described. Pass `listing` (see describeListing) when the caller has just listed the groups, to save a round.
 */
export async function describeGroups(
  cluster: ClusterContext,
  groups: string[],
  listing?: GroupListingResult,
): Promise<GroupInfo[]> {
  const listed = (await describesSafely()) ? undefined : (listing ?? (await listGroups(cluster)))
  const consumerGroups = listed && new Set(listed.groups.map((g) => g.group))
  const unlisted = consumerGroups ? groups.filter((g) => !consumerGroups.has(g)) : []
  // A broker that did not answer may coordinate one of the unlisted groups: nothing can tell what those are.
  if (listed && unlisted.length > 0 && listed.errors.length > 0) throw listError(cluster, listed.errors[0])
  const asked = consumerGroups ? groups.filter((g) => consumerGroups.has(g)) : groups
  let result: {groups: GroupDescription[]} = {groups: []}
  if (asked.length > 0) {
    const admin = await cluster.admin()
    try {
      result = await askCoordinator(
        cluster,
        () =>
          cluster.call<{groups: GroupDescription[]}>((done) =>
            admin.describeGroups(asked, {timeout: cluster.timeoutMs}, done),
          ),
        (r) => r.groups.find((g) => coordinatorBusy(g.error))?.error,
      )
    } catch (error) {
      throw groupError(cluster, `describe ${asked.length === 1 ? 'group' : 'groups'} ${quoted(asked)}`, error)
    }
  }
  return groups.map((group) => {
    const desc = result.groups.find((g) => g.groupId === group)
    if (consumerGroups?.has(group) === false || (desc?.error && notAConsumerGroup(desc.error)))
      return {group, state: 'Dead', type: 'unknown', assignor: null, coordinator: null, members: []}
    if (!desc) throw new KcliError(`the broker returned no description for group "${group}"`)
    if (desc.error) throw groupError(cluster, `describe group "${group}"`, desc.error)
    return toGroupInfo(desc)
  })
}

/**
 * The group listing describeGroups needs, for a caller that can ask for it beside other requests: none where the client
 * library describes any group safely.
 */
export async function describeListing(cluster: ClusterContext): Promise<GroupListingResult | undefined> {
  return (await describesSafely()) ? undefined : listGroups(cluster)
}

async function describesSafely(): Promise<boolean> {
  return (await dataPath()).adminCalls
}

/** librdkafka's answer for a group of another protocol (Kafka Connect's, say). */
function notAConsumerGroup(error: LibrdKafkaError): boolean {
  return error.code === RdCode.invalidArgument && /is not a consumer group/.test(error.message)
}

function toGroupInfo(desc: GroupDescription): GroupInfo {
  return {
    group: desc.groupId,
    state: stateNames[desc.state] ?? 'Unknown',
    type: typeNames[desc.type] ?? 'unknown',
    assignor: desc.partitionAssignor ? desc.partitionAssignor : null,
    coordinator: desc.coordinator
      ? {id: desc.coordinator.id, host: desc.coordinator.host, port: desc.coordinator.port}
      : null,
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

const deleteUsageErrors: Record<number, (group: string) => KcliError> = {
  68: (group) => activeGroupError(group, 'delete it'), // NON_EMPTY_GROUP
  69: (group) => unknownGroupError([group]), // GROUP_ID_NOT_FOUND
}

export interface DeleteOutcome {
  group: string
  /** Null when the group was deleted. */
  error: KcliError | null
}

/**
 * Deletes groups with their committed offsets; the broker refuses groups that still have members. One outcome per
 * group.
 */
export async function deleteGroups(cluster: ClusterContext, groups: string[]): Promise<DeleteOutcome[]> {
  const admin = await cluster.admin()
  let results
  try {
    results = await cluster.call<Array<{groupId: string; errorCode?: number; error?: LibrdKafkaError}>>((done) =>
      admin.deleteGroups(groups, {timeout: cluster.timeoutMs}, done),
    )
  } catch (error) {
    throw groupError(cluster, `delete ${groups.length === 1 ? 'group' : 'groups'} ${quoted(groups)}`, error)
  }
  return groups.map((group) => {
    const result = results.find((r) => r.groupId === group)
    if (!result) return {group, error: new KcliError(`the broker returned no result for deleting group "${group}"`)}
    if (!result.error || !result.errorCode) return {group, error: null}
    const usage = deleteUsageErrors[result.errorCode]
    return {group, error: usage ? usage(group) : groupError(cluster, `delete group "${group}"`, result.error)}
  })
}

const commitUsageErrors: Record<number, (group: string) => KcliError> = {
  25: (group) => activeGroupError(group, 'commit offsets for it'), // UNKNOWN_MEMBER_ID: the group has members
}

/**
 * Commits offsets for a group from outside it, with a consumer that carries the group's id and never joins (the client
 * library has no alter-offsets call). The broker takes such a commit only while the group has no members; otherwise it
 * answers UNKNOWN_MEMBER_ID, reported here as the group having active members (exit 2).
 */
export async function commitOffsetsAsGroup(
  cluster: ClusterContext,
  group: string,
  offsets: CommittedOffset[],
): Promise<void> {
  if (offsets.length === 0) return
  // offset_commit_cb brings the commit's outcome, with a failed partition's error as the overall one (commitSync would
  // block the event loop, and with it every timeout, until the coordinator answers; commitCb only queues the commit).
  // The callback is served only while the consumer polls, hence the consume() loop on a consumer with nothing assigned.
  const consumer = await cluster.connectConsumer({
    'group.id': group,
    'enable.auto.commit': false,
    'enable.auto.offset.store': false,
    offset_commit_cb: true,
  })
  consumer.setDefaultConsumeTimeout(50)
  let settled = false
  try {
    await cluster.call<void>((done) => {
      consumer.once('offset.commit', (err) => {
        settled = true
        done(err ?? undefined)
      })
      consumer.commit(offsets)
      const poll = (): void => {
        if (!settled && consumer.isConnected()) consumer.consume(1, () => setTimeout(poll, 0))
      }
      poll()
    })
  } catch (error) {
    if (error instanceof KcliError) throw error
    const usage = commitUsageErrors[(error as Partial<LibrdKafkaError>).code ?? 0]
    throw usage ? usage(group) : groupError(cluster, `commit offsets for group "${group}"`, error)
  } finally {
    settled = true
  }
}
