// `kcli topic trim`: delete a topic's oldest messages, before an offset or a point in time, after a confirmation.
import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {KcliError} from '../../lib/errors.js'
import {info} from '../../lib/terminal/output.js'
import {confirm, requireConfirmable} from '../../lib/terminal/prompt.js'
import {
  type TrimResult,
  applyTrim,
  parseTrimPoint,
  planTrim,
  renderTrimPlan,
  trimQuestion,
  trimTotal,
} from '../../lib/topics/trim.js'
import {partitionFlag} from '../../lib/topics/partition-flag.js'

export default class TopicTrim extends KafkaCommand {
  static override summary = 'Delete the messages of a topic before an offset or a point in time.'
  static override description = `Moves each partition's log start offset forward (Kafka's DeleteRecords, as kafka-delete-records does): consumers then start at the new start, and the disk space is freed as segments go. --before takes what consume -o takes as a start:
  N           delete offsets below N (the message at N is kept)
  @<time>     delete messages older than the time: @2026-11-30T10:00Z, @1764496800000, @-7d (the first message at or after it is kept)
  -N          keep the last N messages of each partition
  +N          delete the first N messages of each partition
  end         delete everything

kcli prints, per partition, EARLIEST LATEST NEW-EARLIEST TO-DELETE (counts are exact for plain topics, an upper bound with transaction markers), then asks on a terminal; --yes deletes without asking and is required when stdin or stderr is not a terminal. --dry-run prints the plan only. Topics whose cleanup.policy is only compact refuse it.

With --json: {topic, before, dryRun, applied, partitions: [{partition, earliest, latest, newEarliest, deleted}]}; after the deletion, newEarliest is the broker's new log start offset.

Exit codes: 0 deleted, nothing to delete, or a dry run; 1 the cluster refused (a compacted topic, not allowed), or the question was answered no; 2 an unknown topic or partition, an invalid --before, or no --yes without a terminal; 3 cluster unreachable; 130 interrupted at the question.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders --before 1000 -p 0',
    '<%= config.bin %> <%= command.id %> orders --before @2026-11-30T10:00Z --yes',
    '<%= config.bin %> <%= command.id %> logs --before @-7d --dry-run --json',
  ]

  static override args = {topic: Args.string({required: true, description: 'Topic name'})}
  static override flags = {
    before: Flags.string({
      required: true,
      description: 'Delete the messages before this: an offset N, @<time>, -N (keep the last N), end',
    }),
    partition: partitionFlag,
    yes: Flags.boolean({char: 'y', description: 'Delete without asking'}),
    'dry-run': Flags.boolean({description: 'Print the plan; delete nothing'}),
  }

  static override enableJsonFlag = true

  async run(): Promise<TrimResult> {
    const {args, flags} = await this.parse(TopicTrim)
    const dryRun = flags['dry-run'] === true
    // A mistyped --before says so, rather than that there is no terminal to confirm on.
    const point = parseTrimPoint(flags.before)
    if (!flags.yes && !dryRun) requireConfirmable()
    const cluster = await this.cluster()
    const plan = {
      ...(await planTrim(cluster, {topic: args.topic, before: flags.before, point, partitions: flags.partition})),
      dryRun,
    }
    this.log(renderTrimPlan(plan))
    if (trimTotal(plan) === 0) {
      info(`Nothing to delete: every partition already starts at or after ${flags.before}.`)
      return plan
    }
    if (dryRun) {
      info(`Dry run: nothing deleted. Add --yes (or answer the question) to delete ${trimTotal(plan)} messages.`)
      return plan
    }
    if (!flags.yes && !(await confirm(trimQuestion(plan)))) throw new KcliError('not confirmed: nothing deleted')
    const result = await applyTrim(cluster, plan)
    info(
      `Deleted ${trimTotal(result)} message${trimTotal(result) === 1 ? '' : 's'} of topic "${result.topic}"; ${result.partitions
        .filter((p) => p.deleted > 0)
        .map((p) => `partition ${p.partition} now starts at offset ${p.newEarliest}`)
        .join(', ')}.`,
    )
    return result
  }
}
