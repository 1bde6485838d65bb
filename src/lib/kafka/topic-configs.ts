// Reads topics' configs: with the DescribeConfigs call of kcli's patch where the client library has it (any protocol),
// else with Kafka's DescribeConfigs request itself (the stock library binds none), over PLAINTEXT connections only.
import type {Socket} from 'node:net'

import {configSourceName, topicConfigSettings} from '../admin/configs.js'
import {adminCallsMissing} from '../admin/available.js'
import {lazyBuiltin} from '../builtins.js'
import {describeKafkaError, errorReport} from '../errors.js'
import type {ResolvedSettings} from '../settings/resolve.js'
import {baseProperties} from './client.js'
import type {ClusterContext} from './cluster.js'

const apiKey = 32 // DescribeConfigs
// Version 1: the oldest Kafka 4 still answers (v0 was removed), and the newest without the flexible (tagged) encoding.
const apiVersion = 1
const topicResource = 2

// Kafka's ConfigSource DEFAULT_CONFIG: Kafka's built-in value.
const defaultSource = 5

export interface ConfigEntry {
  name: string
  /** Null when the broker hides it (a sensitive config). */
  value: string | null
  source: number
  sensitive: boolean
}

export interface ResourceConfigs {
  name: string
  errorCode: number
  errorMessage: string | null
  entries: ConfigEntry[]
}

/** A config whose value is not Kafka's built-in default, and where the value comes from. */
export interface ConfigSetting {
  name: string
  /** Null when the broker hides it (a sensitive config). */
  value: string | null
  /** Kafka's ConfigSource: DYNAMIC_TOPIC_CONFIG when set on the topic itself, else a broker or cluster-wide setting. */
  source: string
}

/** The non-default configs of each topic, or why they cannot be read. */
export type TopicConfigs = {available: true; byTopic: Map<string, ConfigSetting[]>} | {available: false; reason: string}

/** Why configs cannot be read with these settings, or undefined when they can. */
export function unsupportedReason(
  settings: ResolvedSettings,
  missing = 'the client library has no DescribeConfigs',
): string | undefined {
  // What the library's clients are really given, security flags and -X properties included.
  const properties: Record<string, unknown> = {...baseProperties(settings), ...settings.properties}
  const given = properties['security.protocol']
  const secured = Object.keys(properties).some((key) => key.startsWith('sasl.') || key.startsWith('ssl.'))
  const protocol = typeof given === 'string' ? given.toUpperCase() : secured ? 'SSL or SASL' : 'PLAINTEXT'
  if (protocol !== 'PLAINTEXT')
    return `topic configs cannot be read over ${protocol}: ${missing}, and kcli's own request speaks PLAINTEXT only`
  return undefined
}

function int16(value: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeInt16BE(value)
  return b
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeInt32BE(value)
  return b
}

function kafkaString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  return Buffer.concat([int16(bytes.length), bytes])
}

/** One size-prefixed DescribeConfigs v1 request for every config of the given topics. */
export function encodeRequest(correlationId: number, clientId: string, topics: string[]): Buffer {
  const body = Buffer.concat([
    int16(apiKey),
    int16(apiVersion),
    int32(correlationId),
    kafkaString(clientId),
    int32(topics.length),
    ...topics.flatMap((t) => [Buffer.from([topicResource]), kafkaString(t), int32(-1)]),
    Buffer.from([0]), // include_synonyms
  ])
  return Buffer.concat([int32(body.length), body])
}

class Reader {
  private offset = 0
  constructor(private readonly buf: Buffer) {}
  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new Error('truncated DescribeConfigs response')
  }
  int8(): number {
    this.need(1)
    return this.buf.readInt8(this.offset++)
  }
  int16(): number {
    this.need(2)
    const v = this.buf.readInt16BE(this.offset)
    this.offset += 2
    return v
  }
  int32(): number {
    this.need(4)
    const v = this.buf.readInt32BE(this.offset)
    this.offset += 4
    return v
  }
  string(): string | null {
    const length = this.int16()
    if (length < 0) return null
    this.need(length)
    const v = this.buf.toString('utf8', this.offset, this.offset + length)
    this.offset += length
    return v
  }
  array<T>(item: () => T): T[] {
    const n = this.int32()
    if (n < 0) return []
    return Array.from({length: n}, item)
  }
}

/**
 * Decodes a DescribeConfigs v1 response (without its size prefix); throws on a different correlation id or bytes that
 * do not fit.
 */
export function decodeResponse(frame: Buffer, correlationId: number): ResourceConfigs[] {
  const r = new Reader(frame)
  if (r.int32() !== correlationId) throw new Error('DescribeConfigs response for another request')
  r.int32() // throttle_time_ms
  return r.array(() => {
    const errorCode = r.int16()
    const errorMessage = r.string()
    r.int8() // resource_type
    const name = r.string() ?? ''
    const entries = r.array(() => {
      const entry = {
        name: r.string() ?? '',
        value: r.string(),
        readOnly: r.int8(),
        source: r.int8(),
        sensitive: r.int8() !== 0,
      }
      r.array(() => [r.string(), r.string(), r.int8()]) // synonyms (none were asked for)
      return {name: entry.name, value: entry.value, source: entry.source, sensitive: entry.sensitive}
    })
    return {name, errorCode, errorMessage: errorMessage ? errorMessage : null, entries}
  })
}

/**
 * What `kafka-topics --describe` lists as a topic's configs: every value that is not Kafka's built-in default (all of
 * them with `all`).
 */
export function nonDefaultConfigs(resource: ResourceConfigs, all = false): ConfigSetting[] {
  return resource.entries
    .filter((e) => all || e.source !== defaultSource)
    .map((e) => ({
      name: e.name,
      value: e.sensitive ? null : e.value,
      source: configSourceName(e.source),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function exchange(host: string, port: number, request: Buffer, deadline: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Only where the client library lacks kcli's patch: node:net is not loaded by every produce.
    const socket: Socket = lazyBuiltin.net().createConnection({host, port})
    let received = Buffer.alloc(0)
    const finish = (err: Error | null, frame?: Buffer) => {
      clearTimeout(timer)
      socket.destroy()
      if (err) reject(err)
      else resolve(frame as Buffer)
    }
    const timer = setTimeout(
      () => finish(new Error(`no answer from ${host}:${port} in time`)),
      Math.max(deadline - Date.now(), 1),
    )
    socket.once('connect', () => socket.write(request))
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0))
        finish(null, received.subarray(4, 4 + received.readInt32BE(0)))
    })
    socket.once('error', (err) => finish(err))
    socket.once('close', () => finish(new Error(`${host}:${port} closed the connection`)))
  })
}

/**
 * Configs set on each topic (every config with `all`), asked of the first broker that answers. Never throws: configs
 * are one part of a description, and the rest is worth showing when they cannot be read.
 */
export async function describeTopicConfigs(
  cluster: ClusterContext,
  brokers: Array<{host: string; port: number}>,
  topics: string[],
  options: {all?: boolean} = {},
): Promise<TopicConfigs> {
  const {settings} = cluster
  const missing = await adminCallsMissing()
  if (missing === undefined) {
    try {
      return {available: true, byTopic: await topicConfigSettings(cluster, topics, {all: options.all ?? false})}
    } catch (error) {
      return {available: false, reason: errorReport(error).message}
    }
  }
  const unsupported = unsupportedReason(settings, `the client library has no DescribeConfigs (${missing})`)
  if (unsupported) return {available: false, reason: unsupported}
  if (topics.length === 0) return {available: true, byTopic: new Map()}
  const deadline = Date.now() + settings.timeoutMs
  const correlationId = 1
  const request = encodeRequest(correlationId, settings.clientId, topics)
  let lastError: unknown
  for (const [n, broker] of brokers.entries()) {
    const now = Date.now()
    if (now >= deadline) break
    // A broker that accepts and never answers must not take the whole timeout from the ones after it; nor may a
    // large cluster cut each broker's share below a round trip: a share as if at most three were left.
    const until = now + Math.ceil((deadline - now) / Math.min(brokers.length - n, 3))
    try {
      const resources = decodeResponse(await exchange(broker.host, broker.port, request, until), correlationId)
      const byTopic = new Map<string, ConfigSetting[]>()
      for (const resource of resources) {
        // UNKNOWN_TOPIC_OR_PARTITION: deleted since it was described; the caller shows it without configs.
        if (resource.errorCode === 3) continue
        if (resource.errorCode === 29)
          return {available: false, reason: `not allowed to describe the configs of topic "${resource.name}"`}
        if (resource.errorCode !== 0)
          return {
            available: false,
            reason: `the broker could not describe the configs of topic "${resource.name}" (error ${resource.errorCode}${resource.errorMessage ? `: ${resource.errorMessage}` : ''})`,
          }
        byTopic.set(resource.name, nonDefaultConfigs(resource, options.all))
      }
      return {available: true, byTopic}
    } catch (error) {
      lastError = error
    }
  }
  return {
    available: false,
    reason: `cannot read topic configs: ${lastError === undefined ? 'no broker to ask' : describeKafkaError(lastError)}`,
  }
}
