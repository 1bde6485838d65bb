// `kcli health`: is the cluster reachable, are its partitions fully replicated and led, do given topics exist, and
// does a message make the round trip through a topic in time. One status a script can act on.
import type {KafkaConsumer, Message, Producer} from '@confluentinc/kafka-javascript'
import {randomUUID} from 'node:crypto'
import {performance} from 'node:perf_hooks'

import {type PartitionHealth, partitionHealth} from './cluster-report.js'
import {formatDuration, requireDuration} from '../time/duration.js'
import {ExitCode, describeKafkaError, errorReport} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {type ClusterTopology, clusterTopology} from '../kafka/topics.js'
import {outColours} from '../terminal/output.js'
import {failureReason} from '../produce/delivery.js'

export type HealthStatus = 'healthy' | 'degraded' | 'unreachable'

export const healthExitCodes: Record<HealthStatus, number> = {
  healthy: ExitCode.ok,
  degraded: ExitCode.failure,
  unreachable: ExitCode.unreachable,
}

export interface HealthOptions {
  /** Topics that must exist with a leader for every partition. */
  topics: string[]
  /** Produce one probe message to this topic and consume it back. */
  e2eTopic?: string
  /** How long the probe may take before it counts as failed. */
  e2eTimeoutMs: number
  /** A probe slower than this makes the cluster degraded. */
  maxLatencyMs: number
}

function durationFlag(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback
  return requireDuration(text, flag)
}

/** The options `kcli health`'s flags ask for; the probe's timeout defaults to the connection timeout. */
export function healthOptions(
  flags: {topic?: string[]; e2e?: string; 'e2e-timeout'?: string; 'max-latency'?: string},
  timeoutMs: number,
): HealthOptions {
  return {
    topics: flags.topic ?? [],
    e2eTopic: flags.e2e,
    e2eTimeoutMs: durationFlag(flags['e2e-timeout'], '--e2e-timeout', timeoutMs),
    maxLatencyMs: durationFlag(flags['max-latency'], '--max-latency', 1000),
  }
}

export interface TopicCheck {
  topic: string
  exists: boolean
  partitions: number
  /** Partitions without a leader. */
  leaderless: number[]
}

export interface ProbeReport {
  topic: string
  partition: number | null
  offset: number | null
  /** From producing the message to consuming it back; null when it did not come back. */
  latencyMs: number | null
  error: string | null
}

/** Stable JSON: fields are only ever added. Counts are null when the cluster could not be asked. */
export interface HealthReport {
  status: HealthStatus
  bootstrap: string
  brokers: number | null
  topics: number | null
  partitions: number | null
  underReplicatedPartitions: number | null
  offlinePartitions: number | null
  checkedTopics: TopicCheck[]
  e2e: ProbeReport | null
  /** What makes the cluster degraded or unreachable, one sentence each; empty when healthy. */
  problems: string[]
  elapsedMs: number
}

export function checkTopics(layout: ClusterTopology, names: string[]): TopicCheck[] {
  return [...new Set(names)].map((topic) => {
    const found = layout.topics.find((t) => t.name === topic)
    if (!found) return {topic, exists: false, partitions: 0, leaderless: []}
    return {
      topic,
      exists: true,
      partitions: found.partitions.length,
      leaderless: found.partitions.filter((p) => p.leader === null).map((p) => p.partition),
    }
  })
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The status and the problems behind it, from what was observed. */
export function assessHealth(observed: {
  partitions: PartitionHealth
  checks: TopicCheck[]
  probe: ProbeReport | null
  maxLatencyMs: number
}): {status: HealthStatus; problems: string[]} {
  const problems: string[] = []
  const {underReplicated, offline} = observed.partitions
  if (offline.length > 0) problems.push(`${plural(offline.length, 'offline partition')} (no leader)`)
  if (underReplicated.length > 0) problems.push(`${plural(underReplicated.length, 'under-replicated partition')}`)
  for (const check of observed.checks) {
    if (!check.exists) problems.push(`topic "${check.topic}" does not exist`)
    else if (check.leaderless.length > 0)
      problems.push(
        `topic "${check.topic}" has no leader for partition${check.leaderless.length === 1 ? '' : 's'} ${check.leaderless.join(',')}`,
      )
  }
  const probe = observed.probe
  if (probe?.error) problems.push(`probe on ${probe.topic} failed: ${probe.error}`)
  else if (probe && probe.latencyMs !== null && probe.latencyMs > observed.maxLatencyMs) {
    problems.push(`probe round trip took ${probe.latencyMs} ms (limit ${observed.maxLatencyMs} ms)`)
  }
  return {status: problems.length === 0 ? 'healthy' : 'degraded', problems}
}

/** Checks the cluster; never throws for the cluster's own failures, which become the report's status. */
export async function checkHealth(cluster: ClusterContext, options: HealthOptions): Promise<HealthReport> {
  const began = performance.now()
  const report: HealthReport = {
    status: 'healthy',
    bootstrap: cluster.brokers.join(','),
    brokers: null,
    topics: null,
    partitions: null,
    underReplicatedPartitions: null,
    offlinePartitions: null,
    checkedTopics: [],
    e2e: null,
    problems: [],
    elapsedMs: 0,
  }
  try {
    const layout = await clusterTopology(cluster)
    const partitions = partitionHealth(layout.topics)
    report.brokers = layout.brokers.length
    report.topics = layout.topics.length
    report.partitions = layout.topics.reduce((sum, t) => sum + t.partitions.length, 0)
    report.underReplicatedPartitions = partitions.underReplicated.length
    report.offlinePartitions = partitions.offline.length
    report.checkedTopics = checkTopics(layout, options.topics)
    if (options.e2eTopic !== undefined) {
      const exists = layout.topics.some((t) => t.name === options.e2eTopic)
      report.e2e = exists
        ? await probeRoundTrip(cluster, options.e2eTopic, options.e2eTimeoutMs)
        : {topic: options.e2eTopic, partition: null, offset: null, latencyMs: null, error: 'the topic does not exist'}
    }
    Object.assign(
      report,
      assessHealth({partitions, checks: report.checkedTopics, probe: report.e2e, maxLatencyMs: options.maxLatencyMs}),
    )
  } catch (error) {
    const failure = errorReport(error)
    report.status = failure.exit === ExitCode.unreachable ? 'unreachable' : 'degraded'
    report.problems = [failure.message]
  }
  report.elapsedMs = Math.round(performance.now() - began)
  return report
}

// One at a time: a batch call waits out its whole timeout unless the batch fills, which would add to the latency.
function consumeOne(consumer: KafkaConsumer): Promise<Message[]> {
  return new Promise((resolve, reject) =>
    consumer.consume(1, (err, messages) => (err ? reject(err) : resolve(messages))),
  )
}

/** Produces one message and resolves where it was written, once the brokers acknowledged it. */
function produceOne(
  producer: Producer,
  topic: string,
  payload: string,
  timeoutMs: number,
): Promise<{partition: number; offset: number}> {
  return new Promise((resolve, reject) => {
    // message.timeout.ms bounds the delivery; the timer only guards against a report that never comes.
    const timer = setTimeout(
      () => reject(new Error(`not acknowledged within ${formatDuration(timeoutMs)}`)),
      timeoutMs + 1000,
    )
    producer.once('delivery-report', (err, report) => {
      clearTimeout(timer)
      if (err) reject(new Error(failureReason(err)))
      else resolve({partition: report.partition, offset: report.offset})
    })
    try {
      producer.produce(topic, null, Buffer.from(payload))
    } catch (error) {
      clearTimeout(timer)
      reject(error)
    }
  })
}

/**
 * Produces one message with a unique payload and reads it back from the partition and offset it was written to (an
 * assigned consumer, no group), so the latency covers the write, replication (acks=all) and a fetch.
 */
export async function probeRoundTrip(cluster: ClusterContext, topic: string, timeoutMs: number): Promise<ProbeReport> {
  const probe: ProbeReport = {topic, partition: null, offset: null, latencyMs: null, error: null}
  // Connected first, so the measured time holds no connection set-up.
  let producer: Producer
  let consumer: KafkaConsumer
  try {
    producer = await cluster.connectProducer({dr_cb: true, 'linger.ms': 0, 'message.timeout.ms': timeoutMs})
  } catch (error) {
    return {...probe, error: `cannot connect its producer: ${describeKafkaError(error)}`}
  }
  try {
    consumer = await cluster.connectConsumer({
      'group.id': `kcli-health-${randomUUID()}`,
      'enable.auto.commit': false,
      'fetch.wait.max.ms': 10,
      'fetch.queue.backoff.ms': 10,
    })
  } catch (error) {
    return {...probe, error: `cannot connect its consumer: ${describeKafkaError(error)}`}
  }
  consumer.setDefaultConsumeTimeout(50)
  const payload = JSON.stringify({kcliHealthProbe: randomUUID(), sentAt: new Date().toISOString()})
  const deadline = performance.now() + timeoutMs
  // Delivery reports reach JS only when polled: poll often while the probe runs.
  producer.setPollInterval(5)
  const started = performance.now()
  try {
    const {partition, offset} = await produceOne(producer, topic, payload, timeoutMs)
    probe.partition = partition
    probe.offset = offset
    consumer.assign([{topic, partition, offset}])
    let lastError: unknown
    while (performance.now() < deadline) {
      let messages: Message[] = []
      try {
        messages = await consumeOne(consumer)
      } catch (error) {
        lastError = error
        // An error comes back at once: do not spin on it.
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      if (messages.some((m) => m.offset === offset && m.value?.toString('utf8') === payload)) {
        probe.latencyMs = Math.round(performance.now() - started)
        return probe
      }
    }
    probe.error = `not consumed back within ${formatDuration(timeoutMs)}${lastError ? ` (${describeKafkaError(lastError)})` : ''}`
  } catch (error) {
    probe.error = describeKafkaError(error)
  } finally {
    producer.setPollInterval(0)
  }
  return probe
}

/** The one line a person or a log reads. */
export function renderHealthLine(report: HealthReport, colours = outColours()): string {
  const word = {healthy: colours.green, degraded: colours.yellow, unreachable: colours.red}[report.status](
    report.status,
  )
  if (report.status !== 'healthy') return `${word}: ${report.problems.join('; ')}`
  const facts = [
    plural(report.brokers ?? 0, 'broker'),
    plural(report.topics ?? 0, 'topic'),
    plural(report.partitions ?? 0, 'partition'),
  ].join(', ')
  const probe = report.e2e
    ? `; probe ${report.e2e.topic}[${report.e2e.partition}] round trip ${report.e2e.latencyMs} ms`
    : ''
  const checked = report.checkedTopics.length > 0 ? `; ${plural(report.checkedTopics.length, 'topic')} checked` : ''
  return `${word}: ${facts}${checked}${probe}`
}
