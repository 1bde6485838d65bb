// How large a message the topic takes, so a line too large for it is invalid input (with its line number) before it
// is sent, instead of a batch the broker refuses whole, small messages included. Kafka checks max.message.bytes against
// a record batch; a message alone in one is the least it can take.
import type {Producer} from '@confluentinc/kafka-javascript'

import {ClusterContext} from '../kafka/cluster.js'
import {describeTopicConfigs} from '../kafka/topic-configs.js'
import type {ResolvedSettings} from '../settings/resolve.js'

/** Kafka's built-in max.message.bytes (1 MiB and the 12 bytes of a log entry's offset and length). */
export const kafkaDefaultMaxMessageBytes = 1_048_588
/** librdkafka's message.max.bytes and batch.size defaults. */
const clientDefaultBytes = 1_000_000

export interface SizeLimit {
  /** The largest record batch the topic accepts. */
  topicBytes: number
  /** Where topicBytes comes from, for the reason a line is refused. */
  topicSource: string
  /** librdkafka's own limit on one message (message.max.bytes), which it checks with its largest framing. */
  clientBytes: number
  /** Compression may shrink a message below the topic's limit: then only the broker can tell. */
  compressed: boolean
  /** Why the topic's own limit is not known (topicBytes is then Kafka's default). */
  unknownBecause?: string
}

// Batch header of a v2 record batch, and the largest per-record framing librdkafka adds to a message before it compares
// it with message.max.bytes (rd_kafka_msg_max_wire_size).
const batchHeaderBytes = 61
const clientMaxRecordOverhead = 36

function varintBytes(value: number): number {
  // Kafka's varints are zigzag encoded.
  let n = value >= 0 ? value * 2 : -value * 2 - 1
  let bytes = 1
  while (n >= 128) {
    n = Math.floor(n / 128)
    bytes++
  }
  return bytes
}

/** The headers' bytes in a record: count, then per header its name and value with their lengths. */
export function headerBytes(headers: Array<{key: Buffer; value: Buffer | null}>): number {
  let bytes = varintBytes(headers.length)
  for (const h of headers) {
    bytes += varintBytes(h.key.length) + h.key.length
    bytes += h.value === null ? varintBytes(-1) : varintBytes(h.value.length) + h.value.length
  }
  return bytes
}

/** The size of a record batch holding only this message, uncompressed: what Kafka compares with max.message.bytes. */
export function singleRecordBatchBytes(keyLength: number, valueLength: number, headersBytes = 1): number {
  const field = (length: number) => (length < 0 ? varintBytes(-1) : varintBytes(length) + length)
  // attributes, timestamp delta 0, offset delta 0, key, value, headers
  const record = 1 + 1 + 1 + field(keyLength) + field(valueLength) + headersBytes
  return batchHeaderBytes + varintBytes(record) + record
}

/**
 * Why a message of these sizes cannot be sent, or undefined when it can. Lengths are -1 for null; `headersBytes` is
 * headerBytes() of its headers (1 for none).
 */
export function tooLarge(
  limit: SizeLimit,
  keyLength: number,
  valueLength: number,
  headersBytes = 1,
): string | undefined {
  const payload = Math.max(keyLength, 0) + Math.max(valueLength, 0) + headersBytes - 1
  const client = clientMaxRecordOverhead + payload
  if (client > limit.clientBytes)
    return `the message is ${client} bytes with its framing, more than the producer's message.max.bytes (${limit.clientBytes}; -X message.max.bytes)`
  if (limit.compressed) return undefined
  const batch = singleRecordBatchBytes(keyLength, valueLength, headersBytes)
  if (batch > limit.topicBytes)
    return `the message is ${batch} bytes as a record batch, more than ${limit.topicSource} (${limit.topicBytes})`
  return undefined
}

/** A number from a librdkafka property as the user gave it (string or number), or undefined. */
function numberProperty(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

/** The properties a producer is made with: kcli's delivery settings, then -X and the rc file's, which win. */
function effective(properties: Record<string, unknown>, settings: ResolvedSettings, key: string): unknown {
  return settings.properties[key] ?? properties[key]
}

/** librdkafka's limit on one message batch: batch.size, and message.max.bytes above it. */
export function clientBatchBytes(properties: Record<string, unknown>, settings: ResolvedSettings): number {
  const batch = numberProperty(effective(properties, settings, 'batch.size')) ?? clientDefaultBytes
  const message = numberProperty(effective(properties, settings, 'message.max.bytes')) ?? clientDefaultBytes
  return Math.min(batch, message)
}

function isCompressed(properties: Record<string, unknown>, settings: ResolvedSettings): boolean {
  const codec =
    effective(properties, settings, 'compression.type') ?? effective(properties, settings, 'compression.codec')
  return codec !== undefined && String(codec).toLowerCase() !== 'none'
}

/**
 * The topic's max.message.bytes, read with DescribeConfigs (the patched admin call, or kcli's own request over
 * PLAINTEXT). Where it cannot be read, Kafka's default stands in, or the producer's message.max.bytes where the user
 * raised that above it (a statement that the topic takes more); the reason a line is refused says which.
 */
export async function sizeLimit(
  producer: Producer,
  brokers: Array<{host: string; port: number}>,
  settings: ResolvedSettings,
  topic: string,
  properties: Record<string, unknown>,
): Promise<SizeLimit> {
  const clientBytes = numberProperty(effective(properties, settings, 'message.max.bytes')) ?? clientDefaultBytes
  const compressed = isCompressed(properties, settings)
  const configs = await describeTopicConfigs(ClusterContext.over(settings, {client: producer}), brokers, [topic])
  if (configs.available) {
    // Only settings that differ from Kafka's default are listed (set on the topic or inherited from the brokers).
    const value = configs.byTopic.get(topic)?.find((c) => c.name === 'max.message.bytes')?.value
    return {
      topicBytes: numberProperty(value) ?? kafkaDefaultMaxMessageBytes,
      topicSource: `the topic's max.message.bytes`,
      clientBytes,
      compressed,
    }
  }
  const raised = clientBytes > kafkaDefaultMaxMessageBytes
  return {
    topicBytes: raised ? clientBytes : kafkaDefaultMaxMessageBytes,
    topicSource: raised
      ? `the producer's message.max.bytes, as the topic's own could not be read (${configs.reason})`
      : `Kafka's default max.message.bytes (the topic's own could not be read: ${configs.reason})`,
    clientBytes,
    compressed,
    unknownBecause: configs.reason,
  }
}
