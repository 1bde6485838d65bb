// `kcli topic describe`: partitions, replicas, offsets and configs of topics.
import {Args} from '@oclif/core'

import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {type TopicDescribeResult, describeTopicReports, renderTopicReports} from '../../lib/topics/report.js'

export default class TopicDescribe extends KafkaCommand {
  static override summary = 'Show the partitions, replicas, offsets and configs of topics.'
  static override description = `For each topic: its id, partition count, replication factor, message count and its non-default configs (as kafka-topics --describe lists them: set on the topic, or inherited from a broker or cluster-wide setting, which is shown in brackets), then one row per partition with its leader, replicas, in-sync replicas (ISR), low and high watermarks and message count. The message count is high minus low watermark: exact for plain topics, an upper bound for compacted topics or ones holding transaction markers. A partition without a leader shows "none", and "-" for offsets that cannot be read.

Topic configs: the client library kcli is built on (@confluentinc/kafka-javascript) cannot describe configs, so kcli sends Kafka's DescribeConfigs request itself. It does so only over PLAINTEXT connections: over SSL or SASL (--security-protocol, the sasl/ssl settings or -X security.protocol) the configs are reported as unavailable, and kafka-configs --describe --entity-type topics can show them. Changing configs is not supported.

With --json the output is always {"topics": [...], "configsUnavailable": reason|null}, one entry per topic in the order given: {name, id, internal, replicationFactor, messages, configs: [{name, value, source}]|null, partitions: [{partition, leader, replicas, isr, low, high, messages}]}. source is Kafka's ConfigSource name (DYNAMIC_TOPIC_CONFIG for a value set on the topic). Unknown values are null; a sensitive config's value is null.

Exit codes: 0 described; 1 the cluster refused a request; 2 a topic does not exist (nothing is printed) or invalid usage; 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders',
    '<%= config.bin %> <%= command.id %> orders payments',
    `<%= config.bin %> <%= command.id %> orders --json | jq '.topics[0].partitions[] | select(.isr | length < 3)'`,
  ]

  static override strict = false
  static override args = {topic: Args.string({required: true, description: 'Topic name (several allowed)'})}
  static override enableJsonFlag = true

  async run(): Promise<TopicDescribeResult> {
    const {argv} = await this.parse(TopicDescribe)
    const result = await describeTopicReports(await this.cluster(), argv as string[])
    this.log(renderTopicReports(result))
    return result
  }
}
