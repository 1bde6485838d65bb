// JSON for people, as `jq -C` shows it: indented, keys blue, strings green, null grey, brackets bold. It works on the
// text itself, token by token, so numbers keep their digits (12345678901234567890 stays exact) and keys their order.
import type {ChalkInstance} from 'chalk'

import {terminalSafe} from './output.js'

const space = new Set([' ', '\t', '\n', '\r'])

function skipSpace(text: string, i: number): number {
  while (i < text.length && space.has(text[i])) i++
  return i
}

/** The end (exclusive) of the JSON string starting at i (a quote). */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++
    else if (text[j] === '"') return j + 1
  }
  return text.length
}

/** The end of a number or literal (true, false, null) starting at i. */
function scalarEnd(text: string, i: number): number {
  let j = i
  while (j < text.length && !space.has(text[j]) && !',:]}'.includes(text[j])) j++
  return j
}

/** Indents and colours one JSON text, known to be valid. Text from a message is made terminal-safe. */
export function viewJson(text: string, c: ChalkInstance, indent = '  '): string {
  let out = ''
  let depth = 0
  const newline = () => `\n${indent.repeat(depth)}`
  for (let i = skipSpace(text, 0); i < text.length; i = skipSpace(text, i)) {
    const ch = text[i]
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']'
      const next = skipSpace(text, i + 1)
      if (text[next] === close) {
        out += c.bold(ch + close)
        i = next + 1
        continue
      }
      depth++
      out += c.bold(ch) + newline()
      i++
    } else if (ch === '}' || ch === ']') {
      depth--
      out += newline() + c.bold(ch)
      i++
    } else if (ch === ',') {
      out += c.bold(',') + newline()
      i++
    } else if (ch === ':') {
      out += c.bold(':') + ' '
      i++
    } else if (ch === '"') {
      const end = stringEnd(text, i)
      const token = terminalSafe(text.slice(i, end))
      out += text[skipSpace(text, end)] === ':' ? c.blue.bold(token) : c.green(token)
      i = end
    } else {
      const end = Math.max(scalarEnd(text, i), i + 1)
      const token = terminalSafe(text.slice(i, end))
      out += token === 'null' ? c.gray(token) : token
      i = end
    }
  }
  return out
}

/** JSON on one line, coloured the same way (for keys and headers in a header line). */
export function viewJsonInline(text: string, c: ChalkInstance): string {
  return viewJson(text, c, '')
    .replace(/\n/g, '')
    .replace(/(\u001b\[[0-9;]*m)?,(\u001b\[[0-9;]*m)?/g, (m) => `${m} `)
}
