// `kcli topic add-partitions`: grow a topic to a total number of partitions.
import {Args} from '@oclif/core'

import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info, warn} from '../../lib/terminal/output.js'
import {type TopicGrowResult, growTopic, partitionTotal} from '../../lib/topics/admin.js'

export default class TopicAddPartitions extends KafkaCommand {
  static override summary = 'Grow a topic to a total number of partitions.'
  static override description = `<total> is the partition count the topic will have, as with kafka-topics --alter --partitions. Kafka cannot remove partitions, so it must be more than the topic has. Messages with a key will be sent to different partitions from now on: readers that rely on per-key order see a break.

With --json: {"topic", "previous", "total"}.

Exit codes: 0 grown; 2 the topic does not exist, or <total> is not more than its current count; 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders 12',
    '<%= config.bin %> <%= command.id %> orders 24 --json',
  ]

  static override enableJsonFlag = true

  static override args = {
    topic: Args.string({required: true, description: 'Name of the topic'}),
    // Parsed here: oclif's integer parser fails with exit 1 and no mention of the argument.
    total: Args.string({required: true, description: 'Partition count the topic will have'}),
  }

  async run(): Promise<TopicGrowResult> {
    const {args} = await this.parse(TopicAddPartitions)
    const grown = await growTopic(await this.cluster(), args.topic, partitionTotal(args.total))
    info(`topic ${grown.topic} now has ${grown.total} partitions (was ${grown.previous})`)
    warn('messages with a key may now go to a different partition than before')
    return grown
  }
}
