// Topic lookups shared by the commands: does a topic exist, and which partitions does it have.
import type {IAdminClient, KafkaConsumer, Producer} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError, describeKafkaError, isUnreachable} from '../errors.js'
import type {ResolvedSettings} from '../settings.js'
import {fetchMetadata} from './client.js'

export function unknownTopicError(topic: string): KcliError {
  return new KcliError(`topic "${topic}" does not exist`, {exit: ExitCode.usage, hint: 'Check the name, or create the topic first.'})
}

/** Partition ids of a topic, sorted; a missing topic is a usage error (exit 2). */
export async function topicPartitions(client: Producer | KafkaConsumer, settings: ResolvedSettings, topic: string): Promise<number[]> {
  const metadata = await fetchMetadata(client, settings, topic)
  const entry = metadata.topics.find((t) => t.name === topic)
  if (!entry || entry.partitions.length === 0) throw unknownTopicError(topic)
  return entry.partitions.map((p) => p.id).sort((a, b) => a - b)
}

export interface NewTopicSpec {
  name: string
  partitions: number
  /** -1: the broker's default.replication.factor. */
  replicationFactor: number
  config: Record<string, string>
}

// Kafka error codes createTopic reports that are the user's to fix (exit 2).
const topicUsageErrors: Record<number, string> = {
  36: 'already exists',
  37: 'has an invalid number of partitions',
  38: 'has an invalid replication factor (more than the brokers available?)',
  17: 'is not a valid topic name',
  40: 'has an invalid configuration',
}

/** Creates a topic; resolves to false when it existed already and `ifNotExists` was given. */
export async function createTopic(admin: IAdminClient, settings: ResolvedSettings, spec: NewTopicSpec, ifNotExists: boolean): Promise<boolean> {
  return new Promise((resolve, reject) => {
    admin.createTopic(
      {topic: spec.name, num_partitions: spec.partitions, replication_factor: spec.replicationFactor, config: spec.config},
      settings.timeoutMs,
      (err) => {
        if (!err) return resolve(true)
        if (err.code === 36 && ifNotExists) return resolve(false)
        const usage = topicUsageErrors[err.code]
        if (usage) {
          const detail = err.code === 40 || err.code === 17 ? `: ${describeKafkaError(err)}` : ''
          return reject(new KcliError(`topic "${spec.name}" ${usage}${detail}`, {exit: ExitCode.usage}))
        }
        reject(new KcliError(`cannot create topic "${spec.name}": ${describeKafkaError(err)}`, {exit: isUnreachable(err) ? ExitCode.unreachable : ExitCode.failure}))
      },
    )
  })
}
