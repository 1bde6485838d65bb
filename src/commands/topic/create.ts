// `kcli topic create`: create a topic with a partition count, replication factor and configs.
import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'
import {type TopicCreateResult, createTopicAndDescribe, createdMessage, topicSpec} from '../../lib/topics/admin.js'

export default class TopicCreate extends KafkaCommand {
  static override summary = 'Create a topic.'
  static override description = `Without -p the broker's num.partitions applies, without -r its default.replication.factor; kcli says which it used and what they gave.

With --json: {"topic", "created", "partitions", "replicationFactor", "brokerDefaults": ["num.partitions", ...]}.

Exit codes: 0 created (or it existed, with --if-not-exists); 2 the topic exists, or an invalid name, partition count, replication factor or config; 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders -p 6',
    '<%= config.bin %> <%= command.id %> audit -p 3 -r 3 -c retention.ms=604800000 -c cleanup.policy=compact',
    '<%= config.bin %> <%= command.id %> demo --if-not-exists --json',
  ]

  static override args = {topic: Args.string({required: true, description: 'Name of the topic'})}
  static override enableJsonFlag = true

  static override flags = {
    // Flag bounds are checked here rather than with oclif's min, whose message says only "Parsing --partitions".
    partitions: Flags.integer({char: 'p', description: "Number of partitions [default: the broker's num.partitions]"}),
    'replication-factor': Flags.integer({
      char: 'r',
      description: "Replicas per partition [default: the broker's default.replication.factor]",
    }),
    // Not --config: that name is the rc file's, shared by every command that talks to Kafka. rpk spells it the same.
    'topic-config': Flags.string({
      char: 'c',
      description: 'Topic config as key=value (repeatable), e.g. -c retention.ms=86400000',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'if-not-exists': Flags.boolean({description: 'Succeed without changes when the topic exists already'}),
  }

  async run(): Promise<TopicCreateResult> {
    const {args, flags} = await this.parse(TopicCreate)
    const spec = topicSpec({
      name: args.topic,
      partitions: flags.partitions,
      replicationFactor: flags['replication-factor'],
      configs: flags['topic-config'] ?? [],
    })
    const result = await createTopicAndDescribe(await this.cluster(), spec, flags['if-not-exists'])
    info(createdMessage(result))
    return result
  }
}
