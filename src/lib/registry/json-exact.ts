// A small JSON parser and writer that never routes numbers through JS doubles: every number keeps its source
// text (JsonNumber), so 64-bit integers and exact decimals survive. Objects are Maps so member order is exactly
// the source order (plain objects would move integer-like keys such as "10" first). Node 20 has no
// JSON.parse source-text access, hence this file.

/** A JSON number as written in the source, e.g. `12345678901234567890` or `-0.0` or `1e400`. */
export class JsonNumber {
  constructor(readonly text: string) {}
  /** The value as a double (may round). */
  toNumber(): number {
    return Number(this.text)
  }
  /** True when the text is an integer literal (no fraction, no exponent). */
  isInteger(): boolean {
    return /^-?(0|[1-9][0-9]*)$/.test(this.text)
  }
  /** The exact integer value; throws when the text has a fraction or an exponent. */
  toBigInt(): bigint {
    if (!this.isInteger()) throw new JsonExactError(`${this.text} is not an integer`)
    return BigInt(this.text)
  }
  toString(): string {
    return this.text
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject
export type JsonObject = Map<string, JsonValue>

export class JsonExactError extends Error {
  override name = 'JsonExactError'
}

const MAX_DEPTH = 512

/** Parses one JSON text (surrounding whitespace allowed). Duplicate object keys are an error. */
export function parseExact(text: string): JsonValue {
  let i = 0
  const n = text.length

  function fail(what: string, at = i): never {
    const shown = at >= n ? 'end of input' : JSON.stringify(text.slice(at, at + 12))
    throw new JsonExactError(`invalid JSON at position ${at}: ${what} (found ${shown})`)
  }
  function ws(): void {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++
      else break
    }
  }
  function str(): string {
    // text[i] === '"'
    i++
    let out = ''
    let start = i
    for (;;) {
      if (i >= n) fail('unterminated string')
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        out += text.slice(start, i)
        i++
        return out
      }
      if (c < 0x20) fail('control character in string')
      if (c === 0x5c) {
        out += text.slice(start, i)
        const e = text[i + 1]
        switch (e) {
          case '"':
            out += '"'
            break
          case '\\':
            out += '\\'
            break
          case '/':
            out += '/'
            break
          case 'b':
            out += '\b'
            break
          case 'f':
            out += '\f'
            break
          case 'n':
            out += '\n'
            break
          case 'r':
            out += '\r'
            break
          case 't':
            out += '\t'
            break
          case 'u': {
            const hex = text.slice(i + 2, i + 6)
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape')
            out += String.fromCharCode(parseInt(hex, 16))
            i += 4
            break
          }
          default:
            fail('bad escape')
        }
        i += 2
        start = i
        continue
      }
      i++
    }
  }
  function num(): JsonNumber {
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
    m.lastIndex = i
    const r = m.exec(text)
    if (!r || r[0] === '' || r[0] === '-') fail('bad number')
    i += r[0].length
    return new JsonNumber(r[0])
  }
  function value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`)
    ws()
    const c = text[i]
    if (c === '"') return str()
    if (c === '{') {
      i++
      const obj: JsonObject = new Map()
      ws()
      if (text[i] === '}') {
        i++
        return obj
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail('expected a string key')
        const keyAt = i
        const k = str()
        if (obj.has(k)) fail(`duplicate key ${JSON.stringify(k)}`, keyAt)
        ws()
        if (text[i] !== ':') fail("expected ':'")
        i++
        obj.set(k, value(depth + 1))
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return obj
        }
        fail("expected ',' or '}'")
      }
    }
    if (c === '[') {
      i++
      const arr: JsonValue[] = []
      ws()
      if (text[i] === ']') {
        i++
        return arr
      }
      for (;;) {
        arr.push(value(depth + 1))
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return arr
        }
        fail("expected ',' or ']'")
      }
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num()
    if (text.startsWith('true', i)) {
      i += 4
      return true
    }
    if (text.startsWith('false', i)) {
      i += 5
      return false
    }
    if (text.startsWith('null', i)) {
      i += 4
      return null
    }
    return fail('expected a value')
  }

  const v = value(0)
  ws()
  if (i < n) fail('unexpected text after the JSON value')
  return v
}

/** JSON string literal (same escaping as JSON.stringify, lone surrogates escaped). */
export function quote(s: string): string {
  return JSON.stringify(s)
}

/** Writes a JsonValue compactly; numbers are written with their exact source text. */
export function stringifyExact(v: JsonValue): string {
  if (v === null) return 'null'
  if (v === true) return 'true'
  if (v === false) return 'false'
  if (typeof v === 'string') return quote(v)
  if (v instanceof JsonNumber) return v.text
  if (Array.isArray(v)) return '[' + v.map(stringifyExact).join(',') + ']'
  let out = '{'
  let first = true
  for (const [k, val] of v) {
    if (!first) out += ','
    first = false
    out += quote(k) + ':' + stringifyExact(val)
  }
  return out + '}'
}

/** Plain JS data (for validators): integers outside the safe range become BigInt, other numbers doubles. */
export function toPlain(v: JsonValue, bigints: 'bigint' | 'number' = 'bigint'): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v
  if (v instanceof JsonNumber) {
    if (bigints === 'bigint' && v.isInteger()) {
      const b = BigInt(v.text)
      if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < BigInt(Number.MIN_SAFE_INTEGER)) return b
    }
    return v.toNumber()
  }
  if (Array.isArray(v)) return v.map((x) => toPlain(x, bigints))
  const o: Record<string, unknown> = {}
  for (const [k, val] of v) {
    Object.defineProperty(o, k, {value: toPlain(val, bigints), enumerable: true, writable: true, configurable: true})
  }
  return o
}

/** A short name for the JSON kind of a value, for error messages. */
export function kindOf(v: JsonValue): string {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return 'a boolean'
  if (typeof v === 'string') return 'a string'
  if (v instanceof JsonNumber) return `the number ${v.text.length > 30 ? v.text.slice(0, 30) + '…' : v.text}`
  if (Array.isArray(v)) return 'an array'
  return 'an object'
}

// ---------- number text (shared by the codecs) ----------

/** A double as JSON text: shortest round-trip form, -0 as -0.0, NaN and the infinities as strings. */
export function doubleText(d: number): string {
  if (Number.isNaN(d)) return '"NaN"'
  if (d === Infinity) return '"Infinity"'
  if (d === -Infinity) return '"-Infinity"'
  if (Object.is(d, -0)) return '-0.0'
  return String(d)
}

/** The shortest decimal that reads back to the same float32 (Java's Float.toString is similarly short). */
export function floatText(f: number): string {
  if (!Number.isFinite(f) || Object.is(f, -0)) return doubleText(f)
  for (let p = 1; p <= 9; p++) {
    const s = String(Number(f.toPrecision(p)))
    if (Math.fround(Number(s)) === f) return s
  }
  return String(f)
}
