// `kcli group delete`: every group must exist and have no members before any is deleted; then the deletions, one
// event per group deleted.
import {KcliError} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {activeGroupError, deleteGroups, listGroups, requireCompleteListing, unknownGroupError} from '../kafka/groups.js'

/** What `--json` prints. Stable: fields are only ever added. */
export interface GroupDeleteResult {
  groups: Array<{group: string; deleted: boolean}>
}

/**
 * Fails (exit 2) unless every group exists and is Empty, so that nothing is deleted when one name is wrong. ListGroups
 * tells existence and state without describing anything (see kafka/groups.ts on why that matters).
 */
export async function checkGroupsDeletable(cluster: ClusterContext, groups: string[]): Promise<void> {
  const listing = await listGroups(cluster)
  const known = new Map(listing.groups.map((g) => [g.group, g]))
  const missing = groups.filter((g) => !known.has(g))
  if (missing.length > 0) {
    requireCompleteListing(cluster, listing)
    throw unknownGroupError(missing)
  }
  const active = groups.find((g) => known.get(g)?.state !== 'Empty')
  if (active) throw activeGroupError(active, 'delete it', known.get(active)?.state)
}

export function deleteGroupsQuestion(groups: string[]): string {
  const names = groups.map((g) => `"${g}"`).join(', ')
  return groups.length === 1
    ? `Delete consumer group ${names} and its committed offsets?`
    : `Delete ${groups.length} consumer groups (${names}) and their committed offsets?`
}

/** Deletes the groups in one request; yields each group deleted, then fails with every reason if any was not. */
export async function* deleteConsumerGroups(cluster: ClusterContext, groups: string[]): AsyncGenerator<string> {
  const outcomes = await deleteGroups(cluster, groups)
  for (const o of outcomes) if (o.error === null) yield o.group
  const failed = outcomes.flatMap((o) => (o.error === null ? [] : [o.error]))
  if (failed.length === 1) throw failed[0]
  if (failed.length > 1)
    throw new KcliError(`could not delete ${failed.length} groups: ${failed.map((e) => e.message).join('; ')}`, {
      exit: failed[0].exit,
    })
}
