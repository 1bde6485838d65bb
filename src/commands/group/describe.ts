// `kcli group describe`: members, committed offsets and lag of one or more consumer groups.
import {Args, Flags} from '@oclif/core'

import {type GroupDescribeResult, groupReports, renderGroupReport} from '../../lib/groups/report.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'

export default class GroupDescribe extends KafkaCommand {
  static override summary = 'Show the members, committed offsets and lag of consumer groups.'
  static override description = `For each group: a summary (coordinator, state, assignor, members, total lag), its members with their assigned partitions, and one row per partition with the committed offset, the log start and end offsets, the lag and the member that owns it. Every partition of a topic the group reads is listed; where the group has committed nothing the offset and lag are "-" (the lag is unknown, not zero). Lag is log end offset minus committed offset, as Kafka's kafka-consumer-groups computes it.

With --json the output is always {"groups": [...]}, one entry per group in the order given: {group, state, type, assignor, coordinator: {id, host, port}, members: [{memberId, clientId, host, groupInstanceId, partitions: [{topic, partition}]}], partitions: [{topic, partition, committed, logStart, logEnd, lag, memberId, clientId, host}], totalLag}. Unknown values are null.

Exit codes: 0 described; 1 the cluster refused a request; 2 a group does not exist (nothing is printed) or invalid usage; 3 cluster or group coordinator unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> billing',
    '<%= config.bin %> <%= command.id %> billing shipping --topic orders',
    `<%= config.bin %> <%= command.id %> billing --json | jq '.groups[0].totalLag'`,
  ]

  static override strict = false
  static override args = {
    group: Args.string({required: true, description: 'Consumer group id (several allowed)'}),
  }

  static override flags = {
    topic: Flags.string({
      char: 't',
      description: 'Only show partitions of this topic (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
  }

  static override enableJsonFlag = true

  async run(): Promise<GroupDescribeResult> {
    const {flags, argv} = await this.parse(GroupDescribe)
    const result = await groupReports(await this.cluster(), argv as string[], {topics: flags.topic})
    this.log(result.groups.map((report) => renderGroupReport(report)).join('\n\n\n'))
    return result
  }
}
