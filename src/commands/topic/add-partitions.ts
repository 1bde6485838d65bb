// `kcli topic add-partitions`: grow a topic to a total number of partitions.
import {Args} from '@oclif/core'

import {usageError} from '../../lib/errors.js'
import {addPartitions, describeTopics, unknownTopicError} from '../../lib/kafka/topics.js'
import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info, warn} from '../../lib/terminal/output.js'

export default class TopicAddPartitions extends KafkaCommand {
  static override summary = 'Grow a topic to a total number of partitions.'
  static override description = `<total> is the partition count the topic will have, as with kafka-topics --alter --partitions. Kafka cannot remove partitions, so it must be more than the topic has. Messages with a key will be sent to different partitions from now on: readers that rely on per-key order see a break.

Exit codes: 0 grown; 2 the topic does not exist, or <total> is not more than its current count; 3 cluster unreachable.`

  static override examples = ['<%= config.bin %> <%= command.id %> orders 12']

  static override args = {
    topic: Args.string({required: true, description: 'Name of the topic'}),
    // Parsed here: oclif's integer parser fails with exit 1 and no mention of the argument.
    total: Args.string({required: true, description: 'Partition count the topic will have'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TopicAddPartitions)
    const total = /^\d+$/.test(args.total) ? Number(args.total) : Number.NaN
    if (!Number.isSafeInteger(total) || total < 1)
      throw usageError(`<total> must be a whole number of partitions, not "${args.total}"`)
    const settings = await this.settings(flags)
    const {admin} = await this.adminClients(settings)
    const {topics} = await describeTopics(admin, settings, [args.topic])
    if (topics.length === 0) throw unknownTopicError(args.topic)
    const current = topics[0].partitions.length
    if (total <= current) {
      throw usageError(
        `topic "${args.topic}" has ${current} partitions already; the new total must be more than that`,
        'Kafka can add partitions to a topic, never remove them.',
      )
    }
    await addPartitions(admin, settings, args.topic, total)
    info(`topic ${args.topic} now has ${total} partitions (was ${current})`)
    warn('messages with a key may now go to a different partition than before')
  }
}
