// Consumed messages as kcli reads them: batches of records packed into one buffer, in the layout of the client
// library's packed consume (patches/fast-path.md). Stock `consume()` messages are packed into the same layout here, so
// everything after the client — stop checks, formatting, offsets — has one implementation for both paths.
import type {Message} from '@confluentinc/kafka-javascript'

// A record: a 48-byte header (little-endian), then key, value and the headers block.
export const RECORD_HEADER = 48
export const RECORD_MESSAGE = 0
export const RECORD_EOF = 1
export const RECORD_ERROR = 2

// A message's JSON flags (u16 at byte 2), set by the native packed consume when asked (packedSource's classifyJson):
// whether its key / value is one JSON text in valid UTF-8 on one line. Without the CHECKED bit nobody checked (the
// stock path, or nesting deeper than the library checks), and the formatter checks itself.
export const JSON_KEY_CHECKED = 1
export const JSON_KEY = 2
export const JSON_VALUE_CHECKED = 4
export const JSON_VALUE = 8

export interface PackedBatch {
  buffer: Buffer
  topics: string[]
  /** Records in the buffer (messages, and on the native path also end-of-partition and error records). */
  count: number
}

/** Walks the records of a batch; the fields describe the current record. Byte ranges are offsets into `buffer`. */
export class RecordCursor {
  kind = 0
  partition = 0
  topicIndex = 0
  offset = 0
  /** Milliseconds, or -1 when the message has none. */
  timestamp = -1
  keyStart = 0
  /** -1: no key. */
  keyLength = -1
  valueStart = 0
  /** -1: a tombstone (no value). */
  valueLength = -1
  headersStart = 0
  /** -1: no headers. */
  headersLength = -1
  errorCode = 0
  /** JSON_* bits. */
  jsonFlags = 0
  private view: DataView
  private position = 0
  private remaining: number

  constructor(readonly batch: PackedBatch) {
    this.view = new DataView(batch.buffer.buffer, batch.buffer.byteOffset, batch.buffer.length)
    this.remaining = batch.count
  }

  get buffer(): Buffer {
    return this.batch.buffer
  }

  get topic(): string {
    return this.batch.topics[this.topicIndex] ?? ''
  }

  next(): boolean {
    if (this.remaining === 0) return false
    this.remaining--
    const v = this.view
    const p = this.position
    this.kind = v.getUint8(p)
    this.jsonFlags = v.getUint16(p + 2, true)
    this.partition = v.getInt32(p + 4, true)
    this.topicIndex = v.getInt32(p + 8, true)
    this.offset = v.getFloat64(p + 16, true)
    this.timestamp = v.getFloat64(p + 24, true)
    this.keyLength = v.getInt32(p + 32, true)
    this.valueLength = v.getInt32(p + 36, true)
    this.headersLength = v.getInt32(p + 40, true)
    this.errorCode = v.getInt32(p + 44, true)
    this.keyStart = p + RECORD_HEADER
    this.valueStart = this.keyStart + Math.max(this.keyLength, 0)
    this.headersStart = this.valueStart + Math.max(this.valueLength, 0)
    this.position = this.headersStart + Math.max(this.headersLength, 0)
    return true
  }

  key(): Buffer | null {
    return this.keyLength < 0 ? null : this.buffer.subarray(this.keyStart, this.keyStart + this.keyLength)
  }

  value(): Buffer | null {
    return this.valueLength < 0 ? null : this.buffer.subarray(this.valueStart, this.valueStart + this.valueLength)
  }

  /** Calls `visit` for each header in order: byte ranges of its name and value (value length -1: null). */
  eachHeader(visit: (nameStart: number, nameLength: number, valueStart: number, valueLength: number) => void): void {
    if (this.headersLength <= 0) return
    const v = this.view
    let p = this.headersStart
    const count = v.getInt32(p, true)
    p += 4
    for (let i = 0; i < count; i++) {
      const nameLength = v.getInt32(p, true)
      const nameStart = p + 4
      const valueLength = v.getInt32(nameStart + nameLength, true)
      const valueStart = nameStart + nameLength + 4
      visit(nameStart, nameLength, valueStart, valueLength)
      p = valueStart + Math.max(valueLength, 0)
    }
  }
}

type StockHeaders = Message['headers']
type HeaderList = Array<[Buffer, Buffer | null]>

function bytesOf(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value
}

function headerBytes(headers: StockHeaders): HeaderList | undefined {
  if (!headers) return undefined
  const result: HeaderList = []
  for (const header of headers) {
    for (const name of Object.keys(header)) result.push([Buffer.from(name, 'utf8'), bytesOf(header[name] as never)])
  }
  return result
}

function headersLength(headers: HeaderList): number {
  let length = 4
  for (const [name, value] of headers) length += 8 + name.length + (value?.length ?? 0)
  return length
}

/**
 * Packs messages from the stock `consume()` into the packed layout (the native path gets its batches packed). This is
 * per-message work the native path does not have: one pass sizes, one writes, with no object per message (headers,
 * which few messages carry, aside).
 */
export function packMessages(messages: Message[]): PackedBatch {
  const topics: string[] = []
  const topicIndex = new Map<string, number>()
  const topicOf = new Int32Array(messages.length)
  const keys: Array<Buffer | null> = new Array(messages.length)
  const headerLists = new Map<number, {list: HeaderList; length: number}>()
  let size = 0
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]
    const key = bytesOf(m.key as Buffer | string | null | undefined)
    keys[i] = key
    size += RECORD_HEADER + (key?.length ?? 0) + (m.value?.length ?? 0)
    if (m.headers) {
      const list = headerBytes(m.headers)!
      const length = headersLength(list)
      headerLists.set(i, {list, length})
      size += length
    }
    let t = topicIndex.get(m.topic)
    if (t === undefined) topicIndex.set(m.topic, (t = topics.push(m.topic) - 1))
    topicOf[i] = t
  }
  // Every byte is written below (the record header's padding too): no need to zero it first.
  const buffer = Buffer.allocUnsafe(size)
  const v = new DataView(buffer.buffer, buffer.byteOffset, buffer.length)
  let p = 0
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]
    const key = keys[i]
    const headers = headerLists.get(i)
    v.setUint32(p, 0, true)
    v.setUint8(p, RECORD_MESSAGE)
    v.setInt32(p + 4, m.partition, true)
    v.setInt32(p + 8, topicOf[i], true)
    v.setInt32(p + 12, -1, true)
    v.setFloat64(p + 16, m.offset, true)
    v.setFloat64(p + 24, m.timestamp === undefined || m.timestamp < 0 ? -1 : m.timestamp, true)
    v.setInt32(p + 32, key ? key.length : -1, true)
    v.setInt32(p + 36, m.value ? m.value.length : -1, true)
    v.setInt32(p + 40, headers ? headers.length : -1, true)
    v.setInt32(p + 44, 0, true)
    p += RECORD_HEADER
    // TypedArray#set: Buffer#copy's argument checks cost more than the copy of a message-sized value.
    if (key) {
      buffer.set(key, p)
      p += key.length
    }
    if (m.value) {
      buffer.set(m.value, p)
      p += m.value.length
    }
    if (headers) {
      v.setInt32(p, headers.list.length, true)
      p += 4
      for (const [name, value] of headers.list) {
        v.setInt32(p, name.length, true)
        p += 4 + name.copy(buffer, p + 4)
        v.setInt32(p, value ? value.length : -1, true)
        p += 4 + (value ? value.copy(buffer, p + 4) : 0)
      }
    }
  }
  return {buffer, topics, count: messages.length}
}
