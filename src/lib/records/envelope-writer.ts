// Writes the JSON line of a consumed record (the envelope; records/envelope.ts reads it back) straight from the
// record's bytes into an output batch: no object and no string per message on the hot path.
//
// Keys and values keep their exact bytes:
//   - a JSON object or array on one line is embedded as is (its original text);
//   - other valid UTF-8 (plain text, JSON scalars, JSON spread over lines) is a JSON string of that text;
//   - bytes that are not UTF-8 are base64, marked by "keyEncoding"/"valueEncoding": "base64";
//   - null is a missing key or a tombstone, distinct from "" (empty bytes).
// Header names and values are strings, or base64 marked by "keyEncoding" / "encoding"; a null value is null.
import type {DecodedMember} from './envelope.js'
import {
  JSON_KEY,
  JSON_KEY_CHECKED,
  JSON_VALUE,
  JSON_VALUE_CHECKED,
  type PackedBatch,
  RecordCursor,
  packMessages,
} from './packed.js'
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  isJson,
  utf8Sequence,
} from './json-validate.js'
import {OutputBatch} from '../terminal/stdout-writer.js'

// JSON.stringify's escapes, so that a string written here is the one JSON.stringify would write.
const SHORT_ESCAPE = new Uint8Array(256)
SHORT_ESCAPE[0x08] = 0x62
SHORT_ESCAPE[0x09] = 0x74
SHORT_ESCAPE[0x0a] = 0x6e
SHORT_ESCAPE[0x0c] = 0x66
SHORT_ESCAPE[0x0d] = 0x72
SHORT_ESCAPE[QUOTE] = QUOTE
SHORT_ESCAPE[BACKSLASH] = BACKSLASH
const HEX = '0123456789abcdef'

/** Writes b[start, end) as a JSON string; false (and nothing written) when the bytes are not valid UTF-8. */
export function writeJsonString(out: OutputBatch, b: Uint8Array, start: number, end: number): boolean {
  out.reserve((end - start) * 6 + 2)
  const o = out.buffer
  let p = out.length
  o[p++] = QUOTE
  let i = start
  while (i < end) {
    const c = b[i]
    if (c >= 0x20 && c < 0x80 && c !== QUOTE && c !== BACKSLASH) {
      o[p++] = c
      i++
    } else if (c >= 0x80) {
      const next = utf8Sequence(b, i, end)
      if (next === -1) return false
      while (i < next) o[p++] = b[i++]
    } else {
      o[p++] = BACKSLASH
      const short = SHORT_ESCAPE[c]
      if (short !== 0) {
        o[p++] = short
      } else {
        o[p++] = 0x75
        o[p++] = 0x30
        o[p++] = 0x30
        o[p++] = HEX.charCodeAt(c >> 4)
        o[p++] = HEX.charCodeAt(c & 15)
      }
      i++
    }
  }
  o[p++] = QUOTE
  out.length = p
  return true
}

/**
 * True when the bytes can be embedded in a JSON line verbatim and read back identically. `oneLineJson`: whether they
 * are one JSON text on one line, when the source already checked (the record's JSON flags).
 */
function isEmbeddableJson(b: Uint8Array, start: number, end: number, oneLineJson?: boolean): boolean {
  const first = b[start]
  const last = b[end - 1]
  const framed = (first === OPEN_BRACE && last === CLOSE_BRACE) || (first === OPEN_BRACKET && last === CLOSE_BRACKET)
  return framed && (oneLineJson ?? isJson(b, start, end, true))
}

/** What the record's JSON flags say of a key or value: undefined when nobody checked. */
function checkedJson(flags: number, checked: number, json: number): boolean | undefined {
  return (flags & checked) === 0 ? undefined : (flags & json) !== 0
}

/**
 * The JSON of b[start, start + length) (length -1: null), plus `,"nameEncoding":"base64"` for bytes that are not text:
 * the value of a member `"name":` the caller wrote.
 */
function writeBytesValue(
  out: OutputBatch,
  name: string,
  b: Buffer,
  start: number,
  length: number,
  oneLineJson?: boolean,
): void {
  if (length < 0) return out.ascii('null')
  const end = start + length
  if (length > 0 && isEmbeddableJson(b, start, end, oneLineJson)) return out.bytes(b, start, end)
  if (writeJsonString(out, b, start, end)) return
  out.ascii(`"${b.toString('base64', start, end)}","${name}Encoding":"base64"`)
}

/** The record's headers as a JSON array, in order, duplicates kept. */
export function writeHeaders(out: OutputBatch, c: RecordCursor): void {
  out.byte(OPEN_BRACKET)
  let first = true
  const b = c.buffer
  c.eachHeader((nameStart, nameLength, valueStart, valueLength) => {
    out.ascii(first ? '{"key":' : ',{"key":')
    first = false
    if (!writeJsonString(out, b, nameStart, nameStart + nameLength)) {
      out.ascii(`"${b.toString('base64', nameStart, nameStart + nameLength)}","keyEncoding":"base64"`)
    }
    out.ascii(',"value":')
    if (valueLength < 0) out.ascii('null')
    else if (!writeJsonString(out, b, valueStart, valueStart + valueLength)) {
      out.ascii(`"${b.toString('base64', valueStart, valueStart + valueLength)}","encoding":"base64"`)
    }
    out.byte(CLOSE_BRACE)
  })
  out.byte(CLOSE_BRACKET)
}

/**
 * A batch's JSON lines begin alike for each topic and partition: `{"topic":"orders","partition":0,"offset":`, kept as
 * bytes and written with one copy (instead of five pieces per message).
 */
export class LineStarts {
  private readonly starts: Uint8Array[][]

  constructor(private readonly topics: string[]) {
    this.starts = topics.map(() => [])
  }

  static of(batch: PackedBatch): LineStarts {
    return new LineStarts(batch.topics)
  }

  get(topicIndex: number, partition: number): Uint8Array {
    const byPartition = this.starts[topicIndex] ?? []
    let start = byPartition[partition]
    if (start === undefined) {
      const topic = JSON.stringify(this.topics[topicIndex] ?? '')
      start = Buffer.from(`{"topic":${topic},"partition":${partition},"offset":`)
      byPartition[partition] = start
    }
    return start
  }
}

/** A key and value decoded through a schema registry (registry/decode.ts): written instead of their bytes. */
export interface Decoded {
  key?: DecodedMember
  value?: DecodedMember
}

/** `<decoded json>,"nameSchema":{...}`, the value of a member `"name":`: produce re-encodes it to the same bytes. */
function writeDecodedValue(out: OutputBatch, name: string, decoded: DecodedMember): void {
  out.text(`${decoded.json},"${name}Schema":${decoded.schema}`)
}

/**
 * One record as one JSON line (without its newline). The constant parts between the fields go out in as few pieces as
 * can be: this runs once per message.
 */
export function writeEnvelope(out: OutputBatch, c: RecordCursor, starts: LineStarts, decoded?: Decoded): void {
  out.bytes(starts.get(c.topicIndex, c.partition))
  out.integer(c.offset)
  if (c.timestamp < 0) out.ascii(',"timestamp":null,"key":')
  else {
    out.ascii(',"timestamp":')
    out.integer(c.timestamp)
    out.ascii(',"key":')
  }
  if (decoded?.key) writeDecodedValue(out, 'key', decoded.key)
  else {
    const json = checkedJson(c.jsonFlags, JSON_KEY_CHECKED, JSON_KEY)
    writeBytesValue(out, 'key', c.buffer, c.keyStart, c.keyLength, json)
  }
  out.ascii(',"value":')
  if (decoded?.value) writeDecodedValue(out, 'value', decoded.value)
  else {
    const json = checkedJson(c.jsonFlags, JSON_VALUE_CHECKED, JSON_VALUE)
    writeBytesValue(out, 'value', c.buffer, c.valueStart, c.valueLength, json)
  }
  if (c.headersLength < 0) return out.ascii(',"headers":[]}')
  out.ascii(',"headers":')
  writeHeaders(out, c)
  out.byte(CLOSE_BRACE)
}

/** A message as its JSON line, as a string: for tests and for output that is not on the hot path. */
export function toJsonLine(message: Parameters<typeof packMessages>[0][number], decoded?: Decoded): string {
  const batch = packMessages([message])
  const cursor = new RecordCursor(batch)
  cursor.next()
  const out = new OutputBatch(256)
  writeEnvelope(out, cursor, LineStarts.of(batch), decoded)
  return out.buffer.toString('utf8', 0, out.length)
}

/** A record's headers as a JSON array string (format strings' %h, the terminal view). */
export function headersJson(c: RecordCursor): string {
  const out = new OutputBatch(256)
  writeHeaders(out, c)
  return out.buffer.toString('utf8', 0, out.length)
}
