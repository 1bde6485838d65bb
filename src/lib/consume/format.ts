// How each consumed message is printed: JSON lines (the default on pipes, produce's envelope input), bare values,
// a format string, or a readable view for people on a terminal.
import {isUtf8} from 'node:buffer'

import {usageError} from '../errors.js'
import {outColours, terminalSafe} from '../terminal/output.js'
import {type ConsumedMessage, type DecodedMember, headersJson, toJsonLine} from '../records/envelope.js'

export type OutputMode = 'auto' | 'json' | 'value' | 'pretty'
export const outputModes: OutputMode[] = ['auto', 'json', 'value', 'pretty']

export type Formatter = (message: ConsumedMessage) => string | Buffer

function text(bytes: Buffer | string | null | undefined, decoded?: DecodedMember): string {
  // Decoded through a schema registry: its JSON text.
  if (decoded !== undefined) return decoded.json
  if (bytes === null || bytes === undefined) return ''
  if (typeof bytes === 'string') return bytes
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('base64')
}

/**
 * Compiles a format string: %t topic, %p partition, %o offset, %k key, %v value, %h headers (JSON), %T timestamp, %%
 * and \n \t escapes.
 */
export function compileFormat(format: string): Formatter {
  const parts: Array<string | ((m: ConsumedMessage) => string)> = []
  let literal = ''
  for (let i = 0; i < format.length; i++) {
    const c = format[i]
    if (c === '\\' && i + 1 < format.length) {
      const e = format[++i]
      literal += e === 'n' ? '\n' : e === 't' ? '\t' : e === '\\' ? '\\' : `\\${e}`
      continue
    }
    if (c !== '%') {
      literal += c
      continue
    }
    const d = format[++i]
    const field: Record<string, (m: ConsumedMessage) => string> = {
      t: (m) => m.topic,
      p: (m) => String(m.partition),
      o: (m) => String(m.offset),
      k: (m) => text(m.key, m.decodedKey),
      v: (m) => text(m.value, m.decodedValue),
      h: (m) => headersJson(m.headers),
      T: (m) => String(m.timestamp ?? ''),
    }
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
  return (m) => {
    let out = ''
    for (const part of parts) out += typeof part === 'string' ? part : part(m)
    return out
  }
}

function pretty(message: ConsumedMessage): string {
  const c = outColours()
  const meta = `${message.topic}[${message.partition}]@${message.offset}`
  const time = message.timestamp && message.timestamp > 0 ? new Date(message.timestamp).toISOString() : ''
  const key =
    message.key === null || message.key === undefined
      ? ''
      : ` key=${terminalSafe(text(message.key, message.decodedKey))}`
  const headers =
    message.headers && message.headers.length > 0 ? ` headers=${terminalSafe(headersJson(message.headers))}` : ''
  const value =
    message.value === null ? c.italic('(tombstone)') : terminalSafe(text(message.value, message.decodedValue))
  return `${c.dim(`${meta} ${time}${key}${headers}`)}\n${value}`
}

export function formatterFor(mode: OutputMode, format: string | undefined, stdoutIsTerminal: boolean): Formatter {
  if (format !== undefined) {
    const compiled = compileFormat(format)
    return stdoutIsTerminal ? (m) => terminalSafe(compiled(m) as string) : compiled
  }
  const effective = mode === 'auto' ? (stdoutIsTerminal ? 'pretty' : 'json') : mode
  if (effective === 'pretty') return pretty
  if (effective === 'value')
    return stdoutIsTerminal
      ? (m) => terminalSafe(text(m.value, m.decodedValue))
      : (m) => m.decodedValue?.json ?? m.value ?? ''
  // JSON already escapes C0 controls; DEL, C1 and bidi controls can still be raw inside its strings.
  return stdoutIsTerminal ? (m) => terminalSafe(toJsonLine(m)) : toJsonLine
}
