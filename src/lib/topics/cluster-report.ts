// What `kcli cluster describe` reports: brokers, topic and partition counts, and the partitions that are short of
// replicas or leaders; the partition checks are shared with `kcli health`.
import type {ChalkInstance} from 'chalk'

import type {ClusterContext} from '../kafka/cluster.js'
import {type BrokerNode, type ClusterTopology, type TopicLayout, clusterTopology} from '../kafka/topics.js'
import {outColours, renderTable, terminalSafe} from '../terminal/output.js'

export interface PartitionProblem {
  topic: string
  partition: number
  leader: number | null
  replicas: number[]
  isr: number[]
}

export interface PartitionHealth {
  /** Fewer in-sync replicas than replicas (`kafka-topics --under-replicated-partitions`). */
  underReplicated: PartitionProblem[]
  /** No leader: nobody can write to or read from them (`kafka-topics --unavailable-partitions`). */
  offline: PartitionProblem[]
}

export function partitionHealth(topics: TopicLayout[]): PartitionHealth {
  const health: PartitionHealth = {underReplicated: [], offline: []}
  for (const topic of topics) {
    for (const p of topic.partitions) {
      const problem = {topic: topic.name, partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr}
      if (p.isr.length < p.replicas.length) health.underReplicated.push(problem)
      if (p.leader === null) health.offline.push(problem)
    }
  }
  return health
}

/** Stable JSON: fields are only ever added. */
export interface ClusterReport {
  /** The bootstrap brokers kcli was given. */
  bootstrap: string
  /**
   * Brokers the cluster's metadata lists; `rack` is null when unset, or when the broker holds no replica to learn it
   * from.
   */
  brokers: BrokerNode[]
  /** All topics, internal ones included. */
  topics: number
  internalTopics: number
  partitions: number
  underReplicatedPartitions: PartitionProblem[]
  offlinePartitions: PartitionProblem[]
}

export function toClusterReport(bootstrap: string[], layout: ClusterTopology): ClusterReport {
  const health = partitionHealth(layout.topics)
  return {
    bootstrap: bootstrap.join(','),
    brokers: layout.brokers,
    topics: layout.topics.length,
    internalTopics: layout.topics.filter((t) => t.internal).length,
    partitions: layout.topics.reduce((sum, t) => sum + t.partitions.length, 0),
    underReplicatedPartitions: health.underReplicated,
    offlinePartitions: health.offline,
  }
}

export async function describeCluster(cluster: ClusterContext): Promise<ClusterReport> {
  return toClusterReport(cluster.brokers, await clusterTopology(cluster))
}

// Below here: printing.

const ids = (list: number[]): string => (list.length === 0 ? '-' : list.join(','))

export function renderPartitionProblems(problems: PartitionProblem[]): string {
  return renderTable([
    ['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'ISR'],
    ...problems.map((p) => [
      terminalSafe(p.topic),
      String(p.partition),
      p.leader === null ? 'none' : String(p.leader),
      ids(p.replicas),
      ids(p.isr),
    ]),
  ])
}

export function renderClusterReport(report: ClusterReport, colours: ChalkInstance = outColours()): string {
  const count = (n: number, bad: (s: string) => string) => (n > 0 ? bad(String(n)) : String(n))
  const blocks = [
    renderTable(
      [
        ['BOOTSTRAP', terminalSafe(report.bootstrap)],
        ['BROKERS', String(report.brokers.length)],
        ['TOPICS', `${report.topics} (${report.internalTopics} internal)`],
        ['PARTITIONS', String(report.partitions)],
        ['UNDER-REPLICATED', count(report.underReplicatedPartitions.length, colours.yellow)],
        ['OFFLINE', count(report.offlinePartitions.length, colours.red)],
      ].map(([k, v]) => [colours.bold(k), v]),
      {header: false},
    ),
    renderTable([
      ['ID', 'HOST', 'PORT', 'RACK'],
      ...report.brokers.map((b) => [
        String(b.id),
        terminalSafe(b.host),
        String(b.port),
        b.rack === null ? '-' : terminalSafe(b.rack),
      ]),
    ]),
  ]
  if (report.underReplicatedPartitions.length > 0)
    blocks.push(`Under-replicated partitions:\n${renderPartitionProblems(report.underReplicatedPartitions)}`)
  if (report.offlinePartitions.length > 0)
    blocks.push(`Offline partitions:\n${renderPartitionProblems(report.offlinePartitions)}`)
  return blocks.join('\n\n')
}
