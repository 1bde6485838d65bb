import {Args, Flags} from '@oclif/core'

import {usageError} from '../../lib/errors.js'
import {adminFrom, connectProducer} from '../../lib/kafka/client.js'
import {createTopic} from '../../lib/kafka/topics.js'
import {KafkaCommand} from '../../lib/kafka-command.js'
import {info} from '../../lib/output.js'
import {parsePropertyFlags} from '../../lib/settings.js'

export default class TopicCreate extends KafkaCommand {
  static override summary = 'Create a topic.'
  static override description = `Exit codes: 0 created (or it existed, with --if-not-exists); 2 the topic exists, or an invalid name, partition count, replication factor or config; 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders -p 6',
    '<%= config.bin %> <%= command.id %> audit -p 3 -r 3 -c retention.ms=604800000 -c cleanup.policy=compact',
    '<%= config.bin %> <%= command.id %> demo --if-not-exists',
  ]

  static override args = {topic: Args.string({required: true, description: 'Name of the topic'})}

  static override flags = {
    partitions: Flags.integer({char: 'p', description: 'Number of partitions', default: 1, min: 1}),
    'replication-factor': Flags.integer({char: 'r', description: "Replicas per partition [default: the broker's default.replication.factor]", min: 1}),
    config: Flags.string({char: 'c', description: 'Topic config as key=value (repeatable), e.g. -c retention.ms=86400000', multiple: true, multipleNonGreedy: true}),
    'if-not-exists': Flags.boolean({description: 'Succeed without changes when the topic exists already'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TopicCreate)
    const settings = await this.settings(flags)
    const config = parsePropertyFlags(flags.config ?? [], '-c')
    if (args.topic.trim() === '') throw usageError('the topic name must not be empty')
    const {client} = await connectProducer(settings, {})
    this.track(client)
    const admin = await adminFrom(client)
    const created = await createTopic(admin, settings, {name: args.topic, partitions: flags.partitions, replicationFactor: flags['replication-factor'] ?? -1, config}, flags['if-not-exists'])
    info(created ? `created topic ${args.topic} with ${flags.partitions} partition${flags.partitions === 1 ? '' : 's'}` : `topic ${args.topic} exists already`)
  }
}
