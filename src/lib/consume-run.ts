// One `kcli consume` run: connect, decide partitions and offsets (directly, or through a group), loop, commit, leave.
import type {KafkaConsumer} from '@confluentinc/kafka-javascript'
import {randomUUID} from 'node:crypto'

import {type ConsumeLoopOptions, ConsumeState, consumeLoop, planAssignment, planGroupStops, registerGroupPartitions, watchEof} from './consume.js'
import {ExitCode, KcliError, describeKafkaError, usageError} from './errors.js'
import {adminFrom, connectConsumer} from './kafka/client.js'
import {committedTopics} from './kafka/groups.js'
import type {TopicPartition} from './kafka/offsets.js'
import {topicPartitions} from './kafka/topics.js'
import {info} from './output.js'
import type {ResolvedSettings} from './settings.js'
import {watchInterrupts} from './signals.js'

export interface ConsumeRunOptions extends Omit<ConsumeLoopOptions, 'storeOffsets'> {
  topics: string[]
  partitions?: number[]
  group?: string
  commit: boolean
}

export async function runConsume(settings: ResolvedSettings, options: ConsumeRunOptions, track: (c: KafkaConsumer) => void): Promise<number> {
  const {range, group} = options
  if (group && range.start.kind !== 'beginning' && range.start.kind !== 'end') {
    throw usageError('with --group, --offset sets where a group without committed offsets starts: beginning or end', 'To move a group, use `kcli group reset-offsets`.')
  }
  if (group && options.partitions) throw usageError('--partition cannot be used with --group: the group assigns partitions')
  if (group && range.stop && range.stop.kind !== 'end') throw usageError('with --group, consuming can stop only at the end (-e), after -n messages, or when idle')

  const {client: consumer} = await connectConsumer(
    settings,
    {
      // Without a group, partitions are assigned directly: this id never joins or commits, so it leaves no trace.
      'group.id': group ?? `kcli-${randomUUID()}`,
      'enable.auto.commit': Boolean(group) && options.commit,
      'enable.auto.offset.store': false,
      'enable.partition.eof': true,
      'fetch.queue.backoff.ms': 20,
      ...(group ? {rebalance_cb: true} : {}),
    },
    {'auto.offset.reset': range.start.kind === 'beginning' ? 'earliest' : 'latest'},
  )
  track(consumer)
  consumer.setDefaultConsumeTimeout(100)
  const admin = await adminFrom(consumer)

  let topics = options.topics
  if (topics.length === 0) {
    if (!group) throw usageError('no topic given', 'Use --topic, KCLI_TOPIC or "topic" in the rc file, or --group to resume a group.')
    topics = await committedTopics(admin, settings, group)
    if (topics.length === 0) throw usageError(`no topic given, and group "${group}" has no committed offsets to resume from`, 'Use --topic to say what to consume.')
    info(`resuming group ${group} on ${topics.join(', ')}`)
  }

  const partitions: TopicPartition[] = []
  for (const topic of topics) {
    const ids = await topicPartitions(consumer, settings, topic)
    for (const id of options.partitions ?? ids) {
      if (!ids.includes(id)) throw usageError(`--partition ${id}: topic ${topic} has partitions 0-${ids.length - 1}`)
      partitions.push({topic, partition: id})
    }
  }

  const state = new ConsumeState()
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
      let planning = Promise.resolve()
      consumer.on('rebalance', (err, assignment) => {
        if (err?.code === -175) {
          const fresh = registerGroupPartitions(assignment as TopicPartition[], state)
          planning = planning
            .then(() => planGroupStops(admin, fresh, range.stop, state, settings.timeoutMs))
            .then(() => {
              state.assigned = true
            })
            .catch((error: unknown) => {
              state.failure = error
              state.stopRequested = true
            })
        } else if (err?.code === -174) {
          for (const tp of assignment as TopicPartition[]) state.partitions.delete(`${tp.topic}\u0000${tp.partition}`)
        }
      })
      consumer.subscribe(topics)
    } else {
      consumer.assign(await planAssignment(admin, partitions, range, state, settings.timeoutMs))
    }

    await consumeLoop(consumer, {...options, storeOffsets: Boolean(group) && options.commit}, state)
    if (state.failure) throw state.failure
  } finally {
    interrupts.dispose()
  }

  if (group && options.commit) commitStored(consumer)
  return ExitCode.ok
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
