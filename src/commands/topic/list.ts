// `kcli topic list`: the cluster's topics, by name or with partitions and replication factor.
import {Flags} from '@oclif/core'

import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'
import {type TopicListResult, listTopics, renderTopicList} from '../../lib/topics/report.js'

export default class TopicList extends KafkaCommand {
  static override summary = 'List topics.'
  static override description = `Prints one topic name a line, sorted, as kafka-topics --list does; --long adds the partition count and replication factor of each. Kafka's internal topics (__consumer_offsets, __transaction_state, ...) are hidden unless --all is given.

With --json the output is {"topics": [{name, internal, partitions, replicationFactor}]}, whatever --long says.

Exit codes: 0 listed (also when there are none); 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --long --all',
    `<%= config.bin %> <%= command.id %> --json | jq -r '.topics[] | select(.partitions < 3) | .name'`,
  ]

  static override flags = {
    all: Flags.boolean({char: 'a', description: "Include Kafka's internal topics"}),
    long: Flags.boolean({char: 'l', description: 'Show the partition count and replication factor of each topic'}),
  }

  static override enableJsonFlag = true

  async run(): Promise<TopicListResult> {
    const {flags} = await this.parse(TopicList)
    const result = await listTopics(await this.cluster(), {internal: flags.all})
    if (result.topics.length === 0)
      info(flags.all ? 'no topics' : 'no topics (internal topics are hidden; --all shows them)')
    else this.log(renderTopicList(result, {long: flags.long, internal: flags.all}))
    return result
  }
}
