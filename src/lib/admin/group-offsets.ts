// Committed offsets of a group set from outside it with the AlterConsumerGroupOffsets call of kcli's patch
// (patches/admin.md), instead of a consumer that commits in the group's name.
import type {AlterGroupOffsetsResult} from '@confluentinc/kafka-javascript'

import {KcliError, failedTo} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {type CommittedOffset, activeGroupError} from '../kafka/groups.js'

// UNKNOWN_MEMBER_ID: the group has active members, whose commits the broker would not let an outsider overwrite.
const unknownMemberId = 25

function alterError(cluster: ClusterContext, group: string, err: {code: number; message: string}): KcliError {
  if (err.code === unknownMemberId) return activeGroupError(group, 'commit offsets for it')
  return failedTo(`commit offsets for group "${group}"`, err, {
    unreachable: `The group's coordinator did not answer within ${cluster.timeoutMs} ms; try again, or raise --timeout.`,
    denied: 'The principal needs the matching ACL on the group.',
  })
}

/**
 * Sets the group's committed offsets (creating the group if it has none); the broker takes them only while the group
 * has no members. A partition the broker refuses fails the whole (the others may have been set).
 */
export async function alterGroupOffsets(
  cluster: ClusterContext,
  group: string,
  offsets: CommittedOffset[],
): Promise<void> {
  if (offsets.length === 0) return
  const admin = await cluster.admin()
  let results: AlterGroupOffsetsResult[]
  try {
    results = await cluster.call<AlterGroupOffsetsResult[]>((done) =>
      admin.alterConsumerGroupOffsets(
        [{groupId: group, partitions: offsets.map(({topic, partition, offset}) => ({topic, partition, offset}))}],
        {timeout: cluster.timeoutMs},
        done,
      ),
    )
  } catch (error) {
    throw alterError(cluster, group, error as {code: number; message: string})
  }
  const result = results.find((r) => r.groupId === group) ?? results[0]
  if (!result) throw new KcliError(`the broker returned no result for the offsets of group "${group}"`)
  if (result.error) throw alterError(cluster, group, result.error)
  const failed = result.partitions.find((p) => p.error)
  if (failed?.error) throw alterError(cluster, group, failed.error)
}
