// `kcli group list`: every consumer group with its state, type and members, optionally its total lag.
import {Flags} from '@oclif/core'

import {type GroupListResult, groupList, groupStates, parseStates, renderGroupList} from '../../lib/groups/list.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'

export default class GroupList extends KafkaCommand {
  static override summary = 'List consumer groups with their state, type and members.'
  static override description = `One row per consumer group, sorted by name: GROUP STATE TYPE MEMBERS, and TOTAL-LAG with --lag. STATE is ${groupStates.join(', ')} (KIP-848 groups that are assigning or reconciling show as Unknown). TYPE is classic or consumer (KIP-848); "(simple)" marks a group that only ever committed offsets. Only consumer groups are listed: Kafka Connect, streams and share groups are not.

--lag adds each group's total lag: the sum of log end offset minus committed offset over the partitions it has committed on, as \`kcli group describe\` computes it; "-" when it has committed nothing. It costs one request per group and one batched offset lookup.

With --json: {"groups": [{group, state, type, simple, memberCount, totalLag}]} (totalLag only with --lag, null when unknown).

Exit codes: 0 listed (also when no group matches; the table is then empty and a note goes to stderr); 1 the cluster refused a request; 2 invalid usage, e.g. an unknown --state; 3 cluster or a group coordinator unreachable, or a broker did not answer the listing.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --state stable,preparingrebalance',
    '<%= config.bin %> <%= command.id %> --state empty --lag',
    `<%= config.bin %> <%= command.id %> --lag --json | jq -r '.groups[] | select(.totalLag > 1000) | .group'`,
  ]

  static override flags = {
    state: Flags.string({
      char: 's',
      description: 'Only groups in these states, case-insensitive (comma-separated or repeated)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    lag: Flags.boolean({char: 'l', description: "Add each group's total lag"}),
  }

  static override enableJsonFlag = true

  async run(): Promise<GroupListResult> {
    const {flags} = await this.parse(GroupList)
    const states = parseStates(flags.state ?? [])
    const result = await groupList(await this.cluster(), {states, lag: flags.lag})
    if (result.groups.length === 0) {
      if (!this.jsonEnabled())
        info(states.length > 0 ? `No consumer group is ${states.join(' or ')}.` : 'No consumer groups.')
    } else {
      this.log(renderGroupList(result.groups, flags.lag))
    }
    return result
  }
}
