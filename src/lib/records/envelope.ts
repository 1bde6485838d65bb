// The JSON line <-> Kafka message mapping shared by `consume` (which prints it) and `produce --input envelope` (which
// reads it).
//
// Keys and values keep their exact bytes:
//   - a JSON object or array is embedded as is (its original text, on one line);
//   - other valid UTF-8 (plain text, JSON scalars, JSON spread over lines) is a JSON string of that text;
//   - bytes that are not UTF-8 are base64, marked by "keyEncoding"/"valueEncoding": "base64";
//   - null is a missing key or a tombstone, distinct from "" (empty bytes).
// Header values are strings, or base64 with "encoding": "base64", or null.
import {isUtf8} from 'node:buffer'

import {memberSources} from './json-spans.js'
import {isJson} from './json-validate.js'

export interface KafkaHeader {
  key: string
  value: Buffer | null
}

/** A message as kcli writes it; fields follow the binding's Message. */
export interface ConsumedMessage {
  topic: string
  partition: number
  offset: number
  timestamp?: number
  key?: Buffer | string | null
  value: Buffer | null
  headers?: Array<Record<string, Buffer | string | null | undefined>>
  /** Set by the schema registry's decoder (src/lib/registry/decode.ts): printed instead of the bytes. */
  decodedKey?: DecodedMember
  decodedValue?: DecodedMember
}

/** A key or value decoded through a schema registry: its JSON text (one line) and its schema, as a JSON object. */
export interface DecodedMember {
  json: string
  /** `{"id":7,"format":"avro"}`, printed as "keySchema"/"valueSchema" so that produce re-encodes the same bytes. */
  schema: string
}

/** A message as read from an envelope line, ready for Producer.produce(). */
export interface EnvelopeRecord {
  key: Buffer | null
  value: Buffer | null
  headers: KafkaHeader[]
  partition?: number
  timestamp?: number
  /**
   * "keySchema"/"valueSchema" as given (checked by src/lib/registry/encode.ts, which must encode such a record): the
   * key or value is then its member's JSON text.
   */
  keySchema?: unknown
  valueSchema?: unknown
}

/** Invalid input: the reason, without the line number (the reader adds it). */
export class InputError extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'InputError'
  }
}

const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

/** True when the bytes can be embedded in a JSON line verbatim and read back identically. */
function isEmbeddableJson(bytes: Buffer): boolean {
  const first = bytes[0]
  const last = bytes[bytes.length - 1]
  const framed = (first === OPEN_BRACE && last === CLOSE_BRACE) || (first === OPEN_BRACKET && last === CLOSE_BRACKET)
  return framed && !bytes.includes(0x0a) && !bytes.includes(0x0d) && isUtf8(bytes) && isJson(bytes)
}

/** `"name":<json>` for some bytes, plus `"nameEncoding":"base64"` when they are not text. */
export function bytesMember(name: string, bytes: Buffer | string | null | undefined): string {
  if (bytes === null || bytes === undefined) return `"${name}":null`
  if (typeof bytes === 'string') return `"${name}":${JSON.stringify(bytes)}`
  if (bytes.length === 0) return `"${name}":""`
  if (isEmbeddableJson(bytes)) return `"${name}":${bytes.toString('utf8')}`
  if (isUtf8(bytes)) return `"${name}":${JSON.stringify(bytes.toString('utf8'))}`
  return `"${name}":"${bytes.toString('base64')}","${name}Encoding":"base64"`
}

function headerJson(key: string, value: Buffer | string | null | undefined): string {
  const name = JSON.stringify(key)
  if (value === null || value === undefined) return `{"key":${name},"value":null}`
  if (typeof value === 'string') return `{"key":${name},"value":${JSON.stringify(value)}}`
  if (isUtf8(value)) return `{"key":${name},"value":${JSON.stringify(value.toString('utf8'))}}`
  return `{"key":${name},"value":"${value.toString('base64')}","encoding":"base64"}`
}

/** The headers of a message as a JSON array, in order, duplicates kept. */
export function headersJson(headers: ConsumedMessage['headers']): string {
  if (!headers || headers.length === 0) return '[]'
  const parts: string[] = []
  for (const header of headers) for (const key of Object.keys(header)) parts.push(headerJson(key, header[key]))
  return `[${parts.join(',')}]`
}

/** `"name":<decoded json>,"nameSchema":{...}` when decoded through a registry, else the bytes (bytesMember). */
function member(name: string, bytes: Buffer | string | null | undefined, decoded: DecodedMember | undefined): string {
  return decoded === undefined
    ? bytesMember(name, bytes)
    : `"${name}":${decoded.json},"${name}Schema":${decoded.schema}`
}

/** One message as one JSON line (without the newline). */
export function toJsonLine(message: ConsumedMessage): string {
  const timestamp = message.timestamp === undefined || message.timestamp < 0 ? 'null' : String(message.timestamp)
  return (
    `{"topic":${JSON.stringify(message.topic)},"partition":${message.partition},"offset":${message.offset},"timestamp":${timestamp},` +
    `${member('key', message.key, message.decodedKey)},${member('value', message.value, message.decodedValue)},"headers":${headersJson(message.headers)}}`
  )
}

// A JSON string can hold half of a surrogate pair ("\ud800"), which has no UTF-8 form: Node would send U+FFFD.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** The UTF-8 bytes of a string from an envelope; a lone surrogate is invalid input, never silently replaced. */
function utf8(text: string, where: string): Buffer {
  if (loneSurrogate.test(text))
    throw new InputError(`"${where}" holds a lone UTF-16 surrogate (\\ud800-\\udfff), which has no UTF-8 form`)
  return Buffer.from(text, 'utf8')
}

function decodeBytes(name: string, parsed: Record<string, unknown>, source: Map<string, string>): Buffer | null {
  const value = parsed[name]
  const encoding = parsed[`${name}Encoding`]
  if (value === null) return null
  if (encoding !== undefined) {
    if (encoding !== 'base64')
      throw new InputError(`"${name}Encoding" must be "base64", found ${JSON.stringify(encoding)}`)
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
      throw new InputError(`"${name}" is not valid base64`)
    return Buffer.from(value, 'base64')
  }
  if (typeof value === 'string') return utf8(value, name)
  // Objects, arrays, numbers and booleans are sent as their original text.
  return Buffer.from(source.get(name) as string, 'utf8')
}

function checkedKey(key: string, index: number): string {
  utf8(key, `headers[${index}].key`)
  return key
}

function decodeHeaders(raw: unknown): KafkaHeader[] {
  if (raw === undefined || raw === null) return []
  if (Array.isArray(raw)) {
    return raw.map((entry, i) => {
      if (typeof entry !== 'object' || entry === null || typeof (entry as {key?: unknown}).key !== 'string') {
        throw new InputError(`"headers[${i}]" must be an object with a string "key"`)
      }
      const {key, value, encoding} = entry as {key: string; value?: unknown; encoding?: unknown}
      if (value === null || value === undefined)
        throw new InputError(`"headers[${i}].value" is null: the client library cannot send null header values`)
      if (typeof value !== 'string') throw new InputError(`"headers[${i}].value" must be a string or null`)
      if (encoding === undefined) return {key: checkedKey(key, i), value: utf8(value, `headers[${i}].value`)}
      if (encoding !== 'base64') throw new InputError(`"headers[${i}].encoding" must be "base64"`)
      return {key: checkedKey(key, i), value: Buffer.from(value, 'base64')}
    })
  }
  // A plain object {"name": "value"} is accepted for hand-written input.
  if (typeof raw === 'object') {
    return Object.entries(raw as Record<string, unknown>).map(([key, value]) => {
      if (typeof value !== 'string') throw new InputError(`"headers.${key}" must be a string`)
      return {key: checkedKey(key, 0), value: utf8(value, `headers.${key}`)}
    })
  }
  throw new InputError('"headers" must be an array of {"key","value"} objects')
}

/** Reads one envelope line (what `consume` prints). `text` must be valid UTF-8 already. */
export function parseEnvelope(text: string): EnvelopeRecord {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new InputError(`invalid JSON: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InputError('an envelope must be a JSON object')
  const fields = parsed as Record<string, unknown>
  if (!('value' in fields)) throw new InputError('the envelope has no "value" (use null for a tombstone)')
  const needsSource = (name: string) =>
    (fields[name] !== null && typeof fields[name] === 'object') ||
    typeof fields[name] === 'number' ||
    typeof fields[name] === 'boolean' ||
    fields[`${name}Schema`] !== undefined
  const source = needsSource('value') || needsSource('key') ? memberSources(text) : new Map<string, string>()

  const record: EnvelopeRecord = {
    key: 'key' in fields ? decodeBytes('key', fields, source) : null,
    value: decodeBytes('value', fields, source),
    headers: decodeHeaders(fields.headers),
  }
  // Written with a registry schema: the member's JSON text is what the registry encoder encodes.
  for (const name of ['key', 'value'] as const) {
    if (fields[`${name}Schema`] === undefined) continue
    record[name] = Buffer.from(source.get(name) ?? 'null', 'utf8')
    record[`${name}Schema`] = fields[`${name}Schema`]
  }
  if (fields.partition !== undefined && fields.partition !== null) {
    if (!Number.isInteger(fields.partition) || (fields.partition as number) < 0)
      throw new InputError('"partition" must be a non-negative integer')
    record.partition = fields.partition as number
  }
  if (fields.timestamp !== undefined && fields.timestamp !== null) {
    if (!Number.isInteger(fields.timestamp) || (fields.timestamp as number) < 0)
      throw new InputError('"timestamp" must be milliseconds since the epoch')
    record.timestamp = fields.timestamp as number
  }
  return record
}
