// Topic look-ups and changes shared by the commands: does a topic exist, its partitions and replicas, and the admin
// calls that create, grow and delete topics, with Kafka's errors turned into one line a Kafka user recognises.
import type {IAdminClient, LibrdKafkaError, Metadata, Node, TopicDescription} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError, describeKafkaError, failedTo} from '../errors.js'
import {ClusterContext} from './cluster.js'

export function unknownTopicError(topic: string): KcliError {
  // Brokers with an authorizer hide topics the user may not describe, and the client library reports no reason.
  return new KcliError(`topic "${topic}" does not exist`, {
    exit: ExitCode.usage,
    code: 'UNKNOWN_TOPIC',
    hint: 'Check the name, or create the topic first. On a cluster with ACLs, a topic you may not describe looks missing too.',
  })
}

export function unknownTopicsError(topics: string[]): KcliError {
  if (topics.length === 1) return unknownTopicError(topics[0])
  return new KcliError(`topics ${topics.map((t) => `"${t}"`).join(', ')} do not exist`, {
    exit: ExitCode.usage,
    code: 'UNKNOWN_TOPIC',
    hint: 'Check the names: topic names are case-sensitive.',
  })
}

/**
 * Partition ids of each topic, sorted; none for a topic that does not exist (e.g. deleted since a group committed on
 * it). One metadata request: the topic's own for one topic, the whole cluster's for several (not one per topic).
 */
export async function partitionsByTopic(cluster: ClusterContext, topics: string[]): Promise<Map<string, number[]>> {
  const result = new Map<string, number[]>(topics.map((topic) => [topic, []]))
  if (result.size === 0) return result
  const metadata = await cluster.metadata(result.size === 1 ? topics[0] : undefined)
  for (const t of metadata.topics) if (result.has(t.name)) result.set(t.name, sortedIds(t))
  return result
}

function sortedIds(topic: Metadata['topics'][number]): number[] {
  return topic.partitions.map((p) => p.id).sort((a, b) => a - b)
}

/** Partition ids of a topic, sorted; a missing topic is a usage error (exit 2). */
export async function topicPartitions(cluster: ClusterContext, topic: string): Promise<number[]> {
  return existingPartitions(await cluster.metadata(topic), topic)
}

/**
 * Partition ids of a topic in metadata already fetched for it (a client's connect for that topic), sorted; a missing
 * topic is a usage error (exit 2).
 */
export function existingPartitions(metadata: Metadata, topic: string): number[] {
  const found = metadata.topics.find((t) => t.name === topic)
  const ids = found ? sortedIds(found) : []
  if (ids.length === 0) throw unknownTopicError(topic)
  return ids
}

// Kafka error codes (the protocol's) that topic admin calls report.
const KafkaCode = {
  unknownTopicOrPartition: 3,
  invalidTopic: 17,
  topicAlreadyExists: 36,
  invalidPartitions: 37,
  invalidReplicationFactor: 38,
  invalidConfig: 40,
  topicAuthorizationFailed: 29,
  topicDeletionDisabled: 73,
} as const

/** The broker's own explanation, when it gave one beyond the error's name (e.g. "only 3 broker(s) are registered"). */
function brokerDetail(err: LibrdKafkaError): string {
  const text = describeKafkaError(err)
  return /^broker: /i.test(text) ? '' : `: ${text}`
}

/**
 * Maps a failed topic admin call to a one-line error: the user's mistakes exit 2, an unreachable cluster 3, the rest 1.
 */
function topicAdminError(topic: string, what: string, err: LibrdKafkaError): KcliError {
  switch (err.code) {
    case KafkaCode.unknownTopicOrPartition:
      return unknownTopicError(topic)
    case KafkaCode.topicAlreadyExists:
      return new KcliError(`topic "${topic}" already exists`, {
        exit: ExitCode.usage,
        code: 'TOPIC_EXISTS',
        hint: 'Pass --if-not-exists to accept an existing topic.',
      })
    case KafkaCode.invalidTopic:
      return new KcliError(`topic "${topic}" is not a valid topic name${brokerDetail(err)}`, {exit: ExitCode.usage})
    case KafkaCode.invalidPartitions:
      return new KcliError(`topic "${topic}": invalid number of partitions${brokerDetail(err)}`, {exit: ExitCode.usage})
    case KafkaCode.invalidReplicationFactor:
      return new KcliError(`topic "${topic}": invalid replication factor${brokerDetail(err)}`, {exit: ExitCode.usage})
    case KafkaCode.invalidConfig:
      return new KcliError(`topic "${topic}": invalid config${brokerDetail(err)}`, {exit: ExitCode.usage})
    case KafkaCode.topicAuthorizationFailed:
      return failedTo(`${what} topic "${topic}"`, err, {denied: 'The principal needs the matching ACL on the topic.'})
    case KafkaCode.topicDeletionDisabled:
      return new KcliError(`cannot delete topic "${topic}": the brokers have delete.topic.enable=false`)
    default:
      return failedTo(`${what} topic "${topic}"`, err)
  }
}

export interface NewTopicSpec {
  name: string
  partitions: number
  /** -1: the broker's default.replication.factor. */
  replicationFactor: number
  config: Record<string, string>
}

/** Creates a topic; resolves to false when it existed already and `ifNotExists` was given. */
export async function createTopic(cluster: ClusterContext, spec: NewTopicSpec, ifNotExists: boolean): Promise<boolean> {
  const admin = await cluster.admin()
  try {
    await cluster.call((done) =>
      admin.createTopic(
        {
          topic: spec.name,
          num_partitions: spec.partitions,
          replication_factor: spec.replicationFactor,
          config: spec.config,
        },
        cluster.timeoutMs,
        done,
      ),
    )
    return true
  } catch (error) {
    if (error instanceof KcliError) throw error
    const err = error as LibrdKafkaError
    if (err.code === KafkaCode.topicAlreadyExists && ifNotExists) return false
    throw topicAdminError(spec.name, 'create', err)
  }
}

/** Deletes a topic; resolves to false when it did not exist and `ifExists` was given. */
export async function deleteTopic(cluster: ClusterContext, topic: string, ifExists: boolean): Promise<boolean> {
  const admin = await cluster.admin()
  try {
    await cluster.call((done) => admin.deleteTopic(topic, cluster.timeoutMs, done))
    return true
  } catch (error) {
    if (error instanceof KcliError) throw error
    const err = error as LibrdKafkaError
    if (err.code === KafkaCode.unknownTopicOrPartition && ifExists) return false
    throw topicAdminError(topic, 'delete', err)
  }
}

/** Grows a topic to `total` partitions (Kafka never shrinks one). */
export async function addPartitions(cluster: ClusterContext, topic: string, total: number): Promise<void> {
  const admin = await cluster.admin()
  try {
    await cluster.call((done) => admin.createPartitions(topic, total, cluster.timeoutMs, done))
  } catch (error) {
    throw error instanceof KcliError ? error : topicAdminError(topic, 'add partitions to', error as LibrdKafkaError)
  }
}

/** Where a partition's replicas live, by broker id; `leader` is null when the partition has none (offline). */
export interface PartitionLayout {
  partition: number
  leader: number | null
  replicas: number[]
  isr: number[]
}

export interface TopicLayout {
  name: string
  /** Kafka's topic id, written as Kafka's tools write it (URL-safe base64). */
  id: string
  internal: boolean
  partitions: PartitionLayout[]
}

export interface BrokerNode {
  id: number
  host: string
  port: number
  rack: string | null
}

export interface TopicLayouts {
  topics: TopicLayout[]
  /** Names the cluster does not know. */
  missing: string[]
  /** Every broker the descriptions mention, with its rack. */
  nodes: Map<number, BrokerNode>
}

/** The binding's UUID as Kafka prints it: URL-safe base64 without padding. */
function topicIdText(id: TopicDescription['topicId']): string {
  const raw = id as unknown as {base64?: string; base64str?: string}
  return (raw.base64 ?? raw.base64str ?? '').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Describes topics (leaders, replicas, in-sync replicas, whether internal) in one request; unknown names are listed,
 * not thrown.
 */
export async function describeTopics(cluster: ClusterContext, names: string[]): Promise<TopicLayouts> {
  const result: TopicLayouts = {topics: [], missing: [], nodes: new Map()}
  const wanted = [...new Set(names)]
  // The binding rejects the whole request for one empty name, with a message that names nothing.
  if (wanted.some((n) => n.trim() === '')) throw new KcliError('a topic name must not be empty', {exit: ExitCode.usage})
  if (wanted.length === 0) return result
  const admin: IAdminClient = await cluster.admin()
  let descriptions: TopicDescription[]
  try {
    descriptions = await cluster.call<TopicDescription[]>((done) =>
      admin.describeTopics(wanted, {timeout: cluster.timeoutMs}, done),
    )
  } catch (error) {
    throw failedTo('describe topics', error)
  }
  const note = (node: Node) => {
    if (!result.nodes.has(node.id) || node.rack)
      result.nodes.set(node.id, {id: node.id, host: node.host, port: node.port, rack: node.rack ? node.rack : null})
  }
  for (const desc of descriptions) {
    const name = desc.name
    if (desc.error) {
      if (desc.error.code !== KafkaCode.unknownTopicOrPartition) throw topicAdminError(name, 'describe', desc.error)
      result.missing.push(name)
      continue
    }
    result.topics.push({
      name: desc.name,
      id: topicIdText(desc.topicId),
      internal: desc.isInternal,
      partitions: desc.partitions
        .map((p) => {
          for (const node of [...p.replicas, ...p.isr, ...(p.leader ? [p.leader] : [])]) note(node)
          return {
            partition: p.partition,
            leader: p.leader ? p.leader.id : null,
            replicas: p.replicas.map((n) => n.id),
            isr: p.isr.map((n) => n.id),
          }
        })
        .sort((a, b) => a.partition - b.partition),
    })
  }
  return result
}

export interface ClusterTopology extends TopicLayouts {
  /** The brokers the cluster's metadata lists, sorted by id. */
  brokers: BrokerNode[]
}

/**
 * Every topic of the cluster with its partitions, and every broker with its rack where a topic description names it.
 */
export async function clusterTopology(cluster: ClusterContext): Promise<ClusterTopology> {
  const metadata = await cluster.metadata()
  const layouts = await describeTopics(
    cluster,
    metadata.topics.map((t) => t.name),
  )
  // A topic deleted between the two requests is simply gone.
  layouts.missing = []
  layouts.topics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const brokers = metadata.brokers
    .map((b) => ({id: b.id, host: b.host, port: b.port, rack: layouts.nodes.get(b.id)?.rack ?? null}))
    .sort((a, b) => a.id - b.id)
  return {...layouts, brokers}
}
