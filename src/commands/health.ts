// `kcli health`: one status for scripts and monitors: healthy (0), degraded (1) or unreachable (3).
import {Flags} from '@oclif/core'

import {type HealthReport, checkHealth, healthExitCodes, healthOptions, renderHealthLine} from '../lib/topics/health.js'
import {KafkaCommand} from '../lib/command/kafka-command.js'

export default class Health extends KafkaCommand {
  static override summary = 'Check that the cluster answers and its partitions are healthy; exit 0, 1 or 3.'
  static override description = `Connects within --timeout and looks at every partition of the cluster: any partition with fewer in-sync replicas than replicas (under-replicated) or without a leader (offline) makes the cluster degraded. With --topic, each given topic must also exist and have a leader for every partition. With --e2e, one probe message (a small JSON object) is produced to the topic with acks=all and consumed back from the partition and offset it was written to, by a consumer that joins no group; a probe that fails, or takes longer than --max-latency, makes the cluster degraded. The probe messages stay in the topic: point --e2e at a topic kept for the purpose, with a short retention.

Prints one line ("healthy: ...", "degraded: <problems>", "unreachable: <why>") on stdout, or with --json: {status, bootstrap, brokers, topics, partitions, underReplicatedPartitions, offlinePartitions, checkedTopics: [{topic, exists, partitions, leaderless}], e2e: {topic, partition, offset, latencyMs, error}|null, problems: [...], elapsedMs}; counts are null when the cluster could not be asked.

Exit codes: 0 healthy; 1 degraded (under-replicated or offline partitions, a missing or leaderless --topic, a failed or slow probe); 2 invalid usage; 3 unreachable within --timeout.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --timeout 3s -t orders -t payments',
    '<%= config.bin %> <%= command.id %> --e2e kcli-health --max-latency 250ms --json',
  ]

  static override flags = {
    topic: Flags.string({
      char: 't',
      description: 'A topic that must exist with a leader for every partition (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    e2e: Flags.string({description: 'Produce one probe message to this topic and consume it back'}),
    'e2e-timeout': Flags.string({description: 'How long the probe may take before it fails [default: --timeout]'}),
    'max-latency': Flags.string({description: 'A probe round trip slower than this is degraded', default: '1s'}),
  }

  static override enableJsonFlag = true

  async run(): Promise<HealthReport> {
    const {flags} = await this.parse(Health)
    const cluster = await this.cluster()
    const report = await checkHealth(cluster, healthOptions(flags, cluster.timeoutMs))
    this.log(renderHealthLine(report))
    process.exitCode = healthExitCodes[report.status]
    return report
  }
}
