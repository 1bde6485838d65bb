// Protobuf for the Confluent wire format: parse .proto text (imports resolved from given files, i.e. the schema's
// references, or from the google/protobuf well-known types bundled with protobufjs), find a message by full
// name or by Confluent message indexes, and convert between protobuf binary and the canonical proto3 JSON mapping
// (lowerCamelCase json names, 64-bit integers as strings, bytes as base64, enums by name, well-known types in
// their special forms). protobufjs only parses the .proto text and provides reflection; the binary is read and
// written here, so 64-bit values stay exact and output follows field-number order like protoc-generated code.
// The module imports protobufjs at load: kcli must import this file lazily (see DESIGN.md).
import protobuf from 'protobufjs'

import {JsonNumber, type JsonValue, doubleText, floatText, kindOf, parseExact, quote} from './json-exact.js'

export class ProtobufCodecError extends Error {
  override name = 'ProtobufCodecError'
}

export interface ProtoFile {
  /** The import path the main file uses (Confluent reference `name`), e.g. `common/money.proto`. */
  name: string
  content: string
}

export interface ProtobufSchemaOptions {
  /** The main file's name (default `schema.proto`), only used in messages. */
  name?: string
  /** Files the schema imports, by import path. google/protobuf/*.proto well-known types need not be given. */
  imports?: readonly ProtoFile[] | Record<string, string>
}

export interface ProtobufCodec {
  /** Full name without the leading dot, e.g. `demo.orders.Order.Line`. */
  readonly messageName: string
  /** Confluent message indexes of the message inside its file ([0] = first top-level message). */
  readonly messageIndexes: number[]
  /** Protobuf binary (after the header and indexes) to canonical JSON text. */
  decode(payload: Uint8Array): string
  /** JSON text (or a parsed exact JSON value) to protobuf binary. */
  encode(json: string | JsonValue): Buffer
}

export interface ProtobufSchema {
  readonly root: protobuf.Root
  /** Every message of the main file (nested ones too), full names in message-index order. */
  readonly messageNames: string[]
  indexesOf(messageName: string): number[]
  nameAt(messageIndexes: readonly number[]): string
  /** A codec for a message by full name (leading dot optional) or by message indexes; default: the first message. */
  codec(message?: string | readonly number[]): ProtobufCodec
}

// ---------- schema loading ----------

export function parseProtobufSchema(text: string, options: ProtobufSchemaOptions = {}): ProtobufSchema {
  const mainName = options.name ?? 'schema.proto'
  const files = new Map<string, string>(
    Array.isArray(options.imports)
      ? options.imports.map((f) => [f.name, f.content] as [string, string])
      : Object.entries(options.imports ?? {}),
  )
  const root = new protobuf.Root()
  const loaded = new Set<string>()

  function load(name: string, source: string, importedBy?: string): void {
    if (loaded.has(name)) return
    loaded.add(name)
    let parsed: protobuf.IParserResult
    try {
      ;(protobuf.parse as unknown as {filename: string | null}).filename = name
      parsed = protobuf.parse(source, root, {keepCase: true})
    } catch (err) {
      throw new ProtobufCodecError(
        `invalid .proto ${name === mainName && importedBy === undefined ? 'schema' : name}: ${(err as Error).message}`,
      )
    }
    for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
      const given = files.get(imp)
      if (given !== undefined) {
        load(imp, given, name)
        continue
      }
      const bundled = (protobuf.common as unknown as {get(n: string): {nested?: Record<string, unknown>} | null}).get(
        imp,
      )
      if (bundled) {
        if (!loaded.has(imp)) {
          loaded.add(imp)
          root.addJSON(bundled.nested as Record<string, protobuf.AnyNestedObject>)
        }
        continue
      }
      throw new ProtobufCodecError(
        `${name} imports "${imp}", which was not given: register it as a reference (name "${imp}") or pass it as an import`,
      )
    }
  }

  load(mainName, text)
  try {
    root.resolveAll()
  } catch (err) {
    throw new ProtobufCodecError(`invalid .proto schema: ${(err as Error).message}`)
  }

  // Message indexes: top-level messages of the main file in declaration order, then nested messages.
  const byIndexes: {name: string; indexes: number[]; type: protobuf.Type}[] = []
  const topLevel: protobuf.Type[] = []
  const collectTop = (ns: protobuf.NamespaceBase): void => {
    for (const n of ns.nestedArray) {
      if (n instanceof protobuf.Type) {
        if (n.filename === mainName) topLevel.push(n)
      } else if (n instanceof protobuf.Namespace && !(n instanceof protobuf.Service)) {
        collectTop(n)
      }
    }
  }
  collectTop(root)
  const walk = (t: protobuf.Type, indexes: number[]): void => {
    byIndexes.push({name: t.fullName.slice(1), indexes, type: t})
    let k = 0
    for (const n of t.nestedArray) if (n instanceof protobuf.Type) walk(n, [...indexes, k++])
  }
  topLevel.forEach((t, i) => walk(t, [i]))

  const schema: ProtobufSchema = {
    root,
    messageNames: byIndexes.map((m) => m.name),
    indexesOf(messageName: string): number[] {
      const want = messageName.replace(/^\./, '')
      const m = byIndexes.find((x) => x.name === want)
      if (!m)
        throw new ProtobufCodecError(
          `message ${want} is not defined in the schema (messages: ${byIndexes.map((x) => x.name).join(', ') || 'none'})`,
        )
      return m.indexes
    },
    nameAt(messageIndexes: readonly number[]): string {
      const want = messageIndexes.join(',')
      const m = byIndexes.find((x) => x.indexes.join(',') === want)
      if (!m)
        throw new ProtobufCodecError(
          `message indexes [${want}] point at no message of the schema (it has ${byIndexes.length} message(s))`,
        )
      return m.name
    },
    codec(message?: string | readonly number[]): ProtobufCodec {
      if (byIndexes.length === 0) throw new ProtobufCodecError('the schema defines no message')
      const name =
        message === undefined
          ? byIndexes[0]!.name
          : typeof message === 'string'
            ? message.replace(/^\./, '')
            : schema.nameAt(message)
      const entry = byIndexes.find((x) => x.name === name)
      if (!entry) schema.indexesOf(name) // throws the clear error
      const type = entry!.type
      const ctx: Ctx = {root}
      return {
        messageName: name,
        messageIndexes: entry!.indexes,
        decode(payload: Uint8Array): string {
          const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.length)
          return messageToJson(ctx, type, buf, '$')
        },
        encode(json: string | JsonValue): Buffer {
          let v: JsonValue
          if (typeof json === 'string') {
            try {
              v = parseExact(json)
            } catch (err) {
              throw new ProtobufCodecError((err as Error).message)
            }
          } else v = json
          return jsonToMessage(ctx, type, v, '$')
        },
      }
    },
  }
  return schema
}

interface Ctx {
  root: protobuf.Root
}

// ---------- wire reading ----------

const WIRE_VARINT = 0
const WIRE_I64 = 1
const WIRE_LEN = 2
const WIRE_SGROUP = 3
const WIRE_EGROUP = 4
const WIRE_I32 = 5

type Item = {wire: 0; v: bigint} | {wire: 1 | 5 | 2; b: Buffer}

function readVarint(buf: Buffer, pos: number, path: string): [bigint, number] {
  let result = 0n
  let shift = 0n
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtobufCodecError(`protobuf payload ends inside a varint at ${path}`)
    const b = buf[pos++]!
    result |= BigInt(b & 0x7f) << shift
    if ((b & 0x80) === 0) return [BigInt.asUintN(64, result), pos]
    shift += 7n
  }
  throw new ProtobufCodecError(`invalid protobuf varint (more than 10 bytes) at ${path}`)
}

function skipGroup(buf: Buffer, pos: number, fieldNo: number, path: string): number {
  for (;;) {
    const [tag, p] = readVarint(buf, pos, path)
    pos = p
    const wire = Number(tag & 7n)
    const no = Number(tag >> 3n)
    if (wire === WIRE_EGROUP) {
      if (no !== fieldNo) throw new ProtobufCodecError(`mismatched protobuf end-group at ${path}`)
      return pos
    }
    pos = skipValue(buf, pos, wire, no, path)
  }
}

function skipValue(buf: Buffer, pos: number, wire: number, no: number, path: string): number {
  switch (wire) {
    case WIRE_VARINT:
      return readVarint(buf, pos, path)[1]
    case WIRE_I64:
      return checkLen(buf, pos, 8, path)
    case WIRE_I32:
      return checkLen(buf, pos, 4, path)
    case WIRE_LEN: {
      const [len, p] = readVarint(buf, pos, path)
      return checkLen(buf, p, Number(len), path)
    }
    case WIRE_SGROUP:
      return skipGroup(buf, pos, no, path)
    default:
      throw new ProtobufCodecError(`invalid protobuf wire type ${wire} at ${path}`)
  }
}

function checkLen(buf: Buffer, pos: number, len: number, path: string): number {
  if (len < 0 || pos + len > buf.length)
    throw new ProtobufCodecError(
      `protobuf payload ends early at ${path} (a field needs ${len} byte(s), ${buf.length - pos} left)`,
    )
  return pos + len
}

/** All items of a message by field number, in wire order; unknown fields are skipped (JSON cannot carry them). */
function readFields(type: protobuf.Type, buf: Buffer, path: string): Map<number, Item[]> {
  const out = new Map<number, Item[]>()
  let pos = 0
  while (pos < buf.length) {
    const [tag, p] = readVarint(buf, pos, path)
    pos = p
    const wire = Number(tag & 7n)
    const no = Number(tag >> 3n)
    if (no === 0) throw new ProtobufCodecError(`invalid protobuf field number 0 at ${path}`)
    const known = type.fieldsById[no] !== undefined
    let item: Item
    switch (wire) {
      case WIRE_VARINT: {
        const [v, q] = readVarint(buf, pos, path)
        pos = q
        item = {wire: 0, v}
        break
      }
      case WIRE_I64:
      case WIRE_I32: {
        const n = wire === WIRE_I64 ? 8 : 4
        const end = checkLen(buf, pos, n, path)
        item = {wire, b: buf.subarray(pos, end)}
        pos = end
        break
      }
      case WIRE_LEN: {
        const [len, q] = readVarint(buf, pos, path)
        const end = checkLen(buf, q, Number(len), path)
        item = {wire: 2, b: buf.subarray(q, end)}
        pos = end
        break
      }
      case WIRE_SGROUP:
        if (known) throw new ProtobufCodecError(`protobuf groups are not supported (field ${no} at ${path})`)
        pos = skipGroup(buf, pos, no, path)
        continue
      default:
        throw new ProtobufCodecError(`invalid protobuf wire type ${wire} at ${path}`)
    }
    if (!known) continue
    let list = out.get(no)
    if (!list) out.set(no, (list = []))
    list.push(item)
  }
  return out
}

// ---------- scalar types ----------

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool', 'enum'])
const I32_TYPES = new Set(['fixed32', 'sfixed32', 'float'])
const I64_TYPES = new Set(['fixed64', 'sfixed64', 'double'])
const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'])

function wireOf(scalar: string): number {
  if (VARINT_TYPES.has(scalar)) return WIRE_VARINT
  if (I32_TYPES.has(scalar)) return WIRE_I32
  if (I64_TYPES.has(scalar)) return WIRE_I64
  return WIRE_LEN
}

/** The scalar kind of a field: a protobuf scalar name, 'enum' or 'message'. */
function kindOfField(f: protobuf.FieldBase): string {
  if (f.resolvedType instanceof protobuf.Type) return 'message'
  if (f.resolvedType instanceof protobuf.Enum) return 'enum'
  return f.type
}

/** Numeric value of a scalar item as bigint (integers) or number (floats) or boolean. */
function scalarValue(kind: string, item: Item, path: string): bigint | number | boolean {
  const expected = wireOf(kind)
  if (item.wire !== expected)
    throw new ProtobufCodecError(`protobuf wire type ${item.wire} at ${path} does not match its declared type ${kind}`)
  if (item.wire === WIRE_VARINT) {
    const v = item.v
    switch (kind) {
      case 'int32':
      case 'enum':
        return BigInt.asIntN(32, v)
      case 'uint32':
        return BigInt.asUintN(32, v)
      case 'int64':
        return BigInt.asIntN(64, v)
      case 'uint64':
        return v
      case 'sint32': {
        const u = BigInt.asUintN(32, v)
        return (u >> 1n) ^ -(u & 1n)
      }
      case 'sint64':
        return (v >> 1n) ^ -(v & 1n)
      case 'bool':
        return v !== 0n
    }
  }
  const b = (item as {b: Buffer}).b
  switch (kind) {
    case 'fixed32':
      return BigInt(b.readUInt32LE(0))
    case 'sfixed32':
      return BigInt(b.readInt32LE(0))
    case 'float':
      return b.readFloatLE(0)
    case 'fixed64':
      return b.readBigUInt64LE(0)
    case 'sfixed64':
      return b.readBigInt64LE(0)
    case 'double':
      return b.readDoubleLE(0)
  }
  throw new ProtobufCodecError(`unsupported protobuf scalar ${kind} at ${path}`)
}

function isDefault(v: bigint | number | boolean | Buffer): boolean {
  if (typeof v === 'bigint') return v === 0n
  if (typeof v === 'boolean') return v === false
  if (typeof v === 'number') return v === 0 && !Object.is(v, -0) // like protoc: -0.0 is not the default
  return v.length === 0
}

function scalarJson(kind: string, v: bigint | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') return kind === 'float' ? floatText(v) : doubleText(v)
  return LONG_TYPES.has(kind) ? `"${v}"` : String(v)
}

/** Expands an item of a repeated scalar field: a packed run (LEN) or a single value. */
function expandScalars(kind: string, item: Item, path: string): (bigint | number | boolean)[] {
  if (item.wire !== WIRE_LEN || wireOf(kind) === WIRE_LEN) return [scalarValue(kind, item, path)]
  const out: (bigint | number | boolean)[] = []
  const b = item.b
  let pos = 0
  const w = wireOf(kind)
  while (pos < b.length) {
    if (w === WIRE_VARINT) {
      const [v, p] = readVarint(b, pos, path)
      pos = p
      out.push(scalarValue(kind, {wire: 0, v}, path))
    } else {
      const n = w === WIRE_I32 ? 4 : 8
      const end = checkLen(b, pos, n, path)
      out.push(scalarValue(kind, {wire: w as 1 | 5, b: b.subarray(pos, end)}, path))
      pos = end
    }
  }
  return out
}

function enumJson(e: protobuf.Enum, v: bigint): string {
  const name = e.valuesById[Number(v)]
  if (e.fullName === '.google.protobuf.NullValue') return 'null'
  return name !== undefined ? quote(name) : String(v)
}

// ---------- binary -> JSON ----------

function itemBytes(item: Item, what: string, path: string): Buffer {
  if (item.wire !== WIRE_LEN)
    throw new ProtobufCodecError(`protobuf wire type ${item.wire} at ${path} does not match its declared type ${what}`)
  return item.b
}

function valueJson(ctx: Ctx, f: protobuf.FieldBase, kind: string, item: Item, path: string): string {
  if (kind === 'message')
    return messageToJson(ctx, f.resolvedType as protobuf.Type, itemBytes(item, 'message', path), path)
  if (kind === 'string') return quote(itemBytes(item, 'string', path).toString('utf8'))
  if (kind === 'bytes') return quote(itemBytes(item, 'bytes', path).toString('base64'))
  const v = scalarValue(kind, item, path)
  if (kind === 'enum') return enumJson(f.resolvedType as protobuf.Enum, v as bigint)
  return scalarJson(kind, v)
}

function messageToJson(ctx: Ctx, type: protobuf.Type, buf: Buffer, path: string): string {
  const wkt = WKT_TO_JSON[type.fullName]
  if (wkt) return wkt(ctx, type, readFields(type, buf, path), path)
  const fields = readFields(type, buf, path)
  const parts: string[] = []
  const sorted = [...type.fieldsArray].sort((a, b) => a.id - b.id)
  for (const f of sorted) {
    const items = fields.get(f.id)
    if (!items) continue
    const fpath = `${path}.${f.name}`
    const key = quote(f.jsonName ?? f.name)
    const kind = kindOfField(f)
    if (f.map) {
      const mf = f as unknown as protobuf.MapField
      const entries: string[] = []
      for (const it of items) {
        const entry = readMapEntry(ctx, mf, itemBytes(it, 'map entry', fpath), fpath)
        entries.push(entry)
      }
      parts.push(`${key}:{${entries.join(',')}}`)
    } else if (f.repeated) {
      const vals: string[] = []
      for (const it of items) {
        if (kind === 'message' || kind === 'string' || kind === 'bytes') vals.push(valueJson(ctx, f, kind, it, fpath))
        else
          for (const v of expandScalars(kind, it, fpath))
            vals.push(kind === 'enum' ? enumJson(f.resolvedType as protobuf.Enum, v as bigint) : scalarJson(kind, v))
      }
      parts.push(`${key}:[${vals.join(',')}]`)
    } else {
      const last = items[items.length - 1]!
      const presence = kind === 'message' || f.hasPresence
      if (!presence) {
        // Implicit presence (proto3): a default value is not printed, as protoc's JSON printer does.
        const v = kind === 'string' || kind === 'bytes' ? itemBytes(last, kind, fpath) : scalarValue(kind, last, fpath)
        if (isDefault(v)) continue
      }
      parts.push(`${key}:${valueJson(ctx, f, kind, last, fpath)}`)
    }
  }
  return `{${parts.join(',')}}`
}

function mapKeyJson(keyType: string, item: Item, path: string): string {
  if (keyType === 'string') return quote(itemBytes(item, 'string', path).toString('utf8'))
  const v = scalarValue(keyType, item, path)
  return quote(String(v))
}

/** Map entries and Struct entries: a key (field 1) and a value (field 2). */
const entryFields = {fieldsById: {1: {}, 2: {}}} as unknown as protobuf.Type

function readMapEntry(ctx: Ctx, mf: protobuf.MapField, buf: Buffer, path: string): string {
  const fields = readFields(entryFields, buf, path)
  const key = fields.get(1)?.at(-1)
  const val = fields.get(2)?.at(-1)
  const keyText = key
    ? mapKeyJson(mf.keyType, key, path)
    : mf.keyType === 'bool'
      ? '"false"'
      : mf.keyType === 'string'
        ? '""'
        : '"0"'
  const kind = kindOfField(mf)
  let valText: string
  if (val) valText = valueJson(ctx, mf, kind, val, `${path}[${keyText}]`)
  else if (kind === 'message') valText = messageToJson(ctx, mf.resolvedType as protobuf.Type, Buffer.alloc(0), path)
  else if (kind === 'enum') valText = enumJson(mf.resolvedType as protobuf.Enum, 0n)
  else if (kind === 'string' || kind === 'bytes') valText = '""'
  else valText = scalarJson(kind, kind === 'bool' ? false : kind === 'float' || kind === 'double' ? 0 : 0n)
  return `${keyText}:${valText}`
}

// ---------- JSON -> binary ----------

class Out {
  private parts: Buffer[] = []
  varint(v: bigint): void {
    let z = BigInt.asUintN(64, v)
    const bytes: number[] = []
    while (z > 0x7fn) {
      bytes.push(Number(z & 0x7fn) | 0x80)
      z >>= 7n
    }
    bytes.push(Number(z))
    this.parts.push(Buffer.from(bytes))
  }
  tag(no: number, wire: number): void {
    this.varint((BigInt(no) << 3n) | BigInt(wire))
  }
  raw(b: Buffer): void {
    this.parts.push(b)
  }
  len(b: Buffer): void {
    this.varint(BigInt(b.length))
    this.parts.push(b)
  }
  finish(): Buffer {
    return Buffer.concat(this.parts)
  }
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int32: [-(1n << 31n), (1n << 31n) - 1n],
  sint32: [-(1n << 31n), (1n << 31n) - 1n],
  sfixed32: [-(1n << 31n), (1n << 31n) - 1n],
  enum: [-(1n << 31n), (1n << 31n) - 1n],
  uint32: [0n, (1n << 32n) - 1n],
  fixed32: [0n, (1n << 32n) - 1n],
  int64: [-(1n << 63n), (1n << 63n) - 1n],
  sint64: [-(1n << 63n), (1n << 63n) - 1n],
  sfixed64: [-(1n << 63n), (1n << 63n) - 1n],
  uint64: [0n, (1n << 64n) - 1n],
  fixed64: [0n, (1n << 64n) - 1n],
}

function jsonInteger(kind: string, v: JsonValue, path: string): bigint {
  let text: string | undefined
  if (v instanceof JsonNumber) text = v.text
  else if (typeof v === 'string') text = v.trim()
  if (text === undefined)
    throw new ProtobufCodecError(
      `${path}: expected ${kind} (an integer${LONG_TYPES.has(kind) ? ', as a string or number' : ''}), got ${kindOf(v)}`,
    )
  let n: bigint
  if (/^-?(0|[1-9][0-9]*)$/.test(text)) n = BigInt(text)
  else if (
    /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text) &&
    Number.isInteger(Number(text)) &&
    Math.abs(Number(text)) <= Number.MAX_SAFE_INTEGER
  )
    n = BigInt(Number(text))
  else throw new ProtobufCodecError(`${path}: ${text} is not an integer`)
  const [lo, hi] = INT_RANGES[kind]!
  if (n < lo || n > hi) throw new ProtobufCodecError(`${path}: ${text} is out of range for ${kind}`)
  return n
}

function jsonFloat(kind: string, v: JsonValue, path: string): number {
  let d: number
  if (v instanceof JsonNumber) d = v.toNumber()
  else if (v === 'NaN') d = NaN
  else if (v === 'Infinity') d = Infinity
  else if (v === '-Infinity') d = -Infinity
  else if (typeof v === 'string' && /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(v.trim())) d = Number(v)
  else
    throw new ProtobufCodecError(
      `${path}: expected ${kind} (a number, or "NaN", "Infinity", "-Infinity"), got ${kindOf(v)}`,
    )
  if (typeof v !== 'string' || /[0-9]/.test(v)) {
    if (!Number.isFinite(d) || (kind === 'float' && !Number.isFinite(Math.fround(d))))
      throw new ProtobufCodecError(`${path}: ${String(v)} is out of range for ${kind}`)
  }
  return d
}

function jsonBytes(v: JsonValue, path: string): Buffer {
  if (typeof v !== 'string') throw new ProtobufCodecError(`${path}: expected bytes (base64), got ${kindOf(v)}`)
  const s = v.replace(/-/g, '+').replace(/_/g, '/')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.replace(/=+$/, '').length % 4 === 1)
    throw new ProtobufCodecError(`${path}: ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)} is not base64`)
  return Buffer.from(s, 'base64')
}

function jsonEnum(e: protobuf.Enum, v: JsonValue, path: string): bigint {
  if (e.fullName === '.google.protobuf.NullValue' && v === null) return 0n
  if (typeof v === 'string') {
    const n = e.values[v]
    if (n === undefined)
      throw new ProtobufCodecError(
        `${path}: ${JSON.stringify(v)} is not a value of enum ${e.fullName.slice(1)} (${Object.keys(e.values).join(', ')})`,
      )
    return BigInt(n)
  }
  return jsonInteger('enum', v, path)
}

/** The encoded scalar as [wire type, bytes-or-varint]. */
function writeScalar(
  out: Out,
  no: number,
  kind: string,
  v: JsonValue,
  path: string,
  ctx: Ctx,
  f: protobuf.FieldBase,
  packed = false,
): void {
  const emit = (wire: number, write: () => void): void => {
    if (!packed) out.tag(no, wire)
    write()
  }
  switch (kind) {
    case 'message':
      out.tag(no, WIRE_LEN)
      out.len(jsonToMessage(ctx, f.resolvedType as protobuf.Type, v, path))
      return
    case 'string':
      if (typeof v !== 'string') throw new ProtobufCodecError(`${path}: expected a string, got ${kindOf(v)}`)
      out.tag(no, WIRE_LEN)
      out.len(Buffer.from(v, 'utf8'))
      return
    case 'bytes':
      out.tag(no, WIRE_LEN)
      out.len(jsonBytes(v, path))
      return
    case 'bool':
      if (typeof v !== 'boolean') throw new ProtobufCodecError(`${path}: expected true or false, got ${kindOf(v)}`)
      emit(WIRE_VARINT, () => out.varint(v ? 1n : 0n))
      return
    case 'enum':
      emit(WIRE_VARINT, () => out.varint(jsonEnum(f.resolvedType as protobuf.Enum, v, path)))
      return
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
      emit(WIRE_VARINT, () => out.varint(jsonInteger(kind, v, path)))
      return
    case 'sint32':
    case 'sint64': {
      const n = jsonInteger(kind, v, path)
      emit(WIRE_VARINT, () => out.varint(n >= 0n ? n << 1n : (-n << 1n) - 1n))
      return
    }
    case 'fixed32':
    case 'sfixed32': {
      const n = jsonInteger(kind, v, path)
      const b = Buffer.alloc(4)
      b.writeUInt32LE(Number(BigInt.asUintN(32, n)))
      emit(WIRE_I32, () => out.raw(b))
      return
    }
    case 'fixed64':
    case 'sfixed64': {
      const n = jsonInteger(kind, v, path)
      const b = Buffer.alloc(8)
      b.writeBigUInt64LE(BigInt.asUintN(64, n))
      emit(WIRE_I64, () => out.raw(b))
      return
    }
    case 'float': {
      const b = Buffer.alloc(4)
      b.writeFloatLE(jsonFloat(kind, v, path))
      emit(WIRE_I32, () => out.raw(b))
      return
    }
    case 'double': {
      const b = Buffer.alloc(8)
      b.writeDoubleLE(jsonFloat(kind, v, path))
      emit(WIRE_I64, () => out.raw(b))
      return
    }
  }
  throw new ProtobufCodecError(`${path}: unsupported protobuf type ${kind}`)
}

/** True when the JSON value encodes to the type's default (so an implicit-presence field is left out). */
function isJsonDefault(kind: string, v: JsonValue, f: protobuf.FieldBase): boolean {
  switch (kind) {
    case 'string':
      return v === ''
    case 'bytes':
      return typeof v === 'string' && jsonBytes(v, '').length === 0
    case 'bool':
      return v === false
    case 'enum':
      try {
        return jsonEnum(f.resolvedType as protobuf.Enum, v, '') === 0n
      } catch {
        return false
      }
    case 'float':
    case 'double':
      try {
        const d = jsonFloat(kind, v, '')
        return d === 0 && !Object.is(d, -0)
      } catch {
        return false
      }
    default:
      try {
        return jsonInteger(kind, v, '') === 0n
      } catch {
        return false
      }
  }
}

function fieldByJsonKey(type: protobuf.Type): Map<string, protobuf.Field> {
  const m = new Map<string, protobuf.Field>()
  for (const f of type.fieldsArray) {
    m.set(f.name, f)
    if (f.jsonName) m.set(f.jsonName, f)
  }
  return m
}

function jsonToMessage(ctx: Ctx, type: protobuf.Type, v: JsonValue, path: string): Buffer {
  const wkt = WKT_FROM_JSON[type.fullName]
  if (wkt) return wkt(ctx, type, v, path)
  if (!(v instanceof Map))
    throw new ProtobufCodecError(`${path}: expected an object for ${type.fullName.slice(1)}, got ${kindOf(v)}`)
  const byKey = fieldByJsonKey(type)
  const given = new Map<protobuf.Field, JsonValue>()
  for (const [k, val] of v) {
    const f = byKey.get(k)
    if (!f)
      throw new ProtobufCodecError(
        `${path}: ${type.fullName.slice(1)} has no field ${JSON.stringify(k)} (fields: ${type.fieldsArray.map((x) => x.jsonName ?? x.name).join(', ')})`,
      )
    if (given.has(f))
      throw new ProtobufCodecError(`${path}: field ${f.name} is given twice (as ${f.name} and ${f.jsonName})`)
    given.set(f, val)
  }
  const oneofSeen = new Map<string, string>()
  const out = new Out()
  const sorted = [...given.entries()].sort((a, b) => a[0].id - b[0].id)
  for (const [f, val] of sorted) {
    const fpath = `${path}.${f.name}`
    const kind = kindOfField(f)
    // null means "not set", except for google.protobuf.Value (JSON null) and NullValue.
    const isNullValue =
      val === null &&
      (f.resolvedType?.fullName === '.google.protobuf.Value' ||
        f.resolvedType?.fullName === '.google.protobuf.NullValue')
    if (val === null && !isNullValue) continue
    if (f.partOf) {
      const other = oneofSeen.get(f.partOf.name)
      if (other !== undefined && !f.partOf.name.startsWith('_'))
        throw new ProtobufCodecError(
          `${path}: fields ${other} and ${f.name} are both set but belong to the same oneof ${f.partOf.name}`,
        )
      oneofSeen.set(f.partOf.name, f.name)
    }
    if (f.map) {
      if (!(val instanceof Map)) throw new ProtobufCodecError(`${fpath}: expected an object (map), got ${kindOf(val)}`)
      const mf = f as unknown as protobuf.MapField
      for (const [k, mv] of val) {
        const entry = new Out()
        writeMapKey(entry, mf.keyType, k, `${fpath}[${JSON.stringify(k)}]`)
        writeScalar(entry, 2, kind, mv, `${fpath}[${JSON.stringify(k)}]`, ctx, mf)
        out.tag(f.id, WIRE_LEN)
        out.len(entry.finish())
      }
    } else if (f.repeated) {
      if (!Array.isArray(val)) throw new ProtobufCodecError(`${fpath}: expected an array, got ${kindOf(val)}`)
      if (val.length === 0) continue
      const packable = kind !== 'message' && kind !== 'string' && kind !== 'bytes'
      if (packable && f.packed) {
        const inner = new Out()
        val.forEach((x, i) => writeScalar(inner, f.id, kind, x, `${fpath}[${i}]`, ctx, f, true))
        out.tag(f.id, WIRE_LEN)
        out.len(inner.finish())
      } else {
        val.forEach((x, i) => writeScalar(out, f.id, kind, x, `${fpath}[${i}]`, ctx, f))
      }
    } else {
      const presence = kind === 'message' || f.hasPresence
      if (!presence && isJsonDefault(kind, val, f)) continue
      writeScalar(out, f.id, kind, val, fpath, ctx, f)
    }
  }
  return out.finish()
}

function writeMapKey(out: Out, keyType: string, k: string, path: string): void {
  if (keyType === 'string') {
    out.tag(1, WIRE_LEN)
    out.len(Buffer.from(k, 'utf8'))
    return
  }
  if (keyType === 'bool') {
    if (k !== 'true' && k !== 'false') throw new ProtobufCodecError(`${path}: map key must be "true" or "false"`)
    out.tag(1, WIRE_VARINT)
    out.varint(k === 'true' ? 1n : 0n)
    return
  }
  const dummy = {resolvedType: null} as unknown as protobuf.FieldBase
  writeScalar(out, 1, keyType, k, path, {root: new protobuf.Root()}, dummy)
}

// ---------- well-known types ----------

type ToJson = (ctx: Ctx, type: protobuf.Type, fields: Map<number, Item[]>, path: string) => string
type FromJson = (ctx: Ctx, type: protobuf.Type, v: JsonValue, path: string) => Buffer

function lastScalar(
  fields: Map<number, Item[]>,
  no: number,
  kind: string,
  path: string,
): bigint | number | boolean | undefined {
  const items = fields.get(no)
  if (!items || items.length === 0) return undefined
  return scalarValue(kind, items[items.length - 1]!, path)
}

function lastBytes(fields: Map<number, Item[]>, no: number, path: string): Buffer | undefined {
  const items = fields.get(no)
  if (!items || items.length === 0) return undefined
  return itemBytes(items[items.length - 1]!, 'bytes', path)
}

function fracText(nanos: number): string {
  if (nanos === 0) return ''
  if (nanos % 1000000 === 0) return '.' + String(nanos / 1000000).padStart(3, '0')
  if (nanos % 1000 === 0) return '.' + String(nanos / 1000).padStart(6, '0')
  return '.' + String(nanos).padStart(9, '0')
}

const MIN_TS_SECONDS = -62135596800n // 0001-01-01T00:00:00Z
const MAX_TS_SECONDS = 253402300799n // 9999-12-31T23:59:59Z

function timestampToJson(_ctx: Ctx, _t: protobuf.Type, fields: Map<number, Item[]>, path: string): string {
  const seconds = (lastScalar(fields, 1, 'int64', path) as bigint | undefined) ?? 0n
  const nanos = Number((lastScalar(fields, 2, 'int32', path) as bigint | undefined) ?? 0n)
  if (seconds < MIN_TS_SECONDS || seconds > MAX_TS_SECONDS || nanos < 0 || nanos > 999999999) {
    throw new ProtobufCodecError(
      `${path}: Timestamp seconds=${seconds} nanos=${nanos} is outside the JSON-representable range`,
    )
  }
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19)
  return quote(`${iso}${fracText(nanos)}Z`)
}

function timestampFromJson(_ctx: Ctx, _t: protobuf.Type, v: JsonValue, path: string): Buffer {
  if (typeof v !== 'string')
    throw new ProtobufCodecError(`${path}: expected a Timestamp string (RFC 3339), got ${kindOf(v)}`)
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(v)
  if (!m)
    throw new ProtobufCodecError(
      `${path}: ${JSON.stringify(v)} is not an RFC 3339 timestamp such as 2024-01-02T03:04:05.678Z`,
    )
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`)
    throw new ProtobufCodecError(`${path}: ${JSON.stringify(v)} is not a valid date-time`)
  let seconds = BigInt(ms / 1000)
  const zone = m[8]!
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1n : 1n
    seconds -= sign * BigInt(Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60)
  }
  const nanos = BigInt((m[7] ?? '').padEnd(9, '0') || '0')
  return secondsAndNanos(seconds, nanos)
}

/** Timestamp and Duration on the wire: seconds (field 1) and nanos (field 2), each left out at zero. */
function secondsAndNanos(seconds: bigint, nanos: bigint): Buffer {
  const out = new Out()
  if (seconds !== 0n) {
    out.tag(1, WIRE_VARINT)
    out.varint(seconds)
  }
  if (nanos !== 0n) {
    out.tag(2, WIRE_VARINT)
    out.varint(nanos)
  }
  return out.finish()
}

function durationToJson(_ctx: Ctx, _t: protobuf.Type, fields: Map<number, Item[]>, path: string): string {
  const seconds = (lastScalar(fields, 1, 'int64', path) as bigint | undefined) ?? 0n
  const nanos = Number((lastScalar(fields, 2, 'int32', path) as bigint | undefined) ?? 0n)
  if ((seconds < 0n && nanos > 0) || (seconds > 0n && nanos < 0) || Math.abs(nanos) > 999999999)
    throw new ProtobufCodecError(`${path}: invalid Duration seconds=${seconds} nanos=${nanos}`)
  const neg = seconds < 0n || nanos < 0
  const abs = seconds < 0n ? -seconds : seconds
  return quote(`${neg ? '-' : ''}${abs}${fracText(Math.abs(nanos))}s`)
}

function durationFromJson(_ctx: Ctx, _t: protobuf.Type, v: JsonValue, path: string): Buffer {
  const m = typeof v === 'string' ? /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(v) : null
  if (!m)
    throw new ProtobufCodecError(
      `${path}: expected a Duration string such as "1.5s", got ${typeof v === 'string' ? JSON.stringify(v) : kindOf(v)}`,
    )
  const sign = m[1] ? -1n : 1n
  const seconds = sign * BigInt(m[2]!)
  const nanos = sign * BigInt((m[3] ?? '').padEnd(9, '0') || '0')
  if (seconds > 315576000000n || seconds < -315576000000n)
    throw new ProtobufCodecError(`${path}: Duration ${v} is out of range`)
  return secondsAndNanos(seconds, nanos)
}

function wrapperToJson(kind: string): ToJson {
  return (_ctx, _t, fields, path) => {
    if (kind === 'string' || kind === 'bytes') {
      const b = lastBytes(fields, 1, path) ?? Buffer.alloc(0)
      return quote(kind === 'string' ? b.toString('utf8') : b.toString('base64'))
    }
    const v = lastScalar(fields, 1, kind, path)
    return scalarJson(kind, v ?? (kind === 'bool' ? false : kind === 'float' || kind === 'double' ? 0 : 0n))
  }
}

function wrapperFromJson(kind: string): FromJson {
  return (ctx, t, v, path) => {
    const f = t.fieldsById[1]!
    const out = new Out()
    if (!isJsonDefault(kind, v, f)) writeScalar(out, 1, kind, v, path, ctx, f)
    else if (kind !== 'string' && kind !== 'bytes' && kind !== 'bool')
      jsonFloatOrInt(kind, v, path) // still validate
    else if (kind === 'bool' && typeof v !== 'boolean')
      throw new ProtobufCodecError(`${path}: expected true or false, got ${kindOf(v)}`)
    return out.finish()
  }
}

function jsonFloatOrInt(kind: string, v: JsonValue, path: string): void {
  if (kind === 'float' || kind === 'double') jsonFloat(kind, v, path)
  else jsonInteger(kind, v, path)
}

function valueType(ctx: Ctx, name: string): protobuf.Type {
  return ctx.root.lookupType(name)
}

function structToJson(ctx: Ctx, _t: protobuf.Type, fields: Map<number, Item[]>, path: string): string {
  const valueT = valueType(ctx, 'google.protobuf.Value')
  const parts: string[] = []
  for (const it of fields.get(1) ?? []) {
    const entry = readFields(entryFields, itemBytes(it, 'map entry', path), path)
    const k = lastBytes(entry, 1, path)?.toString('utf8') ?? ''
    const vb = lastBytes(entry, 2, path) ?? Buffer.alloc(0)
    parts.push(`${quote(k)}:${messageToJson(ctx, valueT, vb, `${path}.${k}`)}`)
  }
  return `{${parts.join(',')}}`
}

function structFromJson(ctx: Ctx, _t: protobuf.Type, v: JsonValue, path: string): Buffer {
  if (!(v instanceof Map))
    throw new ProtobufCodecError(`${path}: expected an object for google.protobuf.Struct, got ${kindOf(v)}`)
  const valueT = valueType(ctx, 'google.protobuf.Value')
  const out = new Out()
  for (const [k, x] of v) {
    const entry = new Out()
    entry.tag(1, WIRE_LEN)
    entry.len(Buffer.from(k, 'utf8'))
    entry.tag(2, WIRE_LEN)
    entry.len(jsonToMessage(ctx, valueT, x, `${path}.${k}`))
    out.tag(1, WIRE_LEN)
    out.len(entry.finish())
  }
  return out.finish()
}

function listToJson(ctx: Ctx, _t: protobuf.Type, fields: Map<number, Item[]>, path: string): string {
  const valueT = valueType(ctx, 'google.protobuf.Value')
  return `[${(fields.get(1) ?? []).map((it, i) => messageToJson(ctx, valueT, itemBytes(it, 'Value', path), `${path}[${i}]`)).join(',')}]`
}

function listFromJson(ctx: Ctx, _t: protobuf.Type, v: JsonValue, path: string): Buffer {
  if (!Array.isArray(v))
    throw new ProtobufCodecError(`${path}: expected an array for google.protobuf.ListValue, got ${kindOf(v)}`)
  const valueT = valueType(ctx, 'google.protobuf.Value')
  const out = new Out()
  v.forEach((x, i) => {
    out.tag(1, WIRE_LEN)
    out.len(jsonToMessage(ctx, valueT, x, `${path}[${i}]`))
  })
  return out.finish()
}

function valueToJson(ctx: Ctx, _t: protobuf.Type, fields: Map<number, Item[]>, path: string): string {
  // Last kind on the wire wins (a oneof).
  let lastNo = 0
  for (const no of fields.keys()) lastNo = no
  switch (lastNo) {
    case 0:
    case 1:
      return 'null'
    case 2:
      return doubleText(lastScalar(fields, 2, 'double', path) as number)
    case 3:
      return quote(lastBytes(fields, 3, path)!.toString('utf8'))
    case 4:
      return (lastScalar(fields, 4, 'bool', path) as boolean) ? 'true' : 'false'
    case 5:
    case 6: {
      // Struct and ListValue both keep their entries in field 1.
      const inner = readFields(entryFields, lastBytes(fields, lastNo, path)!, path)
      return lastNo === 5
        ? structToJson(ctx, valueType(ctx, 'google.protobuf.Struct'), inner, path)
        : listToJson(ctx, valueType(ctx, 'google.protobuf.ListValue'), inner, path)
    }
  }
  return 'null'
}

function valueFromJson(ctx: Ctx, _t: protobuf.Type, v: JsonValue, path: string): Buffer {
  const out = new Out()
  if (v === null) {
    out.tag(1, WIRE_VARINT)
    out.varint(0n)
  } else if (v instanceof JsonNumber) {
    const b = Buffer.alloc(8)
    const d = v.toNumber()
    if (!Number.isFinite(d))
      throw new ProtobufCodecError(`${path}: ${v.text} is out of range for a google.protobuf.Value number`)
    b.writeDoubleLE(d)
    out.tag(2, WIRE_I64)
    out.raw(b)
  } else if (typeof v === 'string') {
    out.tag(3, WIRE_LEN)
    out.len(Buffer.from(v, 'utf8'))
  } else if (typeof v === 'boolean') {
    out.tag(4, WIRE_VARINT)
    out.varint(v ? 1n : 0n)
  } else if (Array.isArray(v)) {
    out.tag(6, WIRE_LEN)
    out.len(listFromJson(ctx, valueType(ctx, 'google.protobuf.ListValue'), v, path))
  } else {
    out.tag(5, WIRE_LEN)
    out.len(structFromJson(ctx, valueType(ctx, 'google.protobuf.Struct'), v, path))
  }
  return out.finish()
}

function camel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}
function snake(s: string): string {
  return s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())
}

function fieldMaskToJson(_ctx: Ctx, _t: protobuf.Type, fields: Map<number, Item[]>, path: string): string {
  return quote(
    (fields.get(1) ?? [])
      .map((it) => itemBytes(it, 'string', path).toString('utf8').split('.').map(camel).join('.'))
      .join(','),
  )
}

function fieldMaskFromJson(_ctx: Ctx, _t: protobuf.Type, v: JsonValue, path: string): Buffer {
  if (typeof v !== 'string')
    throw new ProtobufCodecError(`${path}: expected a FieldMask string such as "a.b,c", got ${kindOf(v)}`)
  const out = new Out()
  for (const p of v === '' ? [] : v.split(',')) {
    out.tag(1, WIRE_LEN)
    out.len(Buffer.from(p.split('.').map(snake).join('.'), 'utf8'))
  }
  return out.finish()
}

function anyTypeOf(ctx: Ctx, url: string, path: string): protobuf.Type {
  const name = url.slice(url.lastIndexOf('/') + 1)
  try {
    return ctx.root.lookupType(name)
  } catch {
    throw new ProtobufCodecError(`${path}: google.protobuf.Any holds ${url}, a type this schema does not define`)
  }
}

function anyToJson(ctx: Ctx, _t: protobuf.Type, fields: Map<number, Item[]>, path: string): string {
  const url = lastBytes(fields, 1, path)?.toString('utf8') ?? ''
  const value = lastBytes(fields, 2, path) ?? Buffer.alloc(0)
  if (url === '') return '{}'
  const inner = anyTypeOf(ctx, url, path)
  const body = messageToJson(ctx, inner, value, path)
  if (WKT_TO_JSON[inner.fullName]) return `{"@type":${quote(url)},"value":${body}}`
  return body === '{}' ? `{"@type":${quote(url)}}` : `{"@type":${quote(url)},${body.slice(1)}`
}

function anyFromJson(ctx: Ctx, _t: protobuf.Type, v: JsonValue, path: string): Buffer {
  if (!(v instanceof Map))
    throw new ProtobufCodecError(`${path}: expected an object with "@type" for google.protobuf.Any, got ${kindOf(v)}`)
  if (v.size === 0) return Buffer.alloc(0)
  const url = v.get('@type')
  if (typeof url !== 'string') throw new ProtobufCodecError(`${path}: google.protobuf.Any needs a string "@type"`)
  const inner = anyTypeOf(ctx, url, path)
  let body: Buffer
  if (WKT_FROM_JSON[inner.fullName]) body = jsonToMessage(ctx, inner, v.get('value') ?? null, `${path}.value`)
  else {
    const rest = new Map(v)
    rest.delete('@type')
    body = jsonToMessage(ctx, inner, rest, path)
  }
  const out = new Out()
  out.tag(1, WIRE_LEN)
  out.len(Buffer.from(url, 'utf8'))
  if (body.length > 0) {
    out.tag(2, WIRE_LEN)
    out.len(body)
  }
  return out.finish()
}

const WRAPPERS: Record<string, string> = {
  DoubleValue: 'double',
  FloatValue: 'float',
  Int64Value: 'int64',
  UInt64Value: 'uint64',
  Int32Value: 'int32',
  UInt32Value: 'uint32',
  BoolValue: 'bool',
  StringValue: 'string',
  BytesValue: 'bytes',
}

const WKT_TO_JSON: Record<string, ToJson> = {
  '.google.protobuf.Timestamp': timestampToJson,
  '.google.protobuf.Duration': durationToJson,
  '.google.protobuf.Struct': structToJson,
  '.google.protobuf.ListValue': listToJson,
  '.google.protobuf.Value': valueToJson,
  '.google.protobuf.FieldMask': fieldMaskToJson,
  '.google.protobuf.Any': anyToJson,
}
const WKT_FROM_JSON: Record<string, FromJson> = {
  '.google.protobuf.Timestamp': timestampFromJson,
  '.google.protobuf.Duration': durationFromJson,
  '.google.protobuf.Struct': structFromJson,
  '.google.protobuf.ListValue': listFromJson,
  '.google.protobuf.Value': valueFromJson,
  '.google.protobuf.FieldMask': fieldMaskFromJson,
  '.google.protobuf.Any': anyFromJson,
}
for (const [name, kind] of Object.entries(WRAPPERS)) {
  WKT_TO_JSON[`.google.protobuf.${name}`] = wrapperToJson(kind)
  WKT_FROM_JSON[`.google.protobuf.${name}`] = wrapperFromJson(kind)
}
