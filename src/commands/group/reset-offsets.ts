// `kcli group reset-offsets`: move a consumer group's committed offsets; a dry run unless --execute.
import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {clampedSummary, parseResetTarget, parseTopicScopes} from '../../lib/groups/reset-plan.js'
import {
  type ResetResult,
  applyGroupReset,
  describeTp,
  planGroupReset,
  renderResetPlan,
} from '../../lib/groups/reset-run.js'
import {info, warn} from '../../lib/terminal/output.js'

export default class GroupResetOffsets extends KafkaCommand {
  static override summary = "Move a consumer group's committed offsets (a dry run unless --execute)."
  static override description = `Prints the plan, one row per partition: TOPIC PARTITION CURRENT-OFFSET NEW-OFFSET LOG-START-OFFSET LOG-END-OFFSET ("-" where nothing is committed). Nothing changes unless --execute is given; then the new offsets are committed and read back.

Give exactly one target:
  --to-earliest        the log start offset (the oldest record kept)
  --to-latest          the log end offset (only records produced from now on)
  --to-offset N        offset N
  --to-datetime TIME   the first record at or after an ISO 8601 time
  --by-duration DUR    the first record at or after that long ago: 30m, 1h, 2d
  --shift-by ±N        from the committed offset: N later (+N), earlier (-N)
TIME: 2026-01-31T12:00:00Z, 2026-01-31T12:00+01:00, 2026-01-31 (local time).

A target outside the log is moved to its start or end, as kafka-consumer-groups does, with a warning.

Which partitions: --topic orders (every partition of it) or --topic orders:0,1 (those), repeatable. Without --topic: the partitions the group has committed offsets on. With --topic the group may not exist yet: --execute then creates it with these offsets (a note says so).

The group must have no active members, even for a dry run: its consumers would commit over the new offsets, and the broker does not take offsets from outside a live group. Stop them first.

With --json: {group, target: {kind, ...}, executed, partitions: [{topic, partition, committed, newOffset, logStart, logEnd, clamped}]}; committed is null where nothing is committed, clamped is null, "logStart" or "logEnd".

Exit codes: 0 planned (dry run) or reset (--execute); 1 the cluster refused a request, or the new offsets did not stick; 2 invalid usage, an unknown group or topic, or the group has active members; 3 cluster or group coordinator unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> billing --to-earliest',
    '<%= config.bin %> <%= command.id %> billing --to-latest --topic orders --execute',
    '<%= config.bin %> <%= command.id %> billing --to-datetime 2026-01-31T12:00:00Z --topic orders:0,1 --execute',
    '<%= config.bin %> <%= command.id %> billing --by-duration 1h --execute',
    '<%= config.bin %> <%= command.id %> billing --shift-by -100 --topic orders --execute',
    '<%= config.bin %> <%= command.id %> new-group --to-offset 0 --topic orders --execute --json',
  ]

  static override args = {
    group: Args.string({required: true, description: 'Consumer group id'}),
  }

  static override flags = {
    topic: Flags.string({
      char: 't',
      description: 'Topic, or topic:partition,... to reset (repeatable) [default: what the group has committed]',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'to-earliest': Flags.boolean({helpGroup: 'TARGET', description: 'Move to the log start offset'}),
    'to-latest': Flags.boolean({helpGroup: 'TARGET', description: 'Move to the log end offset'}),
    'to-offset': Flags.integer({helpGroup: 'TARGET', description: 'Move to this offset', min: 0}),
    'to-datetime': Flags.string({
      helpGroup: 'TARGET',
      description: 'Move to the first record at or after this ISO 8601 time',
    }),
    'by-duration': Flags.string({
      helpGroup: 'TARGET',
      description: 'Move to the first record at or after this long ago, e.g. 1h',
    }),
    'shift-by': Flags.string({
      helpGroup: 'TARGET',
      description: 'Move by this many records from the committed offset: +N later, -N earlier',
    }),
    execute: Flags.boolean({
      description: 'Commit the new offsets (without it, only the plan is printed)',
      exclusive: ['dry-run'],
    }),
    'dry-run': Flags.boolean({description: 'Only print the plan (the default)'}),
  }

  static override enableJsonFlag = true

  async run(): Promise<ResetResult> {
    const {args, flags} = await this.parse(GroupResetOffsets)
    const target = parseResetTarget(flags)
    const scopes = parseTopicScopes(flags.topic ?? [])
    const cluster = await this.cluster()

    const plan = await planGroupReset(cluster, {group: args.group, target, scopes})
    if (plan.skipped.length > 0) warn(`skipping ${describeTp(plan.skipped)}: no longer in the cluster`)
    const clamped = clampedSummary(plan.result.partitions)
    if (clamped) warn(clamped)
    if (!plan.groupExists)
      info(`Group "${args.group}" does not exist yet${flags.execute ? ': it is created with these offsets.' : '.'}`)
    this.log(renderResetPlan(plan.result.partitions))
    if (!flags.execute) {
      info(
        `Dry run: nothing changed. Add --execute to move group "${args.group}" on ${plan.result.partitions.length} partition${plan.result.partitions.length === 1 ? '' : 's'}.`,
      )
      return plan.result
    }
    const result = await applyGroupReset(cluster, plan.result)
    info(
      `Moved group "${args.group}" on ${result.partitions.length} partition${result.partitions.length === 1 ? '' : 's'}.`,
    )
    return result
  }
}
