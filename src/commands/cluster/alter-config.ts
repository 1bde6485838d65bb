// `kcli cluster alter-config`: change broker configs, cluster-wide or of one broker, after showing the change.
import {Flags} from '@oclif/core'

import {requireAdminCalls} from '../../lib/admin/available.js'
import {
  type ConfigChangeResult,
  changeConfigs,
  chooseBroker,
  configChangeFlags,
} from '../../lib/admin/config-change-run.js'
import {parseConfigChanges} from '../../lib/admin/config-changes.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {requireConfirmable} from '../../lib/terminal/prompt.js'

export default class ClusterAlterConfig extends KafkaCommand {
  static override summary = 'Change broker configs: the cluster-wide default, or one broker with --broker.'
  static override description = `Without --broker the change goes to the cluster-wide dynamic default of every broker (kafka-configs --entity-type brokers --entity-default); with --broker N to that broker alone, which wins over the default. Only configs Kafka can change while running (read-only ones are marked in kcli cluster config) are accepted, and only the configs named change: --set gives a value, --delete removes one set at that level, --append and --subtract add or remove an item of a list config.

kcli prints each config's current value with its source and its new value, has the broker validate the change, then asks on a terminal; --yes changes without asking and is required when stdin or stderr is not a terminal. --dry-run stops after the validation. Sensitive values (passwords) are never printed.

Needs the admin calls of kcli's patch to the client library: without them (KCLI_DATA_PATH=stock, a prebuilt binary) the command says so and exits 1.

With --json: {resource: {type: "cluster", name: null} | {type: "broker", name: "<id>"}, dryRun, applied, changes: [{name, op, value, current: {value, source}|null, newValue, sensitive, unchanged}]}.

Exit codes: 0 changed (or validated, with --dry-run); 1 the cluster refused (e.g. not allowed), the question was answered no, or the client library lacks the admin calls; 2 an unknown broker or config, a config that cannot change while running, an invalid value, invalid usage, or no --yes without a terminal; 3 cluster unreachable; 130 interrupted at the question.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --set log.retention.ms=259200000',
    '<%= config.bin %> <%= command.id %> --broker 1 --set log.cleaner.threads=2 --yes',
    '<%= config.bin %> <%= command.id %> --delete log.retention.ms --dry-run',
  ]

  static override flags = {
    broker: Flags.integer({
      char: 'B',
      description: 'Change this broker only [default: the cluster-wide default]',
      min: 0,
    }),
    ...configChangeFlags,
  }

  static override enableJsonFlag = true

  async run(): Promise<ConfigChangeResult> {
    const {flags} = await this.parse(ClusterAlterConfig)
    await requireAdminCalls('cluster alter-config', 'IncrementalAlterConfigs')
    const changes = parseConfigChanges(flags)
    if (!flags.yes && !flags['dry-run']) requireConfirmable()
    const cluster = await this.cluster()
    const resource =
      flags.broker === undefined
        ? ({type: 'cluster'} as const)
        : ({type: 'broker', id: await chooseBroker(cluster, flags.broker)} as const)
    return changeConfigs(cluster, resource, changes, {
      yes: flags.yes,
      dryRun: flags['dry-run'],
      log: (text) => this.log(text),
    })
  }
}
