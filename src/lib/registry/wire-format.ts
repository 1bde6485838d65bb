// The Confluent Schema Registry wire format: a 5-byte header (magic byte 0, then the schema id as a 4-byte
// big-endian unsigned integer) followed by the serialized payload. Protobuf payloads carry, between the header and
// the message bytes, the "message indexes" that locate the message type inside its .proto file: a zigzag varint
// count followed by that many zigzag varint indexes, where the common path [0] is shortened to a single 0 byte.

export const MAGIC_BYTE = 0
export const HEADER_SIZE = 5

/** Thrown for bytes that are not in the Confluent wire format; `message` is one line fit for a user. */
export class WireFormatError extends Error {
  override name = 'WireFormatError'
}

export interface Framed {
  schemaId: number
  /** The bytes after the 5-byte header (for Protobuf this still starts with the message indexes). */
  payload: Buffer
}

export interface ProtobufFramed {
  schemaId: number
  messageIndexes: number[]
  /** The protobuf-encoded message, after the header and the message indexes. */
  payload: Buffer
}

function checkSchemaId(schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new WireFormatError(`schema id ${schemaId} is not an integer between 0 and 4294967295`)
  }
}

/** `0x00`, the schema id (4 bytes, big-endian), then the payload. */
export function encodeFrame(schemaId: number, payload: Uint8Array): Buffer {
  checkSchemaId(schemaId)
  const out = Buffer.allocUnsafe(HEADER_SIZE + payload.length)
  out[0] = MAGIC_BYTE
  out.writeUInt32BE(schemaId, 1)
  out.set(payload, HEADER_SIZE)
  return out
}

/** True when the bytes start like a Confluent-framed value (magic byte 0 and room for a schema id). */
export function isFramed(bytes: Uint8Array | null | undefined): boolean {
  return bytes != null && bytes.length >= HEADER_SIZE && bytes[0] === MAGIC_BYTE
}

/** Splits a framed value into its schema id and payload; the payload is a view on the same memory. */
export function decodeFrame(bytes: Uint8Array | null | undefined): Framed {
  if (bytes == null) throw new WireFormatError('no bytes to decode (null value): expected a Confluent-framed value')
  if (bytes.length === 0)
    throw new WireFormatError('empty value: expected the 5-byte Confluent header (magic byte 0 and a schema id)')
  if (bytes[0] !== MAGIC_BYTE) {
    throw new WireFormatError(
      `unknown magic byte 0x${bytes[0]!.toString(16).padStart(2, '0')} (expected 0x00): the value is not in the Confluent Schema Registry wire format`,
    )
  }
  if (bytes.length < HEADER_SIZE) {
    throw new WireFormatError(
      `value of ${bytes.length} byte${bytes.length === 1 ? '' : 's'} is too short for the 5-byte Confluent header`,
    )
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  return {schemaId: buf.readUInt32BE(1), payload: buf.subarray(HEADER_SIZE)}
}

// ---- zigzag varints (Confluent's ByteUtils.writeVarint / readVarint: signed 32-bit, zigzag, LEB128) ----

function zigzagVarintSize(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0
  let n = 1
  while (v > 0x7f) {
    v >>>= 7
    n++
  }
  return n
}

function writeZigzagVarint(out: Buffer, offset: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0
  while (v > 0x7f) {
    out[offset++] = (v & 0x7f) | 0x80
    v >>>= 7
  }
  out[offset++] = v
  return offset
}

function readZigzagVarint(bytes: Uint8Array, offset: number, what: string): {value: number; next: number} {
  let result = 0
  let shift = 0
  for (let i = 0; i < 5; i++) {
    if (offset >= bytes.length)
      throw new WireFormatError(
        `truncated protobuf message indexes: the varint for ${what} runs past the end of the value`,
      )
    const b = bytes[offset++]!
    if (i === 4 && (b & 0xf0) !== 0)
      throw new WireFormatError(`invalid protobuf message indexes: the varint for ${what} does not fit in 32 bits`)
    result |= (b & 0x7f) << shift
    if ((b & 0x80) === 0) {
      const u = result >>> 0
      return {value: (u >>> 1) ^ -(u & 1), next: offset}
    }
    shift += 7
  }
  throw new WireFormatError(`invalid protobuf message indexes: the varint for ${what} is longer than 5 bytes`)
}

function checkIndexes(indexes: readonly number[]): void {
  for (const i of indexes) {
    if (!Number.isInteger(i) || i < 0 || i > 0x7fffffff)
      throw new WireFormatError(`message index ${i} is not a non-negative 32-bit integer`)
  }
}

/** The message-index bytes: `[0]` (and `[]`) become the single byte 0x00, anything else is count + indexes. */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  checkIndexes(indexes)
  if (indexes.length === 0 || (indexes.length === 1 && indexes[0] === 0)) return Buffer.from([0])
  let size = zigzagVarintSize(indexes.length)
  for (const i of indexes) size += zigzagVarintSize(i)
  const out = Buffer.allocUnsafe(size)
  let o = writeZigzagVarint(out, 0, indexes.length)
  for (const i of indexes) o = writeZigzagVarint(out, o, i)
  return out
}

/** The most indexes a value may declare: nesting deeper than this is certainly garbage. */
const MAX_INDEXES = 100

/** Reads the message indexes at the start of a protobuf payload; a count of 0 means `[0]`. */
export function decodeMessageIndexes(payload: Uint8Array, offset = 0): {indexes: number[]; next: number} {
  const count = readZigzagVarint(payload, offset, 'the message index count')
  if (count.value === 0) return {indexes: [0], next: count.next}
  if (count.value < 0 || count.value > MAX_INDEXES) {
    throw new WireFormatError(`invalid protobuf message indexes: count ${count.value} (expected 0 to ${MAX_INDEXES})`)
  }
  const indexes: number[] = []
  let next = count.next
  for (let k = 0; k < count.value; k++) {
    const r = readZigzagVarint(payload, next, `message index ${k + 1} of ${count.value}`)
    if (r.value < 0) throw new WireFormatError(`invalid protobuf message indexes: index ${r.value} is negative`)
    indexes.push(r.value)
    next = r.next
  }
  return {indexes, next}
}

/** Header, message indexes, then the protobuf message bytes. */
export function encodeProtobufFrame(schemaId: number, messageIndexes: readonly number[], message: Uint8Array): Buffer {
  checkSchemaId(schemaId)
  const idx = encodeMessageIndexes(messageIndexes)
  const out = Buffer.allocUnsafe(HEADER_SIZE + idx.length + message.length)
  out[0] = MAGIC_BYTE
  out.writeUInt32BE(schemaId, 1)
  out.set(idx, HEADER_SIZE)
  out.set(message, HEADER_SIZE + idx.length)
  return out
}

export function decodeProtobufFrame(bytes: Uint8Array | null | undefined): ProtobufFramed {
  const {schemaId, payload} = decodeFrame(bytes)
  const {indexes, next} = decodeMessageIndexes(payload)
  return {schemaId, messageIndexes: indexes, payload: payload.subarray(next)}
}
