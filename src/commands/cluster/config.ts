// `kcli cluster config`: a broker's configs, each with where its value comes from.
import {Args, Flags} from '@oclif/core'

import {requireAdminCalls} from '../../lib/admin/available.js'
import {type BrokerConfigResult, brokerConfigs} from '../../lib/admin/broker-configs.js'
import {renderConfigList} from '../../lib/admin/config-changes.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'

export default class ClusterConfig extends KafkaCommand {
  static override summary = "Show the brokers' configs and where each value comes from."
  static override description = `Lists the configs of one broker (--broker, or the one with the lowest id) whose values are not Kafka's built-in defaults, each with its source: "cluster default" (the cluster-wide dynamic default, set with kcli cluster alter-config), "broker" (set on that broker with --broker), "broker file" (its server.properties) or, with --all, "default". Read-only configs can change only in the broker's file and a restart. Names given as arguments show just those configs, at any source. Sensitive values (passwords) are never printed.

Needs the admin calls of kcli's patch to the client library: without them (KCLI_DATA_PATH=stock, a prebuilt binary) the command says so and exits 1.

With --json: {broker, configs: [{name, value, source, readOnly, sensitive}]}; source is Kafka's ConfigSource name (DYNAMIC_DEFAULT_BROKER_CONFIG, DYNAMIC_BROKER_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG, ...); a sensitive value is null.

Exit codes: 0 shown; 1 the cluster refused (e.g. not allowed), or the client library lacks the admin calls; 2 an unknown broker or config name, or invalid usage; 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> log.retention.ms num.partitions',
    '<%= config.bin %> <%= command.id %> --broker 2 --all --json',
  ]

  static override strict = false
  static override args = {name: Args.string({description: 'Only these configs (several allowed)'})}
  static override flags = {
    broker: Flags.integer({char: 'B', description: 'The broker to ask [default: the lowest id]', min: 0}),
    all: Flags.boolean({char: 'a', description: "Also the configs at Kafka's built-in default"}),
  }

  static override enableJsonFlag = true

  async run(): Promise<BrokerConfigResult> {
    const {argv, flags} = await this.parse(ClusterConfig)
    await requireAdminCalls('cluster config', 'DescribeConfigs')
    const result = await brokerConfigs(await this.cluster(), {
      broker: flags.broker,
      names: argv as string[],
      all: flags.all,
    })
    if (result.configs.length === 0) info(`No configs of broker ${result.broker} differ from Kafka's defaults.`)
    else this.log(renderConfigList(result.configs))
    return result
  }
}
