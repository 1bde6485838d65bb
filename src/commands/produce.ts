import {Args, Flags} from '@oclif/core'

import {ExitCode, usageError} from '../lib/errors.js'
import {loadSchemaCheck} from '../lib/produce/schema-check.js'
import {KafkaCommand} from '../lib/command/kafka-command.js'
import {effectiveAcks, producerProperties} from '../lib/produce/producer-settings.js'
import {type InputMode, inputModes, parseHeaderFlag} from '../lib/produce/input.js'
import {unescape} from '../lib/records/escapes.js'
import {runProduce, topicNotFileHint} from '../lib/produce/run.js'
import {InputError} from '../lib/records/envelope.js'
import {setQuiet} from '../lib/terminal/output.js'
import {registryConnectionFlags} from '../lib/registry/flags.js'

export default class Produce extends KafkaCommand {
  static override summary = 'Produce newline-delimited JSON from stdin or files to a topic.'
  static override description = `Each line is one message. By default a line is the message value and must be valid JSON; it is sent byte for byte.
With --input envelope a line is what \`kcli consume\` prints ({"key","value","headers","partition","timestamp"}), so a topic can be copied with keys, headers, partitions and timestamps.
With --input raw a line is sent as it is, without any check.

Every message is delivered or reported: a summary goes to stderr, and the exit code is 0 only when every line was delivered or deliberately skipped.
With a schema registry (--registry-url, KCLI_REGISTRY_URL or registry.url), --value-schema <file.avsc|.proto|.json> encodes each value in the registry's wire format: the file is registered, or found, under <topic>-value (--value-subject to choose), and --value-message picks a Protobuf message; --value-subject alone uses its latest version, --value-schema-id an existing schema; the --key-... flags do the same for keys. An envelope line with "valueSchema"/"keySchema" (as consume prints them) is encoded with that schema id, to the same bytes. A value that does not fit the schema is invalid input, with the JSON path of the problem.

Exit codes: 0 all delivered; 1 some messages not delivered, or the registry refused a schema as incompatible; 2 invalid input or usage (the first bad line is named); 3 cluster or schema registry unreachable (or credentials refused); 130 interrupted.`

  static override examples = [
    `echo '{"id":1}' | <%= config.bin %> <%= command.id %> -t orders`,
    '<%= config.bin %> <%= command.id %> -t orders --key-field id orders.jsonl',
    '<%= config.bin %> consume -t orders -e | <%= config.bin %> <%= command.id %> -t orders-copy --input envelope',
    `printf 'user-1:{"n":1}\\n' | <%= config.bin %> <%= command.id %> -t events -K : -H source=import`,
    '<%= config.bin %> <%= command.id %> -t orders --schema order.schema.json --dry-run < orders.jsonl',
    '<%= config.bin %> <%= command.id %> -t users --value-schema user.avsc --registry-url http://127.0.0.1:9592/apis/ccompat/v7 < users.jsonl',
    '<%= config.bin %> <%= command.id %> -t orders --value-schema order.proto --value-message shop.Order --key-field id --key-schema id.avsc',
  ]

  static override strict = false
  static override args = {
    files: Args.string({
      description: 'Files to read (several allowed); - is stdin [default: stdin]',
      ignoreStdin: true,
    }),
  }

  static override flags = {
    topic: Flags.string({
      char: 't',
      description: 'Topic to produce to [default: KCLI_TOPIC or "topic" in the rc file]',
    }),
    input: Flags.string({char: 'i', description: 'How to read each line', options: inputModes, default: 'json'}),
    key: Flags.string({char: 'k', description: 'Key for every message'}),
    'key-field': Flags.string({
      description: 'Take the key from this field of the JSON value (dotted path, e.g. user.id)',
    }),
    'key-delimiter': Flags.string({
      char: 'K',
      description: 'Split each line into key<delimiter>value (as kcat -K); \\t, \\n, \\xHH escapes are understood',
    }),
    header: Flags.string({
      char: 'H',
      description: 'Header for every message, name=value or name:value (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    partition: Flags.integer({
      char: 'p',
      description:
        "Send every message to this partition, also over an envelope's own [default: by key, as the Java client does]",
      min: 0,
    }),
    'empty-as-null': Flags.boolean({
      char: 'Z',
      description: 'Send empty lines as tombstones (null value) instead of skipping them',
    }),
    // No default here: -X acks=... may set it, and a contradiction between the two is refused (producer-settings.ts).
    acks: Flags.string({description: 'Acknowledgements to wait for [default: all]', options: ['all', '-1', '1', '0']}),
    idempotence: Flags.boolean({
      description: 'Idempotent producer (no duplicates on retry) [default: on with --acks all]',
      allowNo: true,
    }),
    compression: Flags.string({description: 'Compression codec', options: ['none', 'gzip', 'snappy', 'lz4', 'zstd']}),
    'linger-ms': Flags.integer({description: 'How long to wait to fill a batch [default: 5]', min: 0}),
    'batch-size': Flags.integer({description: 'Maximum batch size in bytes', min: 1}),
    'on-invalid': Flags.string({
      description: 'What to do with a line that is not valid input',
      options: ['fail', 'skip'],
      default: 'fail',
    }),
    'dead-letter': Flags.string({
      description:
        'Write each invalid line, with its line number and reason, as a JSON line to this file, and continue',
    }),
    'transactional-id': Flags.string({
      description: 'Send the whole input as one transaction, committed at the end and aborted on any error',
    }),
    'print-offsets': Flags.boolean({
      description:
        'Print {"line","topic","partition","offset"} on stdout for each delivered message (with --transactional-id: once committed)',
    }),
    schema: Flags.string({
      description: 'Check every value against this JSON Schema file; a value that does not match is invalid input',
    }),
    'dry-run': Flags.boolean({description: 'Validate the input (and --schema) without connecting or sending'}),
    quiet: Flags.boolean({char: 'q', description: 'No progress and no summary on stderr (errors are still shown)'}),
    ...schemaFlags('value'),
    ...schemaFlags('key'),
    ...registryConnectionFlags,
  }

  async run(): Promise<void> {
    const {flags, argv} = await this.parse(Produce)
    setQuiet(flags.quiet)
    const settings = await this.settings(flags)
    const topic = flags.topic ?? settings.topic
    if (!topic) {
      // `kcli produce orders`, as rpk and kafkactl take a topic: orders is a file here, but say what was meant.
      const hint = argv.length > 0 ? await topicNotFileHint(settings, String(argv[0])) : undefined
      throw usageError(
        hint ? `no topic given, and there is no file ${String(argv[0])}` : 'no topic given',
        hint ?? 'Use --topic, KCLI_TOPIC, or "topic" in the rc file.',
      )
    }
    if (flags['key-field'] && flags.input !== 'json') throw usageError('--key-field needs --input json')
    if (flags['key-delimiter'] !== undefined && flags.input === 'envelope')
      throw usageError('--key-delimiter cannot be used with --input envelope')
    // -K '\t' is a tab, as kcat users type it.
    const keyDelimiter = flags['key-delimiter'] === undefined ? undefined : unescape(flags['key-delimiter'])
    if (keyDelimiter === '') throw usageError('--key-delimiter must not be empty')
    if (flags['dead-letter'] && flags['transactional-id']) {
      // One failed message aborts the transaction and every line in it, but only the failed ones would be in the file.
      throw usageError(
        '--dead-letter cannot be combined with --transactional-id: a transaction is all or nothing',
        'Fix invalid lines before the load (--dry-run lists them), then send the whole input in one transaction.',
      )
    }
    if (flags['dead-letter'] && flags['on-invalid'] === 'fail' && this.argv.includes('--on-invalid')) {
      throw usageError('--dead-letter continues past invalid lines; it cannot be combined with --on-invalid fail')
    }
    if (flags.schema && flags.input === 'raw')
      throw usageError('--schema needs JSON values: use --input json or envelope')
    const delivery = producerProperties(flags, settings)
    if (flags['print-offsets'] && String(delivery.acks) === '0') {
      throw usageError(
        '--print-offsets needs acknowledgements: with acks=0 the broker returns no offsets',
        'Use --acks 1 or all.',
      )
    }
    if (flags['transactional-id']) {
      const acks = effectiveAcks(flags.acks, settings)
      if (acks.value !== '-1')
        throw usageError(`--transactional-id needs --acks all, but ${acks.from} asks for fewer acknowledgements`)
    }

    let headers
    try {
      headers = (flags.header ?? []).map((h) => parseHeaderFlag(h))
    } catch (error) {
      throw usageError(`--header: ${(error as InputError).message}`)
    }

    const exit = await runProduce(await this.cluster(), {
      topic,
      sources: argv.length > 0 ? (argv as string[]) : ['-'],
      partition: flags.partition,
      input: {
        mode: flags.input as InputMode,
        key: flags.key,
        keyField: flags['key-field']?.split('.'),
        keyDelimiter,
        headers,
        emptyAsNull: flags['empty-as-null'],
        checkValue: flags.schema ? await loadSchemaCheck(flags.schema) : undefined,
      },
      // The schema registry's encoder, loaded only when a schema flag is given or envelopes may name schemas.
      encode:
        flags.input === 'envelope' || schemaFlagsGiven(flags)
          ? await (
              await import('../lib/registry/encode.js')
            ).recordEncoder(settings, {
              topic,
              mode: flags.input as InputMode,
              keyField: flags['key-field']?.split('.'),
              dryRun: flags['dry-run'],
              value: sideFlags(flags, 'value'),
              key: sideFlags(flags, 'key'),
            })
          : undefined,
      onInvalid: flags['dead-letter'] ? 'dead-letter' : (flags['on-invalid'] as 'fail' | 'skip'),
      deadLetterFile: flags['dead-letter'],
      producerProperties: delivery,
      transactionalId: flags['transactional-id'],
      printOffsets: flags['print-offsets'],
      dryRun: flags['dry-run'],
      quiet: flags.quiet,
    })
    process.exitCode = exit
    // An interrupted run may leave a read of stdin pending, which would keep Node alive.
    if (exit === ExitCode.interrupted) this.exitWhenClosed()
  }
}

type SideFlags = {[name: string]: unknown}

/** --value-schema, --value-subject, --value-schema-id, --value-message (and the --key-... ones). */
function schemaFlags(side: 'key' | 'value') {
  const group = 'SCHEMA REGISTRY'
  return {
    [`${side}-schema`]: Flags.string({
      helpGroup: group,
      description: `Encode each ${side} with this schema file (.avsc, .proto, .json), registered or found under <topic>-${side}`,
    }),
    [`${side}-subject`]: Flags.string({
      helpGroup: group,
      description: `Subject for --${side}-schema, or whose latest version encodes the ${side}s [default: <topic>-${side}]`,
    }),
    [`${side}-schema-id`]: Flags.integer({
      helpGroup: group,
      description: `Encode each ${side} with the registered schema of this id`,
      min: 0,
    }),
    [`${side}-message`]: Flags.string({
      helpGroup: group,
      description: `Protobuf: the message type of the ${side}s, e.g. shop.Order [default: the first in the file]`,
    }),
  }
}

function sideFlags(flags: SideFlags, side: 'key' | 'value') {
  return {
    file: flags[`${side}-schema`] as string | undefined,
    subject: flags[`${side}-subject`] as string | undefined,
    id: flags[`${side}-schema-id`] as number | undefined,
    message: flags[`${side}-message`] as string | undefined,
  }
}

function schemaFlagsGiven(flags: SideFlags): boolean {
  return ['key', 'value'].some((side) =>
    ['schema', 'subject', 'schema-id', 'message'].some((what) => flags[`${side}-${what}`] !== undefined),
  )
}
