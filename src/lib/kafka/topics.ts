// Topic lookups shared by the commands: does a topic exist, and which partitions does it have.
import type {KafkaConsumer, Producer} from '@confluentinc/kafka-javascript'

import {ExitCode, KcliError} from '../errors.js'
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
