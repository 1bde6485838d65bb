// Where human text goes and how it looks: stderr for everything but data, colour only on a terminal and never under
// NO_COLOR.
import {Chalk, type ChalkInstance} from 'chalk'

import {isTerminal} from './descriptors.js'

function colourLevel(fd: number): 0 | 1 | 2 | 3 {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return 0
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return 1
  if (!isTerminal(fd) || process.env.TERM === 'dumb') return 0
  return 1
}

let stdoutChalk: ChalkInstance | undefined
let stderrChalk: ChalkInstance | undefined

/** Colours for text written to stdout (tables a person reads). */
export function outColours(): ChalkInstance {
  stdoutChalk ??= new Chalk({level: colourLevel(1)})
  return stdoutChalk
}

/** Colours for text written to stderr (summaries, warnings). */
export function errColours(): ChalkInstance {
  stderrChalk ??= new Chalk({level: colourLevel(2)})
  return stderrChalk
}

/** stderr is a terminal where a spinner can redraw. */
export function isInteractive(): boolean {
  return isTerminal(2) && process.env.TERM !== 'dumb' && !process.env.CI
}

let quiet = false
export function setQuiet(value: boolean): void {
  quiet = value
}

/** A status line for people: stderr, suppressed by -q. */
export function info(message: string): void {
  if (!quiet) process.stderr.write(`${message}\n`)
}

export function warn(message: string): void {
  process.stderr.write(`${errColours().yellow('warning:')} ${terminalSafe(message)}\n`)
}

/** Replaces control and escape characters so text from a message cannot drive the terminal. */
export function terminalSafe(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** Renders rows as aligned columns; the first row is the header. */
export function renderTable(rows: string[][], options: {header?: boolean} = {}): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))))
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell))))
      .join('  ')
      .trimEnd(),
  )
  if (options.header !== false && lines.length > 0) lines[0] = outColours().bold(lines[0])
  return lines.join('\n')
}

function visibleLength(text: string): number {
  return text.replace(/\u001B\[[0-9;]*m/g, '').length
}
