// JSON text <-> Avro binary for one Avro schema, exact in both directions.
//
// avsc parses and checks the schema (names, namespaces, references, defaults); the binary encoding and decoding
// are done here by walking avsc's type tree, so that nothing passes through lossy JS values:
// - long: zigzag varints read and written with BigInt when they leave the safe range, printed as JSON integers;
// - bytes / fixed: Avro's own JSON encoding, a string whose characters \u0000-\u00FF are the bytes (ISO-8859-1),
//   exactly what Confluent's avro-console-consumer prints and avro-console-producer reads;
// - unions: Avro's JSON encoding, `null` or `{"<branch name>": value}` (full name for named types); on input an
//   unwrapped value is also accepted and goes to the first branch that can encode it;
// - float / double: the shortest decimal that reads back to the same float32 / float64; -0 prints as -0.0;
//   NaN and the infinities print as the strings "NaN", "Infinity", "-Infinity";
// - maps keep their binary entry order (JSON objects are read as ordered Maps, never plain objects);
// - logical types: `raw` (default) prints the underlying Avro value, as avro-console-consumer does; `readable`
//   prints decimals as decimal strings and timestamps/dates/times as ISO-8601 strings, and input accepts both.
// The module imports avsc at load: kcli must import this file lazily (see DESIGN.md).
import avsc from 'avsc'

import {
  JsonNumber,
  type JsonObject,
  type JsonValue,
  doubleText,
  floatText,
  kindOf,
  parseExact,
  quote,
} from './json-exact.js'

export {doubleText, floatText}

export type AvroLogicalMode = 'raw' | 'readable'

export interface AvroCodecOptions {
  /**
   * Texts of the schemas this schema references (Confluent `references`), dependencies before dependents. Their
   * named types become known to the main schema.
   */
  references?: readonly string[]
  /** How logical types look in JSON (default `raw`, byte-exact and what avro-console-consumer prints). */
  logicalTypes?: AvroLogicalMode
}

export interface AvroCodec {
  /** The parsed schema (avsc). */
  readonly type: avsc.Type
  /** Avro binary (the payload after the wire-format header) to compact JSON text. */
  decode(payload: Uint8Array): string
  /** JSON text (or an already parsed exact JSON value) to Avro binary. */
  encode(json: string | JsonValue): Buffer
}

export class AvroCodecError extends Error {
  override name = 'AvroCodecError'
}

// ---------- schema ----------

// avsc's type classes keep their attributes (fields, symbols, size, ...) as untyped properties.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = avsc.Type & Record<string, any>

/** Keeps logical-type attributes on the type tree; values pass through untouched (the walker converts them). */
class LogicalMarker extends avsc.types.LogicalType {
  readonly attrs: Record<string, unknown>
  constructor(schema: avsc.Schema, opts?: unknown) {
    super(schema, opts)
    this.attrs = schema as unknown as Record<string, unknown>
  }
  protected override _fromValue(v: unknown): unknown {
    return v
  }
  protected override _toValue(v: unknown): unknown {
    return v
  }
}

const LOGICAL_NAMES = [
  'decimal',
  'uuid',
  'date',
  'time-millis',
  'time-micros',
  'timestamp-millis',
  'timestamp-micros',
  'local-timestamp-millis',
  'local-timestamp-micros',
  'duration',
]

function parseSchemaJson(text: string, what: string): avsc.Schema {
  const trimmed = text.trim()
  // A bare primitive name such as `string` is accepted by Confluent as well as `"string"`.
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(trimmed)) return trimmed as avsc.Schema
  try {
    return JSON.parse(trimmed) as avsc.Schema
  } catch (err) {
    throw new AvroCodecError(`${what} is not valid JSON: ${(err as Error).message}`)
  }
}

/** Parses an Avro schema (with its references) into an avsc type; errors name the schema. */
export function parseAvroSchema(schemaText: string, references: readonly string[] = []): avsc.Type {
  const logicalTypes: Record<string, typeof LogicalMarker> = {}
  for (const n of LOGICAL_NAMES) logicalTypes[n] = LogicalMarker
  const registry: Record<string, avsc.Type> = {}
  const opts = {logicalTypes, registry, wrapUnions: true} as unknown as Partial<avsc.ForSchemaOptions>
  references.forEach((ref, i) => {
    try {
      avsc.Type.forSchema(parseSchemaJson(ref, `referenced schema ${i + 1}`), opts)
    } catch (err) {
      if (err instanceof AvroCodecError) throw err
      throw new AvroCodecError(`invalid referenced Avro schema ${i + 1}: ${(err as Error).message}`)
    }
  })
  try {
    return avsc.Type.forSchema(parseSchemaJson(schemaText, 'the Avro schema'), opts)
  } catch (err) {
    if (err instanceof AvroCodecError) throw err
    throw new AvroCodecError(`invalid Avro schema: ${(err as Error).message}`)
  }
}

export function createAvroCodec(schemaText: string, options: AvroCodecOptions = {}): AvroCodec {
  const type = parseAvroSchema(schemaText, options.references)
  const readable = options.logicalTypes === 'readable'
  return {
    type,
    decode(payload: Uint8Array): string {
      const r = new Reader(payload)
      const out: string[] = []
      readValue(type as AnyType, r, out, readable, '$')
      if (r.pos !== r.buf.length) {
        throw new AvroCodecError(
          `Avro payload has ${r.buf.length - r.pos} unread byte(s) after the value: the schema does not match the data`,
        )
      }
      return out.join('')
    },
    encode(json: string | JsonValue): Buffer {
      const value = typeof json === 'string' ? parseJsonInput(json) : json
      const w = new Writer()
      writeValue(type as AnyType, value, w, readable, '$')
      return w.finish()
    },
  }
}

function parseJsonInput(text: string): JsonValue {
  try {
    return parseExact(text)
  } catch (err) {
    throw new AvroCodecError((err as Error).message)
  }
}

// ---------- binary reader / writer ----------

class Reader {
  pos = 0
  readonly buf: Buffer
  constructor(bytes: Uint8Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  }
  need(n: number, what: string): void {
    if (this.pos + n > this.buf.length)
      throw new AvroCodecError(
        `Avro payload ends early while reading ${what} (needs ${n} more byte(s) at offset ${this.pos})`,
      )
  }
  byte(what: string): number {
    this.need(1, what)
    return this.buf[this.pos++]!
  }
  /** A zigzag varint as a bigint (up to 64 bits). */
  long(what: string): bigint {
    let lo = 0
    let shift = 0
    let b: number
    // Fast path: up to 4 bytes (28 bits) in a number.
    do {
      b = this.byte(what)
      lo |= (b & 0x7f) << shift
      shift += 7
    } while (b & 0x80 && shift < 28)
    let n: bigint
    if (!(b & 0x80)) {
      n = BigInt(lo >>> 0)
    } else {
      n = BigInt(lo >>> 0)
      let s = 28n
      do {
        if (s > 63n) throw new AvroCodecError(`invalid Avro varint for ${what}: more than 10 bytes`)
        b = this.byte(what)
        n |= BigInt(b & 0x7f) << s
        s += 7n
      } while (b & 0x80)
      n &= 0xffffffffffffffffn
    }
    return (n >> 1n) ^ -(n & 1n)
  }
  int(what: string): number {
    const v = this.long(what)
    if (v < -2147483648n || v > 2147483647n) throw new AvroCodecError(`Avro ${what} ${v} does not fit in 32 bits`)
    return Number(v)
  }
  /** A count or length: must be a non-negative safe number. */
  size(what: string): number {
    const v = this.long(what)
    if (v < 0n) throw new AvroCodecError(`negative Avro ${what} ${v}`)
    if (v > BigInt(this.buf.length - this.pos))
      throw new AvroCodecError(`Avro ${what} ${v} is longer than the rest of the payload`)
    return Number(v)
  }
  bytes(n: number, what: string): Buffer {
    this.need(n, what)
    const b = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return b
  }
}

class Writer {
  private chunks: Buffer[] = []
  private cur = Buffer.allocUnsafe(256)
  private len = 0
  private ensure(n: number): void {
    if (this.len + n <= this.cur.length) return
    this.chunks.push(this.cur.subarray(0, this.len))
    this.cur = Buffer.allocUnsafe(Math.max(256, n, this.cur.length * 2))
    this.len = 0
  }
  byte(b: number): void {
    this.ensure(1)
    this.cur[this.len++] = b
  }
  long(v: bigint): void {
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n))
    this.ensure(10)
    while (z > 0x7fn) {
      this.cur[this.len++] = Number(z & 0x7fn) | 0x80
      z >>= 7n
    }
    this.cur[this.len++] = Number(z)
  }
  int(v: number): void {
    let z = ((v << 1) ^ (v >> 31)) >>> 0
    this.ensure(5)
    while (z > 0x7f) {
      this.cur[this.len++] = (z & 0x7f) | 0x80
      z >>>= 7
    }
    this.cur[this.len++] = z
  }
  raw(b: Uint8Array): void {
    this.ensure(b.length)
    this.cur.set(b, this.len)
    this.len += b.length
  }
  float(v: number): void {
    this.ensure(4)
    this.cur.writeFloatLE(v, this.len)
    this.len += 4
  }
  double(v: number): void {
    this.ensure(8)
    this.cur.writeDoubleLE(v, this.len)
    this.len += 8
  }
  finish(): Buffer {
    this.chunks.push(this.cur.subarray(0, this.len))
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)
  }
}

/** bytes/fixed as a JSON string of code points U+0000-U+00FF; everything outside printable ASCII is \u-escaped. */
function latin1Text(b: Buffer): string {
  let s = '"'
  for (const c of b) {
    if (c === 0x22) s += '\\"'
    else if (c === 0x5c) s += '\\\\'
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c)
    else s += '\\u00' + (c < 16 ? '0' : '') + c.toString(16)
  }
  return s + '"'
}

// ---------- logical types ----------

function logicalOf(t: AnyType): {name: string; attrs: Record<string, unknown>; under: AnyType} | undefined {
  if (!(t instanceof LogicalMarker)) return undefined
  const under = (t as unknown as {underlyingType: AnyType}).underlyingType
  const name = String(t.attrs.logicalType)
  const u = under.typeName
  // Only well-formed logical types are applied; others fall back to the underlying type, as the spec says.
  const ok =
    (name === 'decimal' && (u === 'bytes' || u === 'fixed') && decimalScale(t.attrs) !== undefined) ||
    (name === 'date' && u === 'int') ||
    (name === 'time-millis' && u === 'int') ||
    ((name === 'time-micros' || name.startsWith('timestamp-') || name.startsWith('local-timestamp-')) &&
      u === 'long') ||
    (name === 'uuid' && u === 'string')
  return ok ? {name, attrs: t.attrs, under} : undefined
}

function decimalScale(attrs: Record<string, unknown>): number | undefined {
  const precision = attrs.precision
  const scale = attrs.scale ?? 0
  if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) return undefined
  if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) return undefined
  return scale
}

function twosComplementToBigInt(b: Buffer): bigint {
  if (b.length === 0) return 0n
  let n = BigInt('0x' + b.toString('hex'))
  if (b[0]! & 0x80) n -= 1n << BigInt(b.length * 8)
  return n
}

function bigIntToTwosComplement(n: bigint, size?: number): Buffer {
  // Minimal big-endian two's complement (as Java's BigInteger.toByteArray), or sign-extended to `size`.
  let len = 1
  while (n < -(1n << BigInt(len * 8 - 1)) || n >= 1n << BigInt(len * 8 - 1)) len++
  if (size !== undefined) {
    if (len > size) throw new AvroCodecError(`decimal does not fit in fixed(${size})`)
    len = size
  }
  const u = n < 0n ? (1n << BigInt(len * 8)) + n : n
  return Buffer.from(u.toString(16).padStart(len * 2, '0'), 'hex')
}

function unscaledToDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n
  let digits = (neg ? -unscaled : unscaled).toString()
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0')
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale)
  }
  return (neg ? '-' : '') + digits
}

function decimalToUnscaled(text: string, scale: number, precision: number, path: string): bigint {
  const m = /^([+-]?)([0-9]+)(?:\.([0-9]*))?$/.exec(text.trim())
  if (!m) throw new AvroCodecError(`${path}: ${JSON.stringify(text)} is not a decimal number`)
  const frac = m[3] ?? ''
  const significantFrac = frac.replace(/0+$/, '')
  if (significantFrac.length > scale)
    throw new AvroCodecError(
      `${path}: ${text} has more than ${scale} digit(s) after the point (decimal scale ${scale})`,
    )
  const unscaled = BigInt(m[2]! + frac.padEnd(scale, '0').slice(0, scale))
  if (unscaled.toString().length > precision && unscaled !== 0n)
    throw new AvroCodecError(`${path}: ${text} has more than ${precision} digit(s) (decimal precision ${precision})`)
  return m[1] === '-' ? -unscaled : unscaled
}

const MS_PER_DAY = 86400000
const MAX_READABLE_MS = 253402300799999 // 9999-12-31T23:59:59.999Z
const MIN_READABLE_MS = -62135596800000 // 0001-01-01T00:00:00.000Z

function pad(n: number | bigint, w: number): string {
  return String(n).padStart(w, '0')
}

function isoFromMillis(ms: number, fracMicros: number | undefined, zone: boolean): string | undefined {
  if (ms < MIN_READABLE_MS || ms > MAX_READABLE_MS) return undefined
  const iso = new Date(ms).toISOString() // YYYY-MM-DDTHH:MM:SS.mmmZ
  const base = iso.slice(0, 23)
  return base + (fracMicros === undefined ? '' : pad(fracMicros, 3)) + (zone ? 'Z' : '')
}

const ISO_TS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/

function parseIsoTimestamp(s: string, unit: 'millis' | 'micros', local: boolean, path: string): bigint {
  const m = ISO_TS.exec(s)
  if (!m)
    throw new AvroCodecError(
      `${path}: ${JSON.stringify(s)} is not an ISO-8601 timestamp (YYYY-MM-DDTHH:MM:SS[.fraction]${local ? '' : 'Z'})`,
    )
  const zone = m[8]
  if (local && zone !== undefined)
    throw new AvroCodecError(`${path}: a local timestamp has no time zone, got ${JSON.stringify(s)}`)
  if (!local && zone === undefined)
    throw new AvroCodecError(`${path}: timestamp ${JSON.stringify(s)} needs a time zone (Z or ±HH:MM)`)
  const frac = m[7] ?? ''
  const digits = unit === 'millis' ? 3 : 6
  if (frac.replace(/0+$/, '').length > digits)
    throw new AvroCodecError(`${path}: ${JSON.stringify(s)} is more precise than timestamp-${unit}`)
  const msNoFrac = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  if (
    Number.isNaN(msNoFrac) ||
    Number(m[2]) > 12 ||
    Number(m[3]) > 31 ||
    Number(m[4]) > 23 ||
    Number(m[5]) > 59 ||
    Number(m[6]) > 59
  ) {
    throw new AvroCodecError(`${path}: ${JSON.stringify(s)} is not a valid date-time`)
  }
  let offsetMs = 0
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    offsetMs = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60000
  }
  const secs = BigInt(msNoFrac - offsetMs) / 1000n
  const f = BigInt(frac.padEnd(digits, '0').slice(0, digits) || '0')
  return secs * (unit === 'millis' ? 1000n : 1000000n) + f
}

function timeOfDayText(v: bigint, unit: 'millis' | 'micros'): string | undefined {
  const perSec = unit === 'millis' ? 1000n : 1000000n
  if (v < 0n || v >= 86400n * perSec) return undefined
  const secs = v / perSec
  const frac = v % perSec
  return `${pad(secs / 3600n, 2)}:${pad((secs / 60n) % 60n, 2)}:${pad(secs % 60n, 2)}.${pad(frac, unit === 'millis' ? 3 : 6)}`
}

function parseTimeOfDay(s: string, unit: 'millis' | 'micros', path: string): bigint {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(s)
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59)
    throw new AvroCodecError(`${path}: ${JSON.stringify(s)} is not a time of day (HH:MM:SS[.fraction])`)
  const digits = unit === 'millis' ? 3 : 6
  const frac = m[4] ?? ''
  if (frac.replace(/0+$/, '').length > digits)
    throw new AvroCodecError(`${path}: ${JSON.stringify(s)} is more precise than time-${unit}`)
  const secs = BigInt(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0))
  return secs * (unit === 'millis' ? 1000n : 1000000n) + BigInt(frac.padEnd(digits, '0').slice(0, digits) || '0')
}

function dateText(days: number): string | undefined {
  const ms = days * MS_PER_DAY
  if (ms < MIN_READABLE_MS || ms > MAX_READABLE_MS) return undefined
  return new Date(ms).toISOString().slice(0, 10)
}

function parseDate(s: string, path: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== s)
    throw new AvroCodecError(`${path}: ${JSON.stringify(s)} is not a date (YYYY-MM-DD)`)
  return ms / MS_PER_DAY
}

// ---------- decode (binary -> JSON text) ----------

function readValue(t: AnyType, r: Reader, out: string[], readable: boolean, path: string): void {
  if (readable) {
    const lt = logicalOf(t)
    if (lt !== undefined && readLogical(lt, r, out, path)) return
  }
  if (t instanceof LogicalMarker) t = (t as unknown as {underlyingType: AnyType}).underlyingType
  switch (t.typeName) {
    case 'null':
      out.push('null')
      return
    case 'boolean': {
      const b = r.byte(`boolean at ${path}`)
      if (b > 1) throw new AvroCodecError(`invalid Avro boolean byte ${b} at ${path}`)
      out.push(b === 1 ? 'true' : 'false')
      return
    }
    case 'int':
      out.push(String(r.int(`int at ${path}`)))
      return
    case 'long':
      out.push(r.long(`long at ${path}`).toString())
      return
    case 'float':
      r.need(4, `float at ${path}`)
      out.push(floatText(r.buf.readFloatLE(r.pos)))
      r.pos += 4
      return
    case 'double':
      r.need(8, `double at ${path}`)
      out.push(doubleText(r.buf.readDoubleLE(r.pos)))
      r.pos += 8
      return
    case 'bytes':
      out.push(latin1Text(r.bytes(r.size(`bytes length at ${path}`), `bytes at ${path}`)))
      return
    case 'string': {
      const b = r.bytes(r.size(`string length at ${path}`), `string at ${path}`)
      out.push(quote(b.toString('utf8')))
      return
    }
    case 'fixed':
      out.push(latin1Text(r.bytes(t.size as number, `fixed(${t.size}) at ${path}`)))
      return
    case 'enum': {
      const i = r.int(`enum index at ${path}`)
      const symbols = t.symbols as string[]
      if (i < 0 || i >= symbols.length)
        throw new AvroCodecError(
          `Avro enum index ${i} at ${path} is out of range for ${t.name} (${symbols.length} symbols)`,
        )
      out.push(quote(symbols[i]!))
      return
    }
    case 'array': {
      out.push('[')
      let first = true
      let k = 0
      for (;;) {
        let count = Number(r.long(`array block count at ${path}`))
        if (count === 0) break
        if (count < 0) {
          count = -count
          r.long(`array block size at ${path}`)
        }
        for (let j = 0; j < count; j++, k++) {
          if (!first) out.push(',')
          first = false
          readValue(t.itemsType as AnyType, r, out, readable, `${path}[${k}]`)
        }
      }
      out.push(']')
      return
    }
    case 'map': {
      out.push('{')
      let first = true
      for (;;) {
        let count = Number(r.long(`map block count at ${path}`))
        if (count === 0) break
        if (count < 0) {
          count = -count
          r.long(`map block size at ${path}`)
        }
        for (let j = 0; j < count; j++) {
          const key = r.bytes(r.size(`map key length at ${path}`), `map key at ${path}`).toString('utf8')
          if (!first) out.push(',')
          first = false
          out.push(quote(key), ':')
          readValue(t.valuesType as AnyType, r, out, readable, `${path}.${key}`)
        }
      }
      out.push('}')
      return
    }
    case 'union:wrapped':
    case 'union:unwrapped': {
      const branches = t.types as AnyType[]
      const i = r.int(`union branch at ${path}`)
      if (i < 0 || i >= branches.length)
        throw new AvroCodecError(`Avro union branch ${i} at ${path} is out of range (${branches.length} branches)`)
      const b = branches[i]!
      if (b.typeName === 'null') {
        out.push('null')
        return
      }
      out.push('{', quote(b.branchName as string), ':')
      readValue(b, r, out, readable, path)
      out.push('}')
      return
    }
    case 'record':
    case 'error': {
      out.push('{')
      let first = true
      for (const f of t.fields as avsc.types.Field[]) {
        if (!first) out.push(',')
        first = false
        out.push(quote(f.name), ':')
        readValue(f.type as AnyType, r, out, readable, `${path}.${f.name}`)
      }
      out.push('}')
      return
    }
    default:
      throw new AvroCodecError(`unsupported Avro type ${t.typeName} at ${path}`)
  }
}

/** Readable logical values; returns false to fall back to the raw form (e.g. a date outside years 1-9999). */
function readLogical(
  lt: {name: string; attrs: Record<string, unknown>; under: AnyType},
  r: Reader,
  out: string[],
  path: string,
): boolean {
  const start = r.pos
  const name = lt.name
  let text: string | undefined
  if (name === 'decimal') {
    const b =
      lt.under.typeName === 'fixed'
        ? r.bytes(lt.under.size as number, `fixed decimal at ${path}`)
        : r.bytes(r.size(`decimal length at ${path}`), `decimal at ${path}`)
    text = quote(unscaledToDecimal(twosComplementToBigInt(b), decimalScale(lt.attrs)!))
  } else if (name === 'date') {
    const d = dateText(r.int(`date at ${path}`))
    text = d === undefined ? undefined : quote(d)
  } else if (name === 'time-millis' || name === 'time-micros') {
    const v = name === 'time-millis' ? BigInt(r.int(`time at ${path}`)) : r.long(`time at ${path}`)
    const s = timeOfDayText(v, name === 'time-millis' ? 'millis' : 'micros')
    text = s === undefined ? undefined : quote(s)
  } else if (name.endsWith('-millis') || name.endsWith('-micros')) {
    const micros = name.endsWith('-micros')
    const local = name.startsWith('local-')
    const v = r.long(`timestamp at ${path}`)
    const ms = micros ? v / 1000n - (v % 1000n < 0n ? 1n : 0n) : v
    const frac = micros ? Number(((v % 1000n) + 1000n) % 1000n) : undefined
    const s =
      ms >= BigInt(MIN_READABLE_MS) && ms <= BigInt(MAX_READABLE_MS)
        ? isoFromMillis(Number(ms), frac, !local)
        : undefined
    text = s === undefined ? undefined : quote(s)
  } else {
    return false // uuid: the raw string is already readable
  }
  if (text === undefined) {
    r.pos = start
    return false
  }
  out.push(text)
  return true
}

// ---------- encode (JSON -> binary) ----------

function typeLabel(t: AnyType): string {
  return (t.name as string | undefined) ?? t.typeName
}

function fail(path: string, t: AnyType, v: JsonValue, extra = ''): never {
  throw new AvroCodecError(`${path}: expected ${typeLabel(t)}${extra}, got ${kindOf(v)}`)
}

function specialDouble(v: JsonValue): number | undefined {
  if (v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  return undefined
}

function integerText(v: JsonValue): string | undefined {
  if (v instanceof JsonNumber && v.isInteger()) return v.text
  return undefined
}

function writeValue(t: AnyType, v: JsonValue, w: Writer, readable: boolean, path: string): void {
  if (readable) {
    const lt = logicalOf(t)
    if (lt !== undefined && writeLogical(lt, v, w, path)) return
  }
  if (t instanceof LogicalMarker) t = (t as unknown as {underlyingType: AnyType}).underlyingType
  switch (t.typeName) {
    case 'null':
      if (v !== null) fail(path, t, v)
      return
    case 'boolean':
      if (typeof v !== 'boolean') fail(path, t, v)
      w.byte(v ? 1 : 0)
      return
    case 'int': {
      const s = integerText(v)
      if (s === undefined) fail(path, t, v, ' (a JSON integer)')
      const n = Number(s)
      if (n < -2147483648 || n > 2147483647)
        throw new AvroCodecError(`${path}: ${s} does not fit in an Avro int (32 bits)`)
      w.int(n)
      return
    }
    case 'long': {
      // JSON integers, and (leniently) strings of digits for tools that cannot write big numbers.
      const s = integerText(v) ?? (typeof v === 'string' && /^-?(0|[1-9][0-9]*)$/.test(v) ? v : undefined)
      if (s === undefined) fail(path, t, v, ' (a JSON integer)')
      const n = BigInt(s)
      if (n < -(1n << 63n) || n >= 1n << 63n)
        throw new AvroCodecError(`${path}: ${s} does not fit in an Avro long (64 bits)`)
      w.long(n)
      return
    }
    case 'float':
    case 'double': {
      let d: number | undefined
      if (v instanceof JsonNumber) d = v.toNumber()
      else d = specialDouble(v)
      if (d === undefined) fail(path, t, v, ' (a JSON number, or "NaN", "Infinity", "-Infinity")')
      if (t.typeName === 'float') {
        if (Number.isFinite(d) && !Number.isFinite(Math.fround(d)))
          throw new AvroCodecError(`${path}: ${(v as JsonNumber).text} is too large for an Avro float`)
        w.float(d)
      } else {
        if (v instanceof JsonNumber && !Number.isFinite(d))
          throw new AvroCodecError(`${path}: ${v.text} is too large for an Avro double`)
        w.double(d)
      }
      return
    }
    case 'bytes':
    case 'fixed': {
      if (typeof v !== 'string') fail(path, t, v, ' (a string of characters \\u0000-\\u00FF, one per byte)')
      for (let i = 0; i < v.length; i++) {
        if (v.charCodeAt(i) > 0xff) {
          throw new AvroCodecError(
            `${path}: character U+${v.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} at index ${i} is not a byte: Avro JSON writes ${t.typeName} as characters \\u0000-\\u00FF, one per byte`,
          )
        }
      }
      const b = Buffer.from(v, 'latin1')
      if (t.typeName === 'fixed') {
        if (b.length !== t.size)
          throw new AvroCodecError(`${path}: ${t.name} is fixed(${t.size}) but the string has ${b.length} byte(s)`)
        w.raw(b)
      } else {
        w.long(BigInt(b.length))
        w.raw(b)
      }
      return
    }
    case 'string': {
      if (typeof v !== 'string') fail(path, t, v)
      const b = Buffer.from(v, 'utf8')
      w.long(BigInt(b.length))
      w.raw(b)
      return
    }
    case 'enum': {
      if (typeof v !== 'string') fail(path, t, v, ' (a symbol)')
      const i = (t.symbols as string[]).indexOf(v)
      if (i < 0)
        throw new AvroCodecError(
          `${path}: ${JSON.stringify(v)} is not a symbol of ${t.name} (${(t.symbols as string[]).join(', ')})`,
        )
      w.int(i)
      return
    }
    case 'array': {
      if (!Array.isArray(v)) fail(path, t, v)
      if (v.length > 0) {
        w.long(BigInt(v.length))
        v.forEach((x, k) => writeValue(t.itemsType as AnyType, x, w, readable, `${path}[${k}]`))
      }
      w.byte(0)
      return
    }
    case 'map': {
      if (!(v instanceof Map)) fail(path, t, v)
      if (v.size > 0) {
        w.long(BigInt(v.size))
        for (const [k, x] of v) {
          const kb = Buffer.from(k, 'utf8')
          w.long(BigInt(kb.length))
          w.raw(kb)
          writeValue(t.valuesType as AnyType, x, w, readable, `${path}.${k}`)
        }
      }
      w.byte(0)
      return
    }
    case 'union:wrapped':
    case 'union:unwrapped':
      writeUnion(t, v, w, readable, path)
      return
    case 'record':
    case 'error': {
      if (!(v instanceof Map)) fail(path, t, v)
      const fields = t.fields as avsc.types.Field[]
      const known = new Set(fields.map((f) => f.name))
      for (const k of v.keys()) {
        if (!known.has(k))
          throw new AvroCodecError(
            `${path}: ${t.name} has no field ${JSON.stringify(k)} (fields: ${[...known].join(', ')})`,
          )
      }
      for (const f of fields) {
        const fv = v.get(f.name)
        if (fv === undefined) {
          const def = f.defaultValue() as unknown
          if (def === undefined)
            throw new AvroCodecError(
              `${path}: missing field ${JSON.stringify(f.name)} of ${t.name} (it has no default)`,
            )
          w.raw(f.type.toBuffer(def))
          continue
        }
        writeValue(f.type as AnyType, fv, w, readable, `${path}.${f.name}`)
      }
      return
    }
    default:
      throw new AvroCodecError(`unsupported Avro type ${t.typeName} at ${path}`)
  }
}

function writeUnion(t: AnyType, v: JsonValue, w: Writer, readable: boolean, path: string): void {
  const branches = t.types as AnyType[]
  if (v === null) {
    const i = branches.findIndex((b) => b.typeName === 'null')
    if (i < 0)
      throw new AvroCodecError(
        `${path}: null is not allowed (union of ${branches.map((b) => b.branchName).join(', ')})`,
      )
    w.int(i)
    return
  }
  // Avro's JSON encoding: {"<branch name>": value}; short names of named types are accepted too.
  if (v instanceof Map && v.size === 1) {
    const [key, inner] = v.entries().next().value as [string, JsonValue]
    let i = branches.findIndex((b) => b.branchName === key)
    if (i < 0) {
      const short = branches
        .map((b, j) => ({j, name: (b.branchName as string).split('.').pop()}))
        .filter((x) => x.name === key)
      if (short.length === 1) i = short[0]!.j
    }
    if (i >= 0) {
      w.int(i)
      writeValue(branches[i]!, inner, w, readable, `${path}<${branches[i]!.branchName}>`)
      return
    }
  }
  // Unwrapped: the first non-null branch that can encode the value.
  const errors: string[] = []
  for (let i = 0; i < branches.length; i++) {
    const b = branches[i]!
    if (b.typeName === 'null') continue
    const trial = new Writer()
    try {
      writeValue(b, v, trial, readable, path)
    } catch (err) {
      errors.push(`${b.branchName}: ${(err as Error).message}`)
      continue
    }
    w.int(i)
    w.raw(trial.finish())
    return
  }
  throw new AvroCodecError(
    `${path}: ${kindOf(v)} matches no branch of the union (${branches.map((b) => b.branchName).join(', ')}); write it as {"<branch>": value}` +
      (errors.length > 0 ? ` [${errors.join('; ')}]` : ''),
  )
}

/** Readable input for logical types; returns false when the value is in raw form (then the raw path encodes it). */
function writeLogical(
  lt: {name: string; attrs: Record<string, unknown>; under: AnyType},
  v: JsonValue,
  w: Writer,
  path: string,
): boolean {
  const name = lt.name
  if (name === 'decimal') {
    if (typeof v !== 'string' && !(v instanceof JsonNumber)) return false
    const text = typeof v === 'string' ? v : v.text
    if (/[eE]/.test(text)) throw new AvroCodecError(`${path}: write decimals without an exponent, got ${text}`)
    const unscaled = decimalToUnscaled(text, decimalScale(lt.attrs)!, lt.attrs.precision as number, path)
    if (lt.under.typeName === 'fixed') {
      w.raw(bigIntToTwosComplement(unscaled, lt.under.size as number))
    } else {
      const b = bigIntToTwosComplement(unscaled)
      w.long(BigInt(b.length))
      w.raw(b)
    }
    return true
  }
  if (typeof v !== 'string') return false
  if (name === 'date') {
    w.int(parseDate(v, path))
    return true
  }
  if (name === 'time-millis') {
    w.int(Number(parseTimeOfDay(v, 'millis', path)))
    return true
  }
  if (name === 'time-micros') {
    w.long(parseTimeOfDay(v, 'micros', path))
    return true
  }
  if (name.endsWith('-millis') || name.endsWith('-micros')) {
    // A string of digits is the raw long (lenient input), not a date-time.
    if (/^-?[0-9]+$/.test(v)) return false
    w.long(parseIsoTimestamp(v, name.endsWith('-millis') ? 'millis' : 'micros', name.startsWith('local-'), path))
    return true
  }
  return false
}

export type {JsonObject}
