// What `kcli topic list` and `kcli topic describe` report: report objects (their JSON shapes are part of kcli's
// interface) gathered from the cluster, and pure renderers for people.
import type {ChalkInstance} from 'chalk'

import {sourceLabel} from '../admin/config-changes.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {tpKey, watermarks} from '../kafka/offsets.js'
import {type ConfigSetting, describeTopicConfigs} from '../kafka/topic-configs.js'
import {
  type BrokerNode,
  type PartitionLayout,
  type TopicLayout,
  type TopicLayouts,
  clusterTopology,
  describeTopics,
  unknownTopicsError,
} from '../kafka/topics.js'
import {outColours, renderTable, terminalSafe} from '../terminal/output.js'

/** One row of `topic list`. Stable JSON: fields are only ever added. */
export interface TopicSummary {
  name: string
  internal: boolean
  partitions: number
  /** Replicas per partition (the highest, should partitions differ while a reassignment runs). */
  replicationFactor: number
}

export interface TopicListResult {
  topics: TopicSummary[]
}

export interface PartitionReport {
  partition: number
  /** Broker id; null when the partition has no leader (offline). */
  leader: number | null
  replicas: number[]
  isr: number[]
  /** Log start offset (low watermark); null when it could not be read (no leader). */
  low: number | null
  /** Log end offset (high watermark); null when it could not be read. */
  high: number | null
  /** high - low: exact for plain topics, an upper bound for compacted ones or with transaction markers. */
  messages: number | null
}

/** One topic of `topic describe`. Stable JSON: fields are only ever added. */
export interface TopicReport {
  name: string
  id: string
  internal: boolean
  replicationFactor: number
  partitions: PartitionReport[]
  /** The sum of the partitions' known message counts. */
  messages: number
  /**
   * Configs whose value is not Kafka's built-in default, sorted by name: set on the topic (source DYNAMIC_TOPIC_CONFIG)
   * or inherited from the brokers' settings. Null when they could not be read.
   */
  configs: ConfigSetting[] | null
}

export interface TopicDescribeResult {
  topics: TopicReport[]
  /** Why `configs` are null, when they are. */
  configsUnavailable: string | null
}

export function replicationFactor(partitions: PartitionLayout[]): number {
  return partitions.reduce((max, p) => Math.max(max, p.replicas.length), 0)
}

export function toSummary(topic: TopicLayout): TopicSummary {
  return {
    name: topic.name,
    internal: topic.internal,
    partitions: topic.partitions.length,
    replicationFactor: replicationFactor(topic.partitions),
  }
}

/** Every topic, sorted by name; Kafka's internal topics only when asked for. */
export async function listTopics(cluster: ClusterContext, options: {internal: boolean}): Promise<TopicListResult> {
  const layout = await clusterTopology(cluster)
  return {topics: layout.topics.filter((t) => options.internal || !t.internal).map(toSummary)}
}

/**
 * Brokers to ask for configs: leaders first, as they are known to be up; a stopped broker still appears as a replica.
 */
function configBrokers(layouts: TopicLayouts): BrokerNode[] {
  const leaders = new Set(layouts.topics.flatMap((t) => t.partitions.map((p) => p.leader)))
  const nodes = [...layouts.nodes.values()]
  return [...nodes.filter((n) => leaders.has(n.id)), ...nodes.filter((n) => !leaders.has(n.id))]
}

/** Full descriptions in the order asked; any unknown name fails the whole call (exit 2) before anything is printed. */
export async function describeTopicReports(
  cluster: ClusterContext,
  names: string[],
  options: {allConfigs?: boolean} = {},
): Promise<TopicDescribeResult> {
  const wanted = [...new Set(names)]
  const layouts = await describeTopics(cluster, wanted)
  if (layouts.missing.length > 0) throw unknownTopicsError(layouts.missing)

  // Partitions without a leader have no offsets to read; they show as unknown rather than failing the description.
  const led = layouts.topics.flatMap((t) =>
    t.partitions.filter((p) => p.leader !== null).map((p) => ({topic: t.name, partition: p.partition})),
  )
  const [marks, configs] = await Promise.all([
    watermarks(cluster, led),
    describeTopicConfigs(
      cluster,
      configBrokers(layouts),
      layouts.topics.map((t) => t.name),
      {all: options.allConfigs},
    ),
  ])

  const byName = new Map(layouts.topics.map((t) => [t.name, t]))
  const topics = wanted.map((name): TopicReport => {
    const layout = byName.get(name) as TopicLayout
    const partitions = layout.partitions.map((p): PartitionReport => {
      const m = marks.get(tpKey(name, p.partition))
      return {...p, low: m?.low ?? null, high: m?.high ?? null, messages: m ? m.high - m.low : null}
    })
    return {
      name,
      id: layout.id,
      internal: layout.internal,
      replicationFactor: replicationFactor(layout.partitions),
      partitions,
      messages: partitions.reduce((sum, p) => sum + (p.messages ?? 0), 0),
      configs: configs.available ? (configs.byTopic.get(name) ?? null) : null,
    }
  })
  return {topics, configsUnavailable: configs.available ? null : configs.reason}
}

// Below here: printing. Pure functions of a report, so they are tested without a cluster.

const dash = '-'
const ids = (list: number[]): string => (list.length === 0 ? dash : list.join(','))
const num = (value: number | null): string => (value === null ? dash : String(value))

/**
 * Names one per line, as `kafka-topics --list` prints them; with `long`, a table with partitions and replication
 * factor.
 */
export function renderTopicList(result: TopicListResult, options: {long: boolean; internal: boolean}): string {
  if (!options.long) return result.topics.map((t) => terminalSafe(t.name)).join('\n')
  return renderTable([
    ['NAME', 'PARTITIONS', 'REPLICATION-FACTOR', ...(options.internal ? ['INTERNAL'] : [])],
    ...result.topics.map((t) => [
      terminalSafe(t.name),
      String(t.partitions),
      String(t.replicationFactor),
      ...(options.internal ? [t.internal ? 'yes' : 'no'] : []),
    ]),
  ])
}

function configLines(report: TopicReport, unavailable: string | null): string[] {
  if (report.configs === null) return [`unavailable: ${unavailable ?? 'the broker returned none'}`]
  if (report.configs.length === 0) return ['none (all defaults)']
  // Set on the topic: as kafka-topics prints them; inherited: with where they come from (cluster default, default).
  return report.configs.map((c) => {
    const setting = `${terminalSafe(c.name)}=${c.value === null ? '<sensitive>' : terminalSafe(c.value)}`
    return c.source === 'DYNAMIC_TOPIC_CONFIG' ? setting : `${setting} (${sourceLabel(c.source)})`
  })
}

/** The summary block and the partition table of one topic. */
export function renderTopicReport(
  report: TopicReport,
  configsUnavailable: string | null,
  colours: ChalkInstance = outColours(),
): string {
  const configs = configLines(report, configsUnavailable)
  const summary = renderTable(
    [
      ['NAME', terminalSafe(report.name)],
      ['ID', report.id],
      ...(report.internal ? [['INTERNAL', 'yes']] : []),
      ['PARTITIONS', String(report.partitions.length)],
      ['REPLICATION-FACTOR', String(report.replicationFactor)],
      ['MESSAGES', String(report.messages)],
      ['CONFIGS', configs[0]],
      ...configs.slice(1).map((line) => ['', line]),
    ].map(([k, v]) => [colours.bold(k), v]),
    {header: false},
  )
  const partitions = renderTable([
    ['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'LOW', 'HIGH', 'MESSAGES'],
    ...report.partitions.map((p) => [
      String(p.partition),
      p.leader === null ? colours.red('none') : String(p.leader),
      ids(p.replicas),
      p.isr.length < p.replicas.length ? colours.yellow(ids(p.isr)) : ids(p.isr),
      num(p.low),
      num(p.high),
      num(p.messages),
    ]),
  ])
  return `${summary}\n\n${partitions}`
}

export function renderTopicReports(result: TopicDescribeResult, colours: ChalkInstance = outColours()): string {
  return result.topics.map((t) => renderTopicReport(t, result.configsUnavailable, colours)).join('\n\n\n')
}
