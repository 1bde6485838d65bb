// The topic a perf run uses: it must exist, unless --create asks for it (then it is created once, and kept).
import type {KafkaConsumer, Producer} from '@confluentinc/kafka-javascript'
import {setTimeout as sleep} from 'node:timers/promises'

import {KcliError} from '../errors.js'
import {adminFrom} from '../kafka/client.js'
import {ClusterContext} from '../kafka/cluster.js'
import {listOffsets} from '../kafka/offsets.js'
import {createTopic, topicPartitions} from '../kafka/topics.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {info} from '../terminal/output.js'

/** Partition ids of the topic, sorted. A missing topic is a usage error (exit 2) unless `create` is given. */
export async function perfTopic(
  client: Producer | KafkaConsumer,
  settings: ResolvedSettings,
  topic: string,
  create?: {partitions: number},
): Promise<number[]> {
  const cluster = ClusterContext.over(settings, {client, admin: await adminFrom(client)})
  if (!create) return topicPartitions(cluster, topic)
  const spec = {name: topic, partitions: create.partitions, replicationFactor: -1, config: {}}
  if (!(await createTopic(cluster, spec, true))) return topicPartitions(cluster, topic)
  info(`created topic ${topic} with ${create.partitions} partition${create.partitions === 1 ? '' : 's'}`)
  return readyPartitions(cluster, topic)
}

/**
 * A new topic's partitions get their leaders a moment after it is created, and a leader answers for its partition a
 * moment after the metadata names it: wait until every partition's end offset can be listed.
 */
async function readyPartitions(cluster: ClusterContext, topic: string): Promise<number[]> {
  const deadline = Date.now() + cluster.timeoutMs
  for (;;) {
    const metadata = await cluster.metadata(topic)
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? []
    if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) {
      const ids = partitions.map((p) => p.id).sort((a, b) => a - b)
      const ready = await listOffsets(
        cluster,
        ids.map((partition) => ({topic, partition})),
        'latest',
      ).then(
        () => true,
        () => false,
      )
      if (ready) return ids
    }
    if (Date.now() > deadline) throw new KcliError(`topic ${topic} was created, but its partitions are not ready yet`)
    await sleep(100)
  }
}
