// `kcli topic delete`: delete topics, after a confirmation on a terminal.
import {Args, Flags} from '@oclif/core'

import {KcliError} from '../../lib/errors.js'
import {
  type TopicDeleteResult,
  checkTopicsDeletable,
  deleteTopics,
  deleteTopicsQuestion,
} from '../../lib/topics/admin.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'
import {confirm, requireConfirmable} from '../../lib/terminal/prompt.js'

export default class TopicDelete extends KafkaCommand {
  static override summary = 'Delete topics and all their messages.'
  static override description = `Every name is checked first: if one does not exist, nothing is deleted (unless --if-exists, which skips it). On a terminal kcli asks before deleting; anywhere else --yes is required.

With --json: {"topics": [{"topic", "deleted"}]}, one entry per name given (deleted is false for a name skipped by --if-exists).

Exit codes: 0 deleted (or nothing to delete, with --if-exists); 1 the cluster refused (e.g. delete.topic.enable=false), or the prompt was not answered y; 2 a topic does not exist or is one of Kafka's internal topics, or no --yes without a terminal; 3 cluster unreachable; 130 interrupted at the prompt.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> scratch',
    '<%= config.bin %> <%= command.id %> old-a old-b --yes',
    '<%= config.bin %> <%= command.id %> maybe-there --if-exists --yes --json',
  ]

  static override strict = false
  static override enableJsonFlag = true
  static override args = {topic: Args.string({required: true, description: 'Topic name (several allowed)'})}

  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'Delete without asking'}),
    'if-exists': Flags.boolean({description: 'Skip topics that do not exist instead of failing'}),
  }

  async run(): Promise<TopicDeleteResult> {
    const {argv, flags} = await this.parse(TopicDelete)
    const names = [...new Set(argv as string[])]
    // Before connecting: a script that forgot --yes should learn it at once, not after a round trip.
    if (!flags.yes) requireConfirmable()
    const cluster = await this.cluster()
    const {existing, missing} = await checkTopicsDeletable(cluster, names, {ifExists: flags['if-exists']})
    for (const name of missing) info(`topic ${name} does not exist: skipped`)
    const deleted = new Set<string>()
    if (existing.length > 0) {
      if (!flags.yes && !(await confirm(deleteTopicsQuestion(existing))))
        throw new KcliError('not confirmed: nothing deleted')
      for await (const name of deleteTopics(cluster, existing, {ifExists: flags['if-exists']})) {
        deleted.add(name)
        info(`deleted topic ${name}`)
      }
    }
    return {topics: names.map((topic) => ({topic, deleted: deleted.has(topic)}))}
  }
}
