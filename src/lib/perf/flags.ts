// The flags the perf commands share, and the pieces of --help that describe their report and exit codes.
import {Flags} from '@oclif/core'

import {usageError} from '../errors.js'
import type {ResolvedSettings} from '../settings/resolve.js'

export const topicFlag = {
  topic: Flags.string({char: 't', description: 'Topic [default: KCLI_TOPIC or "topic" in the rc file]'}),
}

export const boundFlags = {
  count: Flags.integer({char: 'n', description: 'Number of messages (not with --duration)'}),
  duration: Flags.string({char: 'd', description: 'How long, e.g. 30s or 2m (not with --count)'}),
}

/** Flags of the commands that produce. Delivery flags have no `default:` so that -X can set them (see produce). */
export function sendFlags(defaults: {rate: string; lingerMs: number}) {
  return {
    rate: Flags.string({
      char: 'r',
      description: `Messages per second, or max (as fast as the client takes them) [default: ${defaults.rate}]`,
    }),
    size: Flags.integer({char: 's', description: 'Value size in bytes [default: 100]'}),
    acks: Flags.string({description: 'Acknowledgements to wait for [default: all]', options: ['all', '-1', '1', '0']}),
    idempotence: Flags.boolean({
      description: 'Idempotent producer [default: on with --acks all]',
      allowNo: true,
    }),
    compression: Flags.string({description: 'Compression codec', options: ['none', 'gzip', 'snappy', 'lz4', 'zstd']}),
    'linger-ms': Flags.integer({description: `How long to wait to fill a batch [default: ${defaults.lingerMs}]`}),
    'batch-size': Flags.integer({description: 'Maximum batch size in bytes'}),
    create: Flags.boolean({description: 'Create the topic if it does not exist (it is kept afterwards)'}),
    partitions: Flags.integer({char: 'p', description: 'Partitions of the topic --create makes [default: 1]'}),
  }
}

export function requireTopic(flag: string | undefined, settings: ResolvedSettings): string {
  const topic = flag ?? settings.topic
  if (!topic) throw usageError('no topic given', 'Use --topic, KCLI_TOPIC, or "topic" in the rc file.')
  return topic
}

/** --partitions only means something to --create. */
export function createSpec(flags: {create: boolean; partitions?: number}): {partitions: number} | undefined {
  if (flags.partitions !== undefined && !flags.create)
    throw usageError('--partitions needs --create', 'An existing topic is used with the partitions it has.')
  if (flags.partitions !== undefined && (!Number.isInteger(flags.partitions) || flags.partitions < 1))
    throw usageError(`--partitions ${flags.partitions}: expected at least 1`)
  return flags.create ? {partitions: flags.partitions ?? 1} : undefined
}

export const reportHelp = `--json prints one object: {command, topic, partitions, settings: {count, durationMs, rate, size, acks}, interrupted, elapsedMs, sent, delivered, failed, notConfirmed, consumed, bytes, msgPerSec, mbPerSec, latencyMs: {count, min, mean, p50, p95, p99, p999, max} | null, failures: [{reason, count}], unconfirmed: [{reason, count}]}; counts a command does not measure are null. failed messages are certainly not stored; notConfirmed ones may be (sent, and the answer lost or late). MB are 1,048,576 bytes, as in Kafka's perf tools. Without --json, stdout carries only the final table; a live line goes to stderr on a terminal.`

export const exitHelp =
  'Exit codes: 0 done; 1 some messages were not delivered (or, for e2e, not read back); 2 invalid usage or a topic that does not exist; 3 cluster unreachable; 130 interrupted (the report covers the run up to then).'
