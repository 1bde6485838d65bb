// The librdkafka properties behind produce's delivery flags, with contradictions refused before anything is sent.
import {usageError} from './errors.js'
import type {ClientProperties} from './kafka/client.js'
import type {ResolvedSettings} from './settings.js'

export interface DeliveryFlags {
  acks: string
  idempotence?: boolean
  compression?: string
  'linger-ms'?: number
  'batch-size'?: number
}

export function producerProperties(flags: DeliveryFlags, settings: Pick<ResolvedSettings, 'properties'>): ClientProperties {
  const acks = flags.acks === 'all' ? '-1' : flags.acks
  const userIdempotence = settings.properties['enable.idempotence']
  const idempotenceAsked = flags.idempotence === true || userIdempotence === 'true'
  if (idempotenceAsked && acks !== '-1') {
    throw usageError(`idempotence needs --acks all, but --acks is ${flags.acks}`, 'Use --acks all, or --no-idempotence.')
  }
  // Idempotence is the default only where it is possible: with acks=all.
  const idempotence = flags.idempotence ?? (userIdempotence === undefined ? acks === '-1' : userIdempotence === 'true')
  return {
    acks,
    'enable.idempotence': idempotence,
    // The Java client's partitioner, so kcli and Java producers put a key on the same partition.
    partitioner: 'murmur2_random',
    'linger.ms': flags['linger-ms'] ?? 5,
    ...(flags.compression ? {'compression.type': flags.compression} : {}),
    ...(flags['batch-size'] ? {'batch.size': flags['batch-size']} : {}),
    // Bounded so a lost cluster is reported in seconds, not librdkafka's default 5 minutes.
    'message.timeout.ms': 30_000,
    'queue.buffering.max.messages': 200_000,
    'queue.buffering.max.kbytes': 32_768,
  }
}
