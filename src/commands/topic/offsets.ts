// `kcli topic offsets`: earliest and latest offsets of a topic's partitions, and the offset at a point in time.
import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../lib/command/kafka-command.js'
import {info} from '../../lib/terminal/output.js'
import {
  type TopicOffsetsResult,
  atTimeNote,
  parseTimeFlag,
  renderTopicOffsets,
  topicOffsets,
} from '../../lib/topics/offsets-report.js'
import {partitionFlag} from '../../lib/topics/partition-flag.js'

export default class TopicOffsets extends KafkaCommand {
  static override summary = "Show each partition's earliest and latest offsets, and the offset at a point in time."
  static override description = `One row per partition: EARLIEST (the log start offset, the oldest message kept), LATEST (the log end offset, where the next message goes) and, with --at, OFFSET-AT-TIME: the first message whose timestamp is at or after the time, with that TIMESTAMP. Where no message is that recent, the offset is the latest one (where a consumer starting at that time begins) and the timestamp "-". As kafka-get-offsets --time, in one request per kind.

--at takes what consume -o takes after its "@": @<ms since the epoch>, @<ISO 8601> (2026-11-30T10:00Z; a date or time without a zone is local time) or a time before now (@-1h, @-30m, @-2d); the "@" may be left out.

With --json: {topic, at (ms or null), partitions: [{partition, earliest, latest, atTime: {offset, timestamp (null when none)} | null}]}.

Exit codes: 0 shown; 1 the cluster refused a request; 2 an unknown topic or partition, or invalid usage; 3 cluster unreachable.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders',
    '<%= config.bin %> <%= command.id %> orders --at @2026-11-30T10:00Z',
    '<%= config.bin %> <%= command.id %> orders --at @-1h -p 0 --json',
  ]

  static override args = {topic: Args.string({required: true, description: 'Topic name'})}
  static override flags = {
    at: Flags.string({description: 'Also the offset at this time: @<ms>, @<ISO 8601>, @-1h'}),
    partition: partitionFlag,
  }

  static override enableJsonFlag = true

  async run(): Promise<TopicOffsetsResult> {
    const {args, flags} = await this.parse(TopicOffsets)
    const at = flags.at === undefined ? undefined : parseTimeFlag(flags.at, '--at')
    const result = await topicOffsets(await this.cluster(), {topic: args.topic, partitions: flags.partition, at})
    const note = atTimeNote(result)
    if (note) info(note)
    this.log(renderTopicOffsets(result))
    return result
  }
}
