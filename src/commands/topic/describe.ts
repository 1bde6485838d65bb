// `kcli topic describe`: partitions, replicas, offsets and configs of topics.
import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {type TopicDescribeResult, describeTopicReports, renderTopicReports} from '../../lib/topics/report.js'

export default class TopicDescribe extends KafkaCommand {
  static override summary = 'Show the partitions, replicas, offsets and configs of topics.'
  static override description = `For each topic: its id, partition count, replication factor, message count and its non-default configs (as kafka-topics --describe lists them: set on the topic, or inherited from a broker or cluster-wide setting, which is shown in brackets), then one row per partition with its leader, replicas, in-sync replicas (ISR), low and high watermarks and message count. The message count is high minus low watermark: exact for plain topics, an upper bound for compacted topics or ones holding transaction markers. A partition without a leader shows "none", and "-" for offsets that cannot be read.

Topic configs are read with the DescribeConfigs call kcli's patch adds to the client library, over any security protocol. --all-configs lists Kafka's defaults too (source DEFAULT_CONFIG). Where the client library lacks the patch (KCLI_DATA_PATH=stock, or a prebuilt binary), kcli sends Kafka's DescribeConfigs request itself, over PLAINTEXT connections only: over SSL or SASL the configs are then reported as unavailable. kcli topic alter-config changes them.

With --json the output is always {"topics": [...], "configsUnavailable": reason|null}, one entry per topic in the order given: {name, id, internal, replicationFactor, messages, configs: [{name, value, source}]|null, partitions: [{partition, leader, replicas, isr, low, high, messages}]}. source is Kafka's ConfigSource name (DYNAMIC_TOPIC_CONFIG for a value set on the topic). Unknown values are null; a sensitive config's value is null.

Exit codes: 0 described; 1 the cluster refused a request; 2 a topic does not exist (nothing is printed) or invalid usage; 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders',
    '<%= config.bin %> <%= command.id %> orders payments',
    `<%= config.bin %> <%= command.id %> orders --json | jq '.topics[0].partitions[] | select(.isr | length < 3)'`,
    '<%= config.bin %> <%= command.id %> orders --all-configs',
  ]

  static override strict = false
  static override args = {topic: Args.string({required: true, description: 'Topic name (several allowed)'})}
  static override flags = {
    'all-configs': Flags.boolean({description: "List every config, Kafka's defaults too, each with its source"}),
  }

  static override enableJsonFlag = true

  async run(): Promise<TopicDescribeResult> {
    const {argv, flags} = await this.parse(TopicDescribe)
    const result = await describeTopicReports(await this.cluster(), argv as string[], {
      allConfigs: flags['all-configs'],
    })
    this.log(renderTopicReports(result))
    return result
  }
}
