// Parses where consuming starts and stops (`--offset`), and resolves that to offsets per partition. Pure.
//
//   beginning | start | oldest      first offset still in the log
//   end | newest                    only messages produced from now on
//   N                               exactly offset N
//   -N                              N messages before the end
//   +N                              N messages after the beginning
//   @<ms> | @<ISO 8601> | @-1h      first message at or after a time (absolute, or relative to now)
//   <start>:<stop>                  a range; stop is `end` (the end when consuming started), an offset N (exclusive),
//                                   +N (N messages after the start), or a time (@t: messages before t)
import {parseDuration} from '../time/duration.js'
import {usageError} from '../errors.js'
import {parseIsoTime} from '../time/iso-time.js'

export type StartSpec =
  | {kind: 'beginning'}
  | {kind: 'end'}
  | {kind: 'offset'; offset: number}
  | {kind: 'fromEnd'; count: number}
  | {kind: 'fromBeginning'; count: number}
  | {kind: 'time'; ms: number}

export type StopSpec =
  {kind: 'end'} | {kind: 'offset'; offset: number} | {kind: 'count'; count: number} | {kind: 'time'; ms: number}

export interface OffsetRange {
  start: StartSpec
  stop?: StopSpec
}

function parseTime(text: string, now: number, flag: string): number {
  if (/^-\d/.test(text)) {
    const ms = parseDuration(text.slice(1))
    if (ms !== undefined) return now - ms
  }
  if (/^\d+$/.test(text)) return Number(text)
  // The same reading of dates as `group reset-offsets --to-datetime`: a date alone is local midnight.
  const parsed = parseIsoTime(text)
  if (parsed !== undefined) return parsed
  throw usageError(
    `${flag}: "@${text}" is not a time`,
    'Use milliseconds since the epoch, an ISO 8601 date such as @2026-01-31T12:00:00Z, or a relative time such as @-1h.',
  )
}

function parseStart(text: string, now: number, flag: string): StartSpec {
  if (['beginning', 'start', 'oldest', 'earliest'].includes(text)) return {kind: 'beginning'}
  if (['end', 'newest', 'latest'].includes(text)) return {kind: 'end'}
  if (/^\d+$/.test(text)) return {kind: 'offset', offset: Number(text)}
  if (/^-\d+$/.test(text)) return {kind: 'fromEnd', count: Number(text.slice(1))}
  if (/^\+\d+$/.test(text)) return {kind: 'fromBeginning', count: Number(text.slice(1))}
  if (text.startsWith('@')) return {kind: 'time', ms: parseTime(text.slice(1), now, flag)}
  throw usageError(
    `${flag}: "${text}" is not an offset`,
    'Use beginning, end, N, -N, +N, @<time>, or a range such as beginning:end.',
  )
}

function parseStop(text: string, now: number, flag: string): StopSpec {
  if (text === 'end') return {kind: 'end'}
  if (/^\d+$/.test(text)) return {kind: 'offset', offset: Number(text)}
  if (/^\+\d+$/.test(text)) return {kind: 'count', count: Number(text.slice(1))}
  if (text.startsWith('@')) return {kind: 'time', ms: parseTime(text.slice(1), now, flag)}
  throw usageError(`${flag}: "${text}" is not a stop offset`, 'After ":" use end, an offset N, +N, or @<time>.')
}

export function parseOffsetRange(text: string, now: number = Date.now(), flag = '--offset'): OffsetRange {
  const at = findRangeColon(text)
  if (at === -1) return {start: parseStart(text, now, flag)}
  const startText = text.slice(0, at)
  const range: OffsetRange = {
    start: startText === '' ? {kind: 'beginning'} : parseStart(startText, now, flag),
    stop: parseStop(text.slice(at + 1), now, flag),
  }
  checkNotEmpty(range, text, flag)
  return range
}

/** A range whose stop is not after its start holds nothing: say so rather than read nothing (or wait forever). */
function checkNotEmpty({start, stop}: OffsetRange, text: string, flag: string): void {
  const empty =
    (start.kind === 'offset' && stop?.kind === 'offset' && stop.offset <= start.offset) ||
    (start.kind === 'time' && stop?.kind === 'time' && stop.ms <= start.ms) ||
    (stop?.kind === 'count' && stop.count === 0)
  if (empty)
    throw usageError(
      `${flag} ${text}: the range is empty (its stop is not after its start)`,
      'The stop is exclusive: 3:5 reads offsets 3 and 4.',
    )
}

/** The colon that separates start and stop: the first one not inside an ISO time (digits on both sides). */
function findRangeColon(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ':') continue
    const insideTime =
      /\d/.test(text[i - 1] ?? '') &&
      /\d/.test(text[i + 1] ?? '') &&
      text.lastIndexOf('@', i) !== -1 &&
      /T|\s/.test(text.slice(text.lastIndexOf('@', i), i))
    if (!insideTime) return i
  }
  return -1
}

export interface PartitionBounds {
  low: number
  high: number
}

/**
 * The first offset to read in a partition, for specs that need no broker lookup (time specs are resolved elsewhere).
 */
export function startOffset(spec: StartSpec, bounds: PartitionBounds, timeOffset?: number): number {
  switch (spec.kind) {
    case 'beginning':
      return bounds.low
    case 'end':
      return bounds.high
    case 'offset':
      return Math.min(Math.max(spec.offset, bounds.low), bounds.high)
    case 'fromEnd':
      return Math.max(bounds.low, bounds.high - spec.count)
    case 'fromBeginning':
      return Math.min(bounds.high, bounds.low + spec.count)
    case 'time':
      return timeOffset ?? bounds.high
  }
}

/**
 * The offset to stop before in a partition (exclusive), or undefined to read on; time stops are also checked per
 * message.
 */
export function stopOffset(spec: StopSpec | undefined, start: number, bounds: PartitionBounds): number | undefined {
  if (!spec) return undefined
  switch (spec.kind) {
    case 'end':
      return bounds.high
    // A range is history: it ends at its stop or at the end the partition had when consuming started, whichever is
    // first, so a partition that holds less than the range (or nothing) does not wait for messages.
    case 'offset':
      return Math.min(spec.offset, bounds.high)
    case 'count':
      return Math.min(start + spec.count, bounds.high)
    case 'time':
      // Messages after the stop time are cut by their timestamp.
      return bounds.high
  }
}
