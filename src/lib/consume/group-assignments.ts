// A consumer group's partitions as kcli assigns them. Each partition starts at the group's committed offset, or where
// auto.offset.reset puts it, resolved here rather than inside the client; that start is stored for the next commit at
// once, so a partition from which nothing was written is committed at its start and the group's next run has no gap
// (as Kafka's console consumer commits its position for every assigned partition).
import type {KafkaConsumer} from '@confluentinc/kafka-javascript'

import {type ConsumeState, planGroupStops, registerGroupPartitions} from './loop.js'
import {RdCode, describeKafkaError} from '../errors.js'
import type {ClusterContext} from '../kafka/cluster.js'
import {type TopicPartition, listOffsets, tpKey} from '../kafka/offsets.js'
import type {StopSpec} from './offset-spec.js'
import {warn} from '../terminal/output.js'

// The client's types lack the calls of cooperative rebalancing.
type GroupConsumer = KafkaConsumer & {
  rebalanceProtocol(): string
  incrementalAssign(partitions: TopicPartition[]): void
  incrementalUnassign(partitions: TopicPartition[]): void
}

interface Context {
  consumer: GroupConsumer
  /** On the consumer and its admin client: what starts and stops are learned through. */
  cluster: ClusterContext
  state: ConsumeState
  stop: StopSpec | undefined
  readCommitted: boolean
  /** Store each start for commit (not with --no-commit). */
  storeStarts: boolean
}

type Placed = TopicPartition & {offset: number; committed: boolean}

/** librdkafka's names for the two ends auto.offset.reset can choose. */
function resetEnd(policy: string): 'earliest' | 'latest' | undefined {
  if (['earliest', 'smallest', 'beginning'].includes(policy)) return 'earliest'
  if (['latest', 'largest', 'end'].includes(policy)) return 'latest'
  return undefined
}

function committedOffsets(
  consumer: KafkaConsumer,
  partitions: TopicPartition[],
  timeoutMs: number,
): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    consumer.committed(partitions, timeoutMs, (err, rows) => {
      if (err) return reject(err)
      resolve(new Map(rows.map((r) => [tpKey(r.topic, r.partition), r.offset ?? -1001])))
    })
  })
}

export class GroupAssignments {
  private context?: Context
  /** Partitions handed out whose start is being resolved, with the event that handed them out. */
  private readonly pending = new Map<string, number>()
  private event = 0
  /** Called when assigning fails in a way that must end the run. */
  onFailure: (error: unknown) => void = () => {}

  constructor(
    private readonly resetPolicy: string,
    private readonly timeoutMs: number,
  ) {}

  attach(context: Omit<Context, 'consumer'> & {consumer: KafkaConsumer}): void {
    this.context = {...context, consumer: context.consumer as GroupConsumer}
  }

  /** The consumer's rebalance callback: kcli, not the client, assigns and unassigns. */
  onRebalance(err: {code: number}, partitions: TopicPartition[]): void {
    const context = this.context
    if (!context) return
    const {consumer, state} = context
    const cooperative = consumer.rebalanceProtocol() === 'COOPERATIVE'
    try {
      if (err.code === RdCode.assignPartitions) {
        if (partitions.length === 0) {
          // An empty assignment must be acknowledged too: until it is, the client never rejoins the group, so this
          // member would not get the partitions another member leaves behind.
          if (cooperative) consumer.incrementalAssign([])
          else consumer.assign([])
          return
        }
        const event = ++this.event
        for (const tp of partitions) this.pending.set(tpKey(tp.topic, tp.partition), event)
        const fresh = registerGroupPartitions(partitions, state)
        void this.assign(context, partitions, fresh, event, cooperative)
      } else if (err.code === RdCode.revokePartitions) {
        // Unassign first: closing the client waits for it.
        if (cooperative) consumer.incrementalUnassign(partitions)
        else consumer.unassign()
        // Eager rebalancing revokes everything (the list is the whole assignment), pending ones included.
        if (!cooperative) this.pending.clear()
        for (const tp of partitions) {
          this.pending.delete(tpKey(tp.topic, tp.partition))
          state.partitions.delete(tpKey(tp.topic, tp.partition))
        }
      }
    } catch (error) {
      // The client is closing: nothing is assigned any more.
      if (consumer.isConnected()) this.onFailure(error)
    }
  }

  private async assign(
    context: Context,
    partitions: TopicPartition[],
    fresh: TopicPartition[],
    event: number,
    cooperative: boolean,
  ): Promise<void> {
    const {consumer, state} = context
    let placed: Placed[] | undefined
    try {
      placed = await this.starts(context, partitions)
    } catch (error) {
      warn(
        `could not learn where ${partitions.length === 1 ? 'a partition starts' : 'partitions start'} (${describeKafkaError(error)}); ` +
          'one without a committed offset starts by auto.offset.reset and is committed once a message from it is written',
      )
    }
    const current = partitions.filter((tp) => this.pending.get(tpKey(tp.topic, tp.partition)) === event)
    for (const tp of current) this.pending.delete(tpKey(tp.topic, tp.partition))
    if (current.length === 0 || !consumer.isConnected()) return
    const offsets = new Map((placed ?? []).map((p) => [tpKey(p.topic, p.partition), p]))
    const assignment = current.map((tp) => {
      const start = offsets.get(tpKey(tp.topic, tp.partition))
      return start ? {topic: tp.topic, partition: tp.partition, offset: start.offset} : tp
    })
    try {
      if (cooperative) consumer.incrementalAssign(assignment)
      else consumer.assign(assignment)
      // Right after assigning, in the same turn: no message of these partitions can have been written yet.
      const starts = [...offsets.values()].filter(
        (p) => !p.committed && current.some((tp) => tp.topic === p.topic && tp.partition === p.partition),
      )
      if (context.storeStarts && starts.length > 0)
        consumer.offsetsStore(starts.map(({topic, partition, offset}) => ({topic, partition, offset})))
      await planGroupStops(context.cluster, fresh, context.stop, state, context.readCommitted)
      state.assigned = true
    } catch (error) {
      if (consumer.isConnected()) this.onFailure(error)
    }
  }

  /** Where each partition starts: its committed offset, else the end auto.offset.reset names, as an offset. */
  private async starts(context: Context, partitions: TopicPartition[]): Promise<Placed[]> {
    const committed = await committedOffsets(context.consumer, partitions, this.timeoutMs)
    const placed: Placed[] = []
    const missing: TopicPartition[] = []
    for (const tp of partitions) {
      const offset = committed.get(tpKey(tp.topic, tp.partition)) ?? -1001
      if (offset >= 0) placed.push({...tp, offset, committed: true})
      else missing.push(tp)
    }
    const end = resetEnd(this.resetPolicy)
    // auto.offset.reset=error (or anything else): the client decides, and reports what it cannot decide.
    if (end === undefined || missing.length === 0) return placed
    const offsets = await listOffsets(context.cluster, missing, end, {readCommitted: context.readCommitted})
    for (const tp of missing) {
      const offset = offsets.get(tpKey(tp.topic, tp.partition))
      if (offset !== undefined && offset >= 0) placed.push({...tp, offset, committed: false})
    }
    return placed
  }
}
