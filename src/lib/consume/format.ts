// How each consumed record is written: JSON lines (the default on pipes, produce's envelope input), bare values,
// a format string, or a readable view for people on a terminal. Formatters write bytes into the output batch straight
// from the packed record; only terminal output, which must be made safe as text, goes through strings.
import {isUtf8} from 'node:buffer'

import {usageError} from '../errors.js'
import type {DecodedMember} from '../records/envelope.js'
import {type Decoded, LineStarts, headersJson, writeEnvelope} from '../records/envelope-writer.js'
import type {PackedBatch, RecordCursor} from '../records/packed.js'
import type {ChalkInstance} from 'chalk'

import {escapeAt} from '../records/escapes.js'
import {isJson} from '../records/json-validate.js'
import {viewJson, viewJsonInline} from '../terminal/json-view.js'
import {outColours, terminalSafe} from '../terminal/output.js'
import {OutputBatch} from '../terminal/stdout-writer.js'

export type OutputMode = 'auto' | 'json' | 'value' | 'pretty'
export const outputModes: OutputMode[] = ['auto', 'json', 'value', 'pretty']

export interface Formatter {
  /** Called once per batch, before its records. */
  startBatch(batch: PackedBatch): void
  /** Writes one record, with its line ending when the mode has one; `decoded`: through a schema registry. */
  write(c: RecordCursor, out: OutputBatch, decoded?: Decoded): void
  /** Writes JSON lines, which use the records' JSON flags where the source sets them. */
  readonly jsonLines?: boolean
}

const NEWLINE = 0x0a

/** A key or value as text: its JSON when decoded through a registry, UTF-8 as it is, else base64; null as nothing. */
function text(bytes: Buffer | null, decoded?: DecodedMember): string {
  if (decoded !== undefined) return decoded.json
  if (bytes === null) return ''
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('base64')
}

type Field = (c: RecordCursor, decoded?: Decoded) => string
type Part = string | Field

/**
 * Compiles a format string: %t topic, %p partition, %o offset, %k key, %v value, %h headers (JSON), %T timestamp,
 * %% and \n \t escapes. Returns the text of one record.
 */
export function compileFormat(format: string): Field {
  const parts: Part[] = []
  let literal = ''
  const field: Record<string, Field> = {
    t: (c) => c.topic,
    p: (c) => String(c.partition),
    o: (c) => String(c.offset),
    k: (c, decoded) => text(c.key(), decoded?.key),
    v: (c, decoded) => text(c.value(), decoded?.value),
    h: (c) => headersJson(c),
    T: (c) => (c.timestamp < 0 ? '' : String(c.timestamp)),
  }
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]
    const escape = escapeAt(format, i)
    if (escape) {
      literal += escape.value
      i += escape.length - 1
      continue
    }
    if (ch !== '%') {
      literal += ch
      continue
    }
    const d = format[++i]
    if (d === '%') {
      literal += '%'
      continue
    }
    if (d === undefined || !(d in field))
      throw usageError(`--format: unknown directive %${d ?? ''}`, 'Known: %t %p %o %k %v %h %T %%')
    if (literal) parts.push(literal)
    literal = ''
    parts.push(field[d])
  }
  if (literal) parts.push(literal)
  return (c, decoded) => {
    let out = ''
    for (const part of parts) out += typeof part === 'string' ? part : part(c, decoded)
    return out
  }
}

// Below here: the view for people. Markers in angle brackets cannot be mistaken for JSON or for text in colour.
const longest = 40

function cut(text: string): string {
  return text.length > longest ? `${text.slice(0, longest - 1)}…` : text
}

/** A key or value for people: JSON indented and coloured, tombstones, empty and binary values marked. */
function memberView(bytes: Buffer | null, decoded: DecodedMember | undefined, colours: ChalkInstance, inline: boolean) {
  const json = (text: string) => (inline ? viewJsonInline(cut(text), colours) : viewJson(text, colours))
  if (decoded !== undefined) return json(decoded.json)
  if (bytes === null) return colours.red.bold('<tombstone>')
  if (bytes.length === 0) return colours.yellow('<empty>')
  if (!isUtf8(bytes)) {
    const base64 = bytes.toString('base64')
    return `${colours.magenta(`<binary, ${bytes.length} byte${bytes.length === 1 ? '' : 's'}, base64>`)} ${inline ? cut(base64) : base64}`
  }
  if (isJson(bytes)) return json(bytes.toString('utf8'))
  const text = terminalSafe(bytes.toString('utf8'))
  return inline ? cut(text) : text
}

/** `source=import trace=<binary, 2 bytes, base64> AP8=` */
function headersView(c: RecordCursor): string {
  const headers = JSON.parse(headersJson(c)) as Array<{key: string; value: string | null; encoding?: string}>
  return headers
    .map((h) => {
      const value = h.value === null ? '<null>' : h.encoding === 'base64' ? `<base64>${h.value}` : h.value
      return `${h.key}=${value}`
    })
    .join(' ')
}

/**
 * One dimmed line (where the record is, when it was written), the key and headers kept short, then the value: JSON
 * indented and coloured as jq -C shows it, big integers untouched.
 */
function pretty(c: RecordCursor, decoded?: Decoded): string {
  const colours = outColours()
  const time = c.timestamp > 0 ? ` ${new Date(c.timestamp).toISOString()}` : ''
  let head = colours.dim(`${c.topic}[${c.partition}]@${c.offset}${time}`)
  if (c.keyLength >= 0 || decoded?.key !== undefined)
    head += ` ${colours.dim('key')} ${memberView(c.key(), decoded?.key, colours, true)}`
  if (c.headersLength > 4) head += ` ${colours.dim(terminalSafe(cut(headersView(c))))}`
  return `${head}\n${memberView(c.value(), decoded?.value, colours, false)}`
}

/** A formatter from a function that makes the record's text (with its line ending). */
function textFormatter(make: Field): Formatter {
  return {startBatch: () => {}, write: (c, out, decoded) => out.text(make(c, decoded))}
}

export function formatterFor(mode: OutputMode, format: string | undefined, stdoutIsTerminal: boolean): Formatter {
  if (format !== undefined) {
    const compiled = compileFormat(format)
    return textFormatter(stdoutIsTerminal ? (c, decoded) => terminalSafe(compiled(c, decoded)) : compiled)
  }
  const effective = mode === 'auto' ? (stdoutIsTerminal ? 'pretty' : 'json') : mode
  if (effective === 'pretty') return textFormatter((c, decoded) => `${pretty(c, decoded)}\n`)
  if (effective === 'value') {
    if (stdoutIsTerminal) return textFormatter((c, decoded) => `${terminalSafe(text(c.value(), decoded?.value))}\n`)
    return {
      startBatch: () => {},
      write: (c, out, decoded) => {
        if (decoded?.value) out.text(decoded.value.json)
        else if (c.valueLength > 0) out.bytes(c.buffer, c.valueStart, c.valueStart + c.valueLength)
        out.byte(NEWLINE)
      },
    }
  }
  let starts = new LineStarts([])
  if (stdoutIsTerminal) {
    // JSON escapes C0 controls itself; DEL, C1 and bidi controls can still stand raw inside its strings.
    const line = new OutputBatch(1024)
    return {
      startBatch: (batch) => (starts = LineStarts.of(batch)),
      write: (c, out, decoded) => {
        writeEnvelope(line, c, starts, decoded)
        out.text(`${terminalSafe(line.buffer.toString('utf8', 0, line.length))}\n`)
        line.clear()
      },
      jsonLines: true,
    }
  }
  return {
    startBatch: (batch) => (starts = LineStarts.of(batch)),
    write: (c, out, decoded) => {
      writeEnvelope(out, c, starts, decoded)
      out.byte(NEWLINE)
    },
    jsonLines: true,
  }
}
