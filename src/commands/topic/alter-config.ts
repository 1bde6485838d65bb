// `kcli topic alter-config`: change a topic's configs incrementally, after showing the change.
import {Args} from '@oclif/core'

import {requireAdminCalls} from '../../lib/admin/available.js'
import {type ConfigChangeResult, changeConfigs, configChangeFlags} from '../../lib/admin/config-change-run.js'
import {parseConfigChanges} from '../../lib/admin/config-changes.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {requireConfirmable} from '../../lib/terminal/prompt.js'

export default class TopicAlterConfig extends KafkaCommand {
  static override summary = "Change a topic's configs: set, delete, append to or subtract from them."
  static override description = `Only the configs named change (Kafka's IncrementalAlterConfigs): --set gives a value, --delete removes a value set on the topic so that it inherits the broker's or Kafka's default again, --append and --subtract add or remove an item of a list config (cleanup.policy=delete,compact).

kcli prints each config's current value with its source (topic, cluster default, broker file, default) and its new value, has the broker validate the change, then asks on a terminal; --yes changes without asking and is required when stdin or stderr is not a terminal. --dry-run stops after the validation. Sensitive values are never printed.

Needs the admin calls of kcli's patch to the client library: without them (KCLI_DATA_PATH=stock, a prebuilt binary) the command says so and exits 1.

With --json: {resource: {type: "topic", name}, dryRun, applied, changes: [{name, op, value, current: {value, source}|null, newValue, sensitive, unchanged}]}.

Exit codes: 0 changed (or validated, with --dry-run); 1 the cluster refused (e.g. not allowed), the question was answered no, or the client library lacks the admin calls; 2 an unknown topic or config, an invalid value, invalid usage, or no --yes without a terminal; 3 cluster unreachable; 130 interrupted at the question.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders --set retention.ms=86400000',
    '<%= config.bin %> <%= command.id %> orders --set retention.ms=86400000 --delete cleanup.policy --yes',
    '<%= config.bin %> <%= command.id %> orders --append cleanup.policy=compact --dry-run',
  ]

  static override args = {topic: Args.string({required: true, description: 'Topic name'})}
  static override flags = configChangeFlags
  static override enableJsonFlag = true

  async run(): Promise<ConfigChangeResult> {
    const {args, flags} = await this.parse(TopicAlterConfig)
    await requireAdminCalls('topic alter-config', 'IncrementalAlterConfigs')
    const changes = parseConfigChanges(flags)
    if (!flags.yes && !flags['dry-run']) requireConfirmable()
    return changeConfigs(await this.cluster(), {type: 'topic', name: args.topic}, changes, {
      yes: flags.yes,
      dryRun: flags['dry-run'],
      log: (text) => this.log(text),
    })
  }
}
