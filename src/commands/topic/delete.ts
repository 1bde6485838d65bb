// `kcli topic delete`: delete topics, after a confirmation on a terminal.
import {Args, Flags} from '@oclif/core'

import {KcliError, usageError} from '../../lib/errors.js'
import {deleteTopic, describeTopics, unknownTopicsError} from '../../lib/kafka/topics.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'
import {confirm, requireConfirmable} from '../../lib/terminal/prompt.js'

export default class TopicDelete extends KafkaCommand {
  static override summary = 'Delete topics and all their messages.'
  static override description = `Every name is checked first: if one does not exist, nothing is deleted (unless --if-exists, which skips it). On a terminal kcli asks before deleting; anywhere else --yes is required.

Exit codes: 0 deleted (or nothing to delete, with --if-exists); 1 the cluster refused (e.g. delete.topic.enable=false), or the prompt was not answered y; 2 a topic does not exist or is one of Kafka's internal topics, or no --yes without a terminal; 3 cluster unreachable; 130 interrupted at the prompt.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> scratch',
    '<%= config.bin %> <%= command.id %> old-a old-b --yes',
    '<%= config.bin %> <%= command.id %> maybe-there --if-exists --yes',
  ]

  static override strict = false
  static override args = {topic: Args.string({required: true, description: 'Topic name (several allowed)'})}

  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'Delete without asking'}),
    'if-exists': Flags.boolean({description: 'Skip topics that do not exist instead of failing'}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(TopicDelete)
    const names = [...new Set(argv as string[])]
    // Before connecting: a script that forgot --yes should learn it at once, not after a round trip.
    if (!flags.yes) requireConfirmable()
    const settings = await this.settings(flags)
    const {admin} = await this.adminClients(settings)
    const {topics, missing} = await describeTopics(admin, settings, names)
    if (missing.length > 0 && !flags['if-exists']) throw unknownTopicsError(missing)
    const internal = topics.filter((t) => t.internal).map((t) => t.name)
    if (internal.length > 0)
      throw usageError(
        `${internal.join(', ')} ${internal.length === 1 ? 'is an internal topic' : 'are internal topics'} of Kafka: kcli does not delete those`,
      )
    for (const name of missing) info(`topic ${name} does not exist: skipped`)
    const existing = names.filter((n) => topics.some((t) => t.name === n))
    if (existing.length === 0) return
    if (!flags.yes) {
      const list = existing.join(', ')
      const question = `Delete ${existing.length === 1 ? 'topic' : `${existing.length} topics`} ${list} and all ${existing.length === 1 ? 'its' : 'their'} messages?`
      if (!(await confirm(question))) throw new KcliError('not confirmed: nothing deleted')
    }
    for (const name of existing) {
      await deleteTopic(admin, settings, name, flags['if-exists'])
      info(`deleted topic ${name}`)
    }
  }
}
