// The librdkafka properties behind produce's delivery flags, with contradictions refused before anything is sent.
import {usageError} from '../errors.js'
import type {ClientProperties} from '../kafka/client.js'
import type {ResolvedSettings} from '../settings/resolve.js'

export interface DeliveryFlags {
  /** undefined when --acks was not given: then a librdkafka property may set it, else all. */
  acks?: string
  idempotence?: boolean
  compression?: string
  'linger-ms'?: number
  'batch-size'?: number
}

type PropertySettings = Pick<ResolvedSettings, 'properties'> & {
  sources?: Pick<ResolvedSettings['sources'], 'properties'>
}

interface Acks {
  /** librdkafka's spelling: -1 for all. */
  value: string
  /** Where it came from, as the user wrote it: `--acks 1`, `-X acks=1`. */
  from: string
}

const acksProperties = ['acks', 'request.required.acks']

function normaliseAcks(text: string): string {
  const value = text.trim().toLowerCase()
  return value === 'all' ? '-1' : value
}

function propertyOrigin(settings: PropertySettings, key: string): string {
  const value = settings.properties[key]
  const source = settings.sources?.properties[key]
  return source === undefined || source.kind === 'flag' ? `-X ${key}=${value}` : `${key}=${value} (${source.name})`
}

/**
 * The acks in effect: --acks, or the acks / request.required.acks property (-X or the rc file), which the client
 * would otherwise apply over the flag. Two of them that disagree are a usage error rather than a silent winner.
 */
export function effectiveAcks(flag: string | undefined, settings: PropertySettings): Acks {
  const given: Acks[] = []
  if (flag !== undefined) given.push({value: normaliseAcks(flag), from: `--acks ${flag}`})
  for (const key of acksProperties) {
    if (settings.properties[key] !== undefined)
      given.push({value: normaliseAcks(settings.properties[key]), from: propertyOrigin(settings, key)})
  }
  const conflict = given.find((a) => a.value !== given[0].value)
  if (conflict) throw usageError(`${given[0].from} contradicts ${conflict.from}`, 'Set the acknowledgements once.')
  return given[0] ?? {value: '-1', from: 'the default acks=all'}
}

export function producerProperties(flags: DeliveryFlags, settings: PropertySettings): ClientProperties {
  const acks = effectiveAcks(flags.acks, settings)
  const userIdempotence = settings.properties['enable.idempotence']
  const idempotenceAsked = flags.idempotence === true || userIdempotence === 'true'
  if (idempotenceAsked && acks.value !== '-1') {
    throw usageError(
      `idempotence needs --acks all, but ${acks.from} asks for fewer acknowledgements`,
      'Use --acks all, or --no-idempotence.',
    )
  }
  // Idempotence is the default only where it is possible: with acks=all.
  const idempotence =
    flags.idempotence ?? (userIdempotence === undefined ? acks.value === '-1' : userIdempotence === 'true')
  return {
    acks: acks.value,
    'enable.idempotence': idempotence,
    // The Java client's partitioner, so kcli and Java producers put a key on the same partition.
    partitioner: 'murmur2_random',
    'linger.ms': flags['linger-ms'] ?? 5,
    ...(flags.compression ? {'compression.type': flags.compression} : {}),
    ...(flags['batch-size'] ? {'batch.size': flags['batch-size']} : {}),
    // Bounded so a lost cluster is reported in seconds, not librdkafka's default 5 minutes.
    'message.timeout.ms': 30_000,
    // Enough to keep the brokers busy; more only costs memory (measured: bench/README.md).
    'queue.buffering.max.messages': 100_000,
    'queue.buffering.max.kbytes': 32_768,
  }
}
