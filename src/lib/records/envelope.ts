// Reads the JSON line that `consume` prints (records/envelope-writer.ts writes it) back into the message it stands
// for: `produce --input envelope`. Keys, values and header names and values come back as the exact bytes they were:
// embedded JSON as its original text, JSON strings as UTF-8, base64 where marked by "keyEncoding", "valueEncoding"
// or a header's "keyEncoding" / "encoding"; null is a missing key, a tombstone or a null header value.
import {memberSources} from './json-spans.js'

export interface KafkaHeader {
  key: Buffer
  /** null: a header without a value (only the native fast path can send one). */
  value: Buffer | null
}

/** A consumed message as the schema registry's decoder sees it (src/lib/registry/decode.ts). */
export interface ConsumedMessage {
  topic: string
  partition: number
  offset: number
  key?: Buffer | string | null
  value: Buffer | null
  /** Set by the decoder: printed instead of the bytes (records/envelope-writer.ts). */
  decodedKey?: DecodedMember
  decodedValue?: DecodedMember
}

/** A key or value decoded through a schema registry: its JSON text (one line) and its schema, as a JSON object. */
export interface DecodedMember {
  json: string
  /** `{"id":7,"format":"avro"}`, printed as "keySchema"/"valueSchema" so that produce re-encodes the same bytes. */
  schema: string
}

/** A message as read from an envelope line, ready to produce. */
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
    return base64(value, name)
  }
  if (typeof value === 'string') return utf8(value, name)
  // Objects, arrays, numbers and booleans are sent as their original text.
  return Buffer.from(source.get(name) as string, 'utf8')
}

function base64(value: unknown, where: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
    throw new InputError(`"${where}" is not valid base64`)
  return Buffer.from(value, 'base64')
}

/** A header's name or value: text, or base64 when its encoding field says so. */
function headerBytes(value: unknown, encoding: unknown, where: string, encodingName: string): Buffer {
  if (typeof value !== 'string') throw new InputError(`"${where}" must be a string`)
  if (encoding === undefined) return utf8(value, where)
  if (encoding !== 'base64') throw new InputError(`"${encodingName}" must be "base64"`)
  return base64(value, where)
}

function decodeHeaders(raw: unknown): KafkaHeader[] {
  if (raw === undefined || raw === null) return []
  if (Array.isArray(raw)) {
    return raw.map((entry, i) => {
      if (typeof entry !== 'object' || entry === null || typeof (entry as {key?: unknown}).key !== 'string') {
        throw new InputError(`"headers[${i}]" must be an object with a string "key"`)
      }
      const {key, keyEncoding, value, encoding} = entry as Record<string, unknown>
      return {
        key: headerBytes(key, keyEncoding, `headers[${i}].key`, `headers[${i}].keyEncoding`),
        value:
          value === null || value === undefined
            ? null
            : headerBytes(value, encoding, `headers[${i}].value`, `headers[${i}].encoding`),
      }
    })
  }
  // A plain object {"name": "value"} is accepted for hand-written input.
  if (typeof raw === 'object') {
    return Object.entries(raw as Record<string, unknown>).map(([key, value]) => ({
      key: utf8(key, `headers.${key}`),
      value: headerBytes(value, undefined, `headers.${key}`, ''),
    }))
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
