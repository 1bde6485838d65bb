// Turns one input line into the message to produce, for each input mode. Pure: no Kafka here.
import {isUtf8} from 'node:buffer'

import {sourceAtPath} from '../records/json-spans.js'
import {isJson} from '../records/json-validate.js'
import {type EnvelopeRecord, InputError, type KafkaHeader, parseEnvelope} from '../records/envelope.js'

export type InputMode = 'json' | 'envelope' | 'raw'
export const inputModes: InputMode[] = ['json', 'envelope', 'raw']

export interface InputOptions {
  mode: InputMode
  /** The same key for every message. */
  key?: string
  /** A dotted path into the JSON value whose content becomes the key. */
  keyField?: string[]
  /** kcat's -K: split `key<delimiter>value`. */
  keyDelimiter?: string
  /** Headers added to every message. */
  headers: KafkaHeader[]
  /** An empty line is a tombstone instead of being skipped. */
  emptyAsNull: boolean
  /** Checks each JSON value (produce --schema); returns the reason it is invalid. */
  checkValue?: (value: unknown) => string | undefined
}

/** undefined means the line is deliberately skipped (blank). */
export type BuiltMessage = EnvelopeRecord | undefined

/** True when data[start, end) holds only spaces and tabs. */
export function isBlank(data: Buffer, start = 0, end = data.length): boolean {
  for (let i = start; i < end; i++) {
    const c = data[i]
    if (c !== 0x20 && c !== 0x09) return false
  }
  return true
}

export const oneValuePerLine = 'input must be one JSON value per line (pretty-printed JSON? try `jq -c`)'

/**
 * True when a line looks like part of a JSON value spread over several lines: an object or array it does not close, a
 * lone closing bracket, or an object member (`"id": 1,`).
 */
export function looksSpreadOverLines(text: string): boolean {
  const t = text.trim()
  if (/^[}\]],?$/.test(t) || /^"(?:[^"\\]|\\.)*"\s*:/.test(t)) return true
  if (!/^[{[]/.test(t)) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < t.length; i++) {
    const c = t[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') depth--
  }
  return depth > 0
}

/** Why bytes that failed the JSON check are not a JSON value, in words (JSON.parse runs only for this). */
export function explainInvalidJson(bytes: Buffer): string {
  if (!isUtf8(bytes)) return 'the value is not valid UTF-8'
  const text = bytes.toString('utf8')
  if (looksSpreadOverLines(text)) return `the value is not a whole JSON value: ${oneValuePerLine}`
  try {
    JSON.parse(text)
  } catch (error) {
    return `the value is not valid JSON (${shorten((error as Error).message)})`
  }
  return 'the value is not valid JSON'
}

function textOf(bytes: Buffer, what: string): string {
  if (!isUtf8(bytes)) throw new InputError(`${what} is not valid UTF-8`)
  return bytes.toString('utf8')
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputError(`${what} is not valid JSON (${shorten((error as Error).message)})`)
  }
}

// V8's messages quote the input; a long line must not turn into a long error.
function shorten(message: string): string {
  return message.length > 120 ? `${message.slice(0, 117)}...` : message
}

function checkAgainstSchema(value: unknown, options: InputOptions): void {
  const reason = options.checkValue?.(value)
  if (reason !== undefined) throw new InputError(`the value ${reason}`)
}

function keyFromField(valueText: string, path: string[]): Buffer | null {
  const source = sourceAtPath(valueText, path)
  if (source === undefined) throw new InputError(`the value has no field "${path.join('.')}" for the key`)
  // JSON null is no key (as null is in an envelope), not the four bytes `null`.
  if (source === 'null') return null
  // A string field gives its text; numbers and objects give their exact source text.
  return Buffer.from(source.startsWith('"') ? (JSON.parse(source) as string) : source, 'utf8')
}

export function buildMessage(line: Buffer, options: InputOptions): BuiltMessage {
  if (line.length === 0 || (options.mode !== 'raw' && isBlank(line))) {
    return options.emptyAsNull
      ? {key: options.key === undefined ? null : Buffer.from(options.key), value: null, headers: options.headers}
      : undefined
  }

  if (options.mode === 'envelope') {
    const text = textOf(line, 'the line')
    let record
    try {
      record = parseEnvelope(text)
    } catch (error) {
      if (error instanceof InputError && looksSpreadOverLines(text))
        throw new InputError(`the line is not a whole JSON value: ${oneValuePerLine}`)
      throw error
    }
    if (options.checkValue && record.value !== null)
      checkAgainstSchema(parseJson(textOf(record.value, 'the value'), 'the value'), options)
    if (options.headers.length > 0) record.headers = [...options.headers, ...record.headers]
    if (options.key !== undefined && record.key === null) record.key = Buffer.from(options.key)
    return record
  }

  let key: Buffer | null = options.key === undefined ? null : Buffer.from(options.key)
  let value = line
  if (options.keyDelimiter !== undefined) {
    const at = line.indexOf(options.keyDelimiter)
    if (at === -1) throw new InputError(`no key delimiter ${JSON.stringify(options.keyDelimiter)} in the line`)
    key = line.subarray(0, at)
    value = line.subarray(at + Buffer.byteLength(options.keyDelimiter))
  }

  if (options.mode === 'json') {
    if (!options.checkValue && !options.keyField) {
      // Validate without building objects (UTF-8 included); JSON.parse runs only to explain a bad line.
      if (!isJson(value)) throw new InputError(explainInvalidJson(value))
      return {key, value, headers: options.headers}
    }
    const text = textOf(value, 'the value')
    let parsed
    try {
      parsed = parseJson(text, 'the value')
    } catch (error) {
      if (looksSpreadOverLines(text)) throw new InputError(`the value is not a whole JSON value: ${oneValuePerLine}`)
      throw error
    }
    if (options.checkValue) checkAgainstSchema(parsed, options)
    if (options.keyField) key = keyFromField(text, options.keyField)
  }
  return {key, value, headers: options.headers}
}

/** Parses `name=value` or `name:value` header flags (kcat and rpk spellings). */
export function parseHeaderFlag(text: string): KafkaHeader {
  const eq = text.indexOf('=')
  const colon = text.indexOf(':')
  const at = eq === -1 ? colon : colon === -1 ? eq : Math.min(eq, colon)
  if (at <= 0) throw new InputError(`header "${text}" must be name=value or name:value`)
  return {key: Buffer.from(text.slice(0, at), 'utf8'), value: Buffer.from(text.slice(at + 1), 'utf8')}
}
