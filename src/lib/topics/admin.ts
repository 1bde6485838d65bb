// `kcli topic create | add-partitions | delete`: what the flags ask for, checked before anything changes, and the
// changes, as results or one event per topic.
import {usageError} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {
  type NewTopicSpec,
  addPartitions,
  createTopic,
  deleteTopic,
  describeTopics,
  unknownTopicError,
  unknownTopicsError,
} from '../kafka/topics.js'
import {parsePropertyFlags} from '../settings/resolve.js'

/**
 * The topic `topic create` asks for; bounds are checked here rather than by oclif, whose message names no flag. What
 * is not given is -1: the broker's num.partitions and default.replication.factor (Kafka 2.4+, KIP-464).
 */
export function topicSpec(input: {
  name: string
  partitions?: number
  replicationFactor?: number
  configs: string[]
}): NewTopicSpec {
  if (input.name.trim() === '') throw usageError('the topic name must not be empty')
  const {partitions} = input
  if (partitions !== undefined && partitions < 1) throw usageError(`--partitions must be at least 1, not ${partitions}`)
  const rf = input.replicationFactor
  if (rf !== undefined && rf < 1) throw usageError(`--replication-factor must be at least 1, not ${rf}`)
  return {
    name: input.name,
    partitions: partitions ?? -1,
    replicationFactor: rf ?? -1,
    config: parsePropertyFlags(input.configs, '-c'),
  }
}

/** What `topic create --json` prints (schemas/topic-create.schema.json). */
export interface TopicCreateResult {
  topic: string
  /** False when it existed already (--if-not-exists). */
  created: boolean
  /** What the topic has; null when the cluster did not show it in time. */
  partitions: number | null
  replicationFactor: number | null
  /** The broker settings that decided what the flags did not: num.partitions, default.replication.factor. */
  brokerDefaults: string[]
}

/** Creates the topic, then reads back what it got, so that the broker's defaults can be named with their values. */
export async function createTopicAndDescribe(
  cluster: ClusterContext,
  spec: NewTopicSpec,
  ifNotExists: boolean,
): Promise<TopicCreateResult> {
  const created = await createTopic(cluster, spec, ifNotExists)
  const brokerDefaults = created
    ? [
        ...(spec.partitions === -1 ? ['num.partitions'] : []),
        ...(spec.replicationFactor === -1 ? ['default.replication.factor'] : []),
      ]
    : []
  // A new topic reaches the metadata of every broker shortly after the controller created it.
  // Reading it back is a courtesy: the topic exists either way (a principal may create without describing).
  let layout
  try {
    for (let attempt = 0; attempt < 10 && layout === undefined; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200))
      layout = (await describeTopics(cluster, [spec.name])).topics[0]
    }
  } catch {
    layout = undefined
  }
  return {
    topic: spec.name,
    created,
    partitions: layout ? layout.partitions.length : null,
    replicationFactor: layout ? (layout.partitions[0]?.replicas.length ?? null) : null,
    brokerDefaults,
  }
}

/** `created topic orders with 1 partition (num.partitions) and replication factor 1 (default.replication.factor)` */
export function createdMessage(result: TopicCreateResult): string {
  if (!result.created) return `topic ${result.topic} exists already`
  const from = (setting: string) => (result.brokerDefaults.includes(setting) ? ` (the broker's ${setting})` : '')
  const partitions =
    result.partitions === null
      ? 'partitions'
      : `${result.partitions} partition${result.partitions === 1 ? '' : 's'}${from('num.partitions')}`
  const replication =
    result.replicationFactor === null
      ? ''
      : ` and replication factor ${result.replicationFactor}${from('default.replication.factor')}`
  return `created topic ${result.topic} with ${partitions}${replication}`
}

/** `<total>` of `topic add-partitions`: a whole number of partitions. */
export function partitionTotal(text: string): number {
  const total = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(total) || total < 1)
    throw usageError(`<total> must be a whole number of partitions, not "${text}"`)
  return total
}

/** What `topic add-partitions --json` prints (schemas/topic-add-partitions.schema.json). */
export interface TopicGrowResult {
  topic: string
  previous: number
  total: number
}

/** What `topic delete --json` prints (schemas/topic-delete.schema.json): every name given, in order. */
export interface TopicDeleteResult {
  topics: Array<{topic: string; deleted: boolean}>
}

/** Grows a topic to `total` partitions; a total that is not more than it has is a usage error (Kafka never shrinks). */
export async function growTopic(cluster: ClusterContext, topic: string, total: number): Promise<TopicGrowResult> {
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
