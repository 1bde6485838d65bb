// `kcli topic create | add-partitions | delete`: what the flags ask for, checked before anything changes, and the
// changes, as results or one event per topic.
import {usageError} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {
  type NewTopicSpec,
  addPartitions,
  deleteTopic,
  describeTopics,
  unknownTopicError,
  unknownTopicsError,
} from '../kafka/topics.js'
import {parsePropertyFlags} from '../settings/resolve.js'

/** The topic `topic create` asks for; bounds are checked here rather than by oclif, whose message names no flag. */
export function topicSpec(input: {
  name: string
  partitions: number
  replicationFactor?: number
  configs: string[]
}): NewTopicSpec {
  if (input.name.trim() === '') throw usageError('the topic name must not be empty')
  if (input.partitions < 1) throw usageError(`--partitions must be at least 1, not ${input.partitions}`)
  const rf = input.replicationFactor
  if (rf !== undefined && rf < 1) throw usageError(`--replication-factor must be at least 1, not ${rf}`)
  return {
    name: input.name,
    partitions: input.partitions,
    replicationFactor: rf ?? -1,
    config: parsePropertyFlags(input.configs, '-c'),
  }
}

/** `<total>` of `topic add-partitions`: a whole number of partitions. */
export function partitionTotal(text: string): number {
  const total = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(total) || total < 1)
    throw usageError(`<total> must be a whole number of partitions, not "${text}"`)
  return total
}

/** Grows a topic to `total` partitions; a total that is not more than it has is a usage error (Kafka never shrinks). */
export async function growTopic(
  cluster: ClusterContext,
  topic: string,
  total: number,
): Promise<{topic: string; previous: number; total: number}> {
  const {topics} = await describeTopics(cluster, [topic])
  if (topics.length === 0) throw unknownTopicError(topic)
  const previous = topics[0].partitions.length
  if (total <= previous) {
    throw usageError(
      `topic "${topic}" has ${previous} partitions already; the new total must be more than that`,
      'Kafka can add partitions to a topic, never remove them.',
    )
  }
  await addPartitions(cluster, topic, total)
  return {topic, previous, total}
}

/**
 * Checks every name before anything is deleted: unknown names fail the whole (unless `ifExists`, which skips them),
 * and Kafka's internal topics are refused.
 */
export async function checkTopicsDeletable(
  cluster: ClusterContext,
  names: string[],
  options: {ifExists: boolean},
): Promise<{existing: string[]; missing: string[]}> {
  const {topics, missing} = await describeTopics(cluster, names)
  if (missing.length > 0 && !options.ifExists) throw unknownTopicsError(missing)
  const internal = topics.filter((t) => t.internal).map((t) => t.name)
  if (internal.length > 0)
    throw usageError(
      `${internal.join(', ')} ${internal.length === 1 ? 'is an internal topic' : 'are internal topics'} of Kafka: kcli does not delete those`,
    )
  return {existing: names.filter((n) => topics.some((t) => t.name === n)), missing}
}

export function deleteTopicsQuestion(names: string[]): string {
  const one = names.length === 1
  return `Delete ${one ? 'topic' : `${names.length} topics`} ${names.join(', ')} and all ${one ? 'its' : 'their'} messages?`
}

/** Deletes topics one by one, yielding each name once it is deleted; `ifExists` accepts one deleted meanwhile. */
export async function* deleteTopics(
  cluster: ClusterContext,
  names: string[],
  options: {ifExists: boolean},
): AsyncGenerator<string> {
  for (const name of names) {
    await deleteTopic(cluster, name, options.ifExists)
    yield name
  }
}
