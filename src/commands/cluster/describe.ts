// `kcli cluster describe`: brokers, topic and partition counts, and partitions short of replicas or leaders.
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {type ClusterReport, describeCluster, renderClusterReport} from '../../lib/topics/cluster-report.js'

export default class ClusterDescribe extends KafkaCommand {
  static override summary = 'Show the brokers of the cluster, its topic and partition counts, and unhealthy partitions.'
  static override description = `Lists every broker (id, host:port, rack), counts topics (internal ones included) and partitions, and lists the under-replicated partitions (fewer in-sync replicas than replicas) and the offline ones (no leader), as kafka-topics --under-replicated-partitions and --unavailable-partitions would.

The client library offers no DescribeCluster, so the cluster id and the active controller are not shown, and a broker's rack is learned from the partitions it hosts: a broker that holds no replica shows "-".

With --json: {bootstrap, brokers: [{id, host, port, rack}], topics, internalTopics, partitions, underReplicatedPartitions: [{topic, partition, leader, replicas, isr}], offlinePartitions: [...]}.

Exit codes: 0 described (also with unhealthy partitions: use kcli health to act on those); 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    `<%= config.bin %> <%= command.id %> --json | jq '.brokers[].id'`,
  ]

  static override enableJsonFlag = true

  async run(): Promise<ClusterReport> {
    await this.parse(ClusterDescribe)
    const report = await describeCluster(await this.cluster())
    this.log(renderClusterReport(report))
    return report
  }
}
