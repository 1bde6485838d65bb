// One `kcli consume` run: connect, decide partitions and offsets (directly, or through a group), loop, commit, leave.
import type {KafkaConsumer} from '@confluentinc/kafka-javascript'

import {type ConsumeLoopOptions, ConsumeState, consumeLoop, planAssignment, watchEof} from './loop.js'
import {GroupAssignments} from './group-assignments.js'
import {packedSource, stockSource} from './source.js'
import {dataPath} from '../kafka/fast-path.js'
import {ExitCode, KcliError, describeKafkaError, usageError} from '../errors.js'
import {adminFrom, connectConsumer} from '../kafka/client.js'
import {ClusterContext} from '../kafka/cluster.js'
import {committedTopics} from '../kafka/groups.js'
import type {TopicPartition} from '../kafka/offsets.js'
import {existingPartitions, topicPartitions} from '../kafka/topics.js'
import {info} from '../terminal/output.js'
import {watchInterrupts} from '../terminal/signals.js'

export interface ConsumeRunOptions extends Omit<ConsumeLoopOptions, 'storeOffsets'> {
  /** Topic names; a name starting with ^ is a regular expression matched against the cluster's topics. */
  topics: string[]
  /** Wait for topics that do not exist yet instead of failing. */
  waitForTopics: boolean
  partitions?: number[]
  group?: string
  commit: boolean
}

export async function runConsume(cluster: ClusterContext, options: ConsumeRunOptions): Promise<number> {
  const {settings} = cluster
  const {range, group} = options
  for (const topic of options.topics) checkPatternSyntax(topic)
  if (group && range.start.kind !== 'beginning' && range.start.kind !== 'end') {
    throw usageError(
      'with --group, --offset sets where a group without committed offsets starts: beginning or end',
      'To move a group, use `kcli group reset-offsets`.',
    )
  }
  if (group && options.partitions)
    throw usageError('--partition cannot be used with --group: the group assigns partitions')
  if (group && range.stop && range.stop.kind !== 'end')
    throw usageError('with --group, consuming can stop only at the end (-e), after -n messages, or when idle')

  const resetPolicy =
    settings.properties['auto.offset.reset'] ?? (range.start.kind === 'beginning' ? 'earliest' : 'latest')
  // Created before the consumer, whose rebalance callback it is; it learns of the consumer once that exists.
  const assignments = new GroupAssignments(resetPolicy, settings.timeoutMs)
  // One named topic that must exist: the connect's metadata describes it, and no request of its own asks for its
  // partitions. Under --wait-for-topics the topic may not exist yet: its partitions are polled for instead.
  const [first, ...more] = options.topics
  const named = first && more.length === 0 && !first.startsWith('^') && !options.waitForTopics ? first : undefined
  const {client: consumer, metadata} = await connectConsumer(
    settings,
    {
      // Without a group, partitions are assigned directly: this id never joins or commits, so it leaves no trace, and
      // need not be unguessable (node:crypto would take ~3 ms of every such run to load).
      'group.id': group ?? `kcli-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
      'enable.auto.commit': Boolean(group) && options.commit,
      'enable.auto.offset.store': false,
      'enable.partition.eof': true,
      // Measured (patches/fast-path.md): prefetch enough to keep the loop busy, in memory that stays bounded.
      'fetch.queue.backoff.ms': 1,
      'queued.min.messages': 20_000,
      'queued.max.messages.kbytes': 4096,
      'fetch.max.bytes': 4 << 20,
      'max.partition.fetch.bytes': 1 << 20,
      // A broker holds a fetch up to this long for partitions with nothing new, which stalls reading history where
      // partitions end at different offsets; tailing needs no such hurry.
      'fetch.wait.max.ms': range.stop === undefined ? 100 : 10,
      // kcli assigns a group's partitions itself, at offsets it resolved, so that it knows where each one starts.
      ...(group
        ? {
            rebalance_cb: (err: {code: number}, assignment: TopicPartition[]) =>
              assignments.onRebalance(err, assignment),
          }
        : {}),
    },
    // librdkafka ignores a global auto.offset.reset once a topic config is given, so the user's -X goes here too.
    {'auto.offset.reset': resetPolicy},
    named,
  )
  cluster.track(consumer)
  const readCommitted = (settings.properties['isolation.level'] ?? 'read_committed') !== 'read_uncommitted'
  consumer.setDefaultConsumeTimeout(100)
  // Only the first message of a batch waits; the rest of the batch is whatever has arrived.
  ;(
    consumer as unknown as {setDefaultIsTimeoutOnlyForFirstMessage(v: boolean): void}
  ).setDefaultIsTimeoutOnlyForFirstMessage(true)
  // Library calls of this run go through the consumer and its admin client: no second connection.
  const admin = await adminFrom(consumer)
  const on = ClusterContext.over(settings, {client: consumer, admin, ...(group ? {groupAdmin: admin} : {})})
  const state = new ConsumeState()
  assignments.attach({consumer, cluster: on, state, stop: range.stop, readCommitted, storeStarts: options.commit})

  let topics = options.topics
  if (topics.length === 0) {
    if (!group)
      throw usageError(
        'no topic given',
        'Use --topic, KCLI_TOPIC or "topic" in the rc file, or --group to resume a group.',
      )
    topics = await committedTopics(on, group)
    if (topics.length === 0)
      throw usageError(
        `no topic given, and group "${group}" has no committed offsets to resume from`,
        'Use --topic to say what to consume.',
      )
    info(`resuming group ${group} on ${topics.join(', ')}`)
  }

  topics = [...new Set(await expandPatterns(on, topics))]
  const partitions: TopicPartition[] = []
  for (const topic of topics) {
    const ids =
      topic === named
        ? existingPartitions(metadata, topic)
        : options.waitForTopics
          ? await waitForTopic(on, topic, state)
          : await topicPartitions(on, topic)
    if (state.stopRequested) return ExitCode.ok
    for (const id of new Set(options.partitions ?? ids)) {
      if (!ids.includes(id)) throw usageError(`--partition ${id}: topic ${topic} has partitions 0-${ids.length - 1}`)
      partitions.push({topic, partition: id})
    }
  }

  watchEof(consumer, state)
  const interrupts = watchInterrupts(
    () => (state.stopRequested = true),
    () => {
      process.stderr.write('kcli: interrupted again: exiting without committing\n')
      process.exit(ExitCode.interrupted)
    },
  )

  try {
    if (group) {
      assignments.onFailure = (error) => {
        state.failure = error
        state.stopRequested = true
      }
      consumer.subscribe(topics)
    } else {
      consumer.assign(await planAssignment(on, partitions, range, state, readCommitted))
    }

    const source = (await dataPath()).packedConsume
      ? packedSource(consumer, options.formatter.jsonLines === true)
      : stockSource(consumer)
    await consumeLoop(consumer, source, {...options, storeOffsets: Boolean(group) && options.commit}, state)
    if (state.failure) throw state.failure
  } finally {
    interrupts.dispose()
  }

  if (group && options.commit) commitStored(consumer)
  return ExitCode.ok
}

/**
 * A name with regular expression characters cannot be a topic (Kafka allows letters, digits, `.`, `_` and `-`): it was
 * meant as a pattern, which kcli takes with a leading ^.
 */
export function checkPatternSyntax(topic: string): void {
  if (topic.startsWith('^') || !/[*+?()[\]{}|\\$]/.test(topic)) return
  throw usageError(
    `"${topic}" is not a topic name, and a regular expression must start with ^`,
    `To read the topics it matches: -t '^${topic}'`,
  )
}

/** Replaces each ^regex with the matching topics (internal topics only when the pattern names them). */
async function expandPatterns(cluster: ClusterContext, topics: string[]): Promise<string[]> {
  if (!topics.some((t) => t.startsWith('^'))) return topics
  const names = (await cluster.metadata()).topics.map((t) => t.name).sort()
  const result = new Set<string>()
  for (const topic of topics) {
    if (!topic.startsWith('^')) {
      result.add(topic)
      continue
    }
    let pattern: RegExp
    try {
      pattern = new RegExp(topic)
    } catch {
      throw usageError(`--topic ${topic}: not a valid regular expression`)
    }
    const matches = names.filter((n) => pattern.test(n) && (!n.startsWith('__') || topic.startsWith('^__')))
    if (matches.length === 0) throw usageError(`no topic matches ${topic}`)
    for (const m of matches) result.add(m)
  }
  return [...result]
}

/** Polls until the topic exists; a first signal ends the wait. */
async function waitForTopic(cluster: ClusterContext, topic: string, state: ConsumeState): Promise<number[]> {
  let told = false
  const interrupts = watchInterrupts(
    () => (state.stopRequested = true),
    () => process.exit(ExitCode.interrupted),
  )
  try {
    for (;;) {
      try {
        return await topicPartitions(cluster, topic)
      } catch (error) {
        if (!(error instanceof KcliError) || error.exit !== ExitCode.usage) throw error
      }
      if (!told) info(`waiting for topic ${topic} to be created`)
      told = true
      await new Promise((resolve) => setTimeout(resolve, 1000))
      if (state.stopRequested) return []
    }
  } finally {
    interrupts.dispose()
  }
}

function commitStored(consumer: KafkaConsumer): void {
  try {
    // null: commit the offsets stored for written messages.
    consumer.commitSync(null as never)
  } catch (error) {
    const code = (error as {code?: number}).code
    // -168: nothing was stored, so nothing to commit.
    if (code !== -168) throw new KcliError(`could not commit offsets: ${describeKafkaError(error)}`)
  }
}
