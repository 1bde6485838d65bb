import {Args, Flags} from '@oclif/core'
import fs from 'node:fs'

import {type OutputMode, formatterFor, outputModes} from '../lib/consume/format.js'
import {runConsume} from '../lib/consume/run.js'
import {requireDuration} from '../lib/time/duration.js'
import {usageError} from '../lib/errors.js'
import {KafkaCommand} from '../lib/command/kafka-command.js'
import {parseOffsetRange} from '../lib/consume/offset-spec.js'
import {RecordWriter} from '../lib/terminal/stdout-writer.js'
import {isTerminal, nonBlockingDescriptor} from '../lib/terminal/descriptors.js'
import {registryConnectionFlags} from '../lib/registry/flags.js'

export default class Consume extends KafkaCommand {
  static override summary = 'Print the messages of topics as JSON lines.'
  static override description = `On a pipe each message is one JSON line: {"topic","partition","offset","timestamp","key","value","headers"} — exactly what \`kcli produce --input envelope\` reads back. Values and keys keep their bytes: JSON objects and arrays are embedded as they are, other text is a JSON string, and bytes that are not UTF-8 are base64 with "valueEncoding"/"keyEncoding": "base64". A tombstone is "value": null. On a terminal a readable view is shown instead (--output json forces JSON).

Without --group, partitions are read directly: no group is joined and nothing is committed. With --group, offsets are committed only for messages that were written out (at-least-once); on exit the member leaves the group. --group without --topic resumes the topics the group has committed offsets for.

--offset: beginning | end | N | -N (N before the end) | +N (N after the beginning) | @<ms> | @<ISO 8601> | @-1h, optionally followed by :<stop> where stop is end, an offset N (exclusive), +N or @<time>. Default: end (only new messages), or the committed offsets of --group. With -e and no --offset, consuming starts at the beginning (as kcat does: starting at the end, -e would read nothing by construction); with --group, that is where partitions without committed offsets start.

With a schema registry (--registry-url, KCLI_REGISTRY_URL or registry.url), keys and values in its wire format (byte 0, a schema id, the payload) are decoded to JSON — Avro's JSON encoding, Protobuf's canonical JSON, JSON Schema's text — and marked "keySchema"/"valueSchema": {"id", "format": "avro"|"protobuf"|"json", and for Protobuf "message" and "indexes"}, so that \`kcli produce --input envelope\` writes the identical bytes again. A key or value that cannot be decoded exactly (unknown schema id, registry gone, bytes that do not fit) is printed as its raw bytes with a warning on stderr.

Exit codes: 0 done (also when the reader of a pipe goes away, or on a first Ctrl-C/SIGTERM, after committing what was written); 1 runtime failure (e.g. a commit failed); 2 usage, unknown topic; 3 cluster or schema registry unreachable (or credentials refused); 130 a second Ctrl-C (exit at once, nothing more committed).`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders -e',
    '<%= config.bin %> <%= command.id %> -t orders --from-beginning -e',
    '<%= config.bin %> <%= command.id %> -t orders -o -10 -e --output value',
    '<%= config.bin %> <%= command.id %> -t orders -g billing -n 100',
    '<%= config.bin %> <%= command.id %> -t orders --offset @-1h:end',
    "<%= config.bin %> <%= command.id %> -t '^orders-.*' --from-beginning -e",
    `<%= config.bin %> <%= command.id %> -t orders -e -f '%k\\t%v\\n'`,
    '<%= config.bin %> <%= command.id %> -t users -e --registry-url http://127.0.0.1:9592/apis/ccompat/v7',
  ]

  // Topics as arguments too, as rpk and kafkactl take them: `kcli consume orders`.
  static override strict = false
  static override args = {
    topics: Args.string({description: 'Topics to read, as with -t (several allowed)'}),
  }

  static override flags = {
    topic: Flags.string({
      char: 't',
      description:
        'Topic to read (repeatable); a name starting with ^ is a regular expression [default: KCLI_TOPIC or "topic" in the rc file]',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'wait-for-topic': Flags.boolean({description: 'Wait for a topic that does not exist yet instead of failing'}),
    group: Flags.string({
      char: 'g',
      description: 'Consumer group: join it, start at its committed offsets and commit what was written',
    }),
    offset: Flags.string({
      char: 'o',
      description: 'Where to start (and stop), see DESCRIPTION [default: end; with -e: beginning]',
    }),
    'from-beginning': Flags.boolean({description: 'Same as --offset beginning', exclusive: ['offset']}),
    partition: Flags.integer({
      char: 'p',
      description: 'Read only these partitions (repeatable; not with --group)',
      multiple: true,
      multipleNonGreedy: true,
      min: 0,
    }),
    count: Flags.integer({char: 'n', description: 'Stop after this many messages', min: 1}),
    'exit-at-end': Flags.boolean({
      char: 'e',
      description:
        'Stop when every partition reached the end it had when consuming started; without --offset, start at the beginning',
    }),
    'idle-timeout': Flags.string({description: 'Stop after this long without a message, e.g. 5s'}),
    output: Flags.string({
      description:
        'Output: json lines, bare values, or a view for people [default: pretty on a terminal, json otherwise]',
      options: outputModes,
      default: 'auto',
    }),
    format: Flags.string({
      char: 'f',
      description:
        'Format each message (no newline is added): %t topic %p partition %o offset %k key %v value %h headers %T timestamp %% percent; \\n \\t \\xHH and the other escapes of produce -K',
    }),
    'output-file': Flags.string({description: 'Write messages to this file instead of stdout (appends)'}),
    commit: Flags.boolean({
      description: 'With --group, commit offsets of written messages [default: on]',
      allowNo: true,
      default: true,
    }),
    ...registryConnectionFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Consume)
    const settings = await this.settings(flags)
    const given = [...(flags.topic ?? []), ...(argv as string[])]
    const topics = given.length > 0 ? given : settings.topic ? [settings.topic] : []
    if (topics.length === 0 && !flags.group)
      throw usageError(
        'no topic given',
        'Use --topic, KCLI_TOPIC or "topic" in the rc file, or --group to resume a group.',
      )

    // -e alone reads what is there: from the end, exit-at-end would read nothing by construction (kcat does the same).
    const start = flags['from-beginning'] ? 'beginning' : (flags.offset ?? (flags['exit-at-end'] ? 'beginning' : 'end'))
    const range = parseOffsetRange(start)
    if (flags['exit-at-end'] && range.stop === undefined) range.stop = {kind: 'end'}
    const idleTimeoutMs =
      flags['idle-timeout'] === undefined ? undefined : requireDuration(flags['idle-timeout'], '--idle-timeout')

    const toTerminal = !flags['output-file'] && isTerminal(1)
    let fd: number
    if (flags['output-file']) {
      try {
        fd = fs.openSync(flags['output-file'], 'a')
      } catch {
        throw usageError(`--output-file ${flags['output-file']}: cannot be opened for writing`)
      }
    } else {
      fd = nonBlockingDescriptor(1)
    }

    process.exitCode = await runConsume(await this.cluster(), {
      topics,
      waitForTopics: flags['wait-for-topic'],
      partitions: flags.partition,
      group: flags.group,
      commit: flags.commit,
      range,
      count: flags.count,
      idleTimeoutMs,
      formatter: formatterFor(flags.output as OutputMode, flags.format, toTerminal),
      writer: new RecordWriter(fd),
      batchSize: 1000,
      // With a schema registry, keys and values in its wire format are decoded (loaded only then).
      decode:
        settings.security.registryUrl === undefined
          ? undefined
          : await (await import('../lib/registry/decode.js')).registryDecoder(settings),
    })
  }
}
