// Pure rules of `kcli group reset-offsets`: which target and which partitions the flags ask for, and the plan (each
// partition's committed offset and the offset it moves to). Nothing here talks to Kafka; the cluster's answers come in.
import {requireDuration} from '../time/duration.js'
import {usageError} from '../errors.js'
import {tpKey} from '../kafka/offsets.js'
import type {PartitionWatermarks} from './lag.js'
import {parseIsoTime} from '../time/iso-time.js'

/**
 * Where the offsets move to. `time` covers both --to-datetime and --by-duration: the first offset at or after
 * `timestamp`.
 */
export type ResetTarget =
  | {kind: 'earliest'}
  | {kind: 'latest'}
  | {kind: 'offset'; offset: number}
  | {kind: 'time'; timestamp: number}
  | {kind: 'shift'; by: number}

export interface TargetFlags {
  'to-earliest'?: boolean
  'to-latest'?: boolean
  'to-offset'?: number
  'to-datetime'?: string
  'by-duration'?: string
  'shift-by'?: string
}

export const targetFlagNames = [
  'to-earliest',
  'to-latest',
  'to-offset',
  'to-datetime',
  'by-duration',
  'shift-by',
] as const

/** The one target the flags name; none or several is a usage error. */
export function parseResetTarget(flags: TargetFlags, now: number = Date.now()): ResetTarget {
  const given = targetFlagNames.filter((name) => flags[name] !== undefined && flags[name] !== false)
  if (given.length === 0) {
    throw usageError(
      'say where to move the offsets',
      'Use one of --to-earliest, --to-latest, --to-offset N, --to-datetime <ISO 8601>, --by-duration <1h>, --shift-by <±N>.',
    )
  }
  if (given.length > 1)
    throw usageError(`--${given[0]} and --${given[1]} cannot be used together`, 'Give exactly one reset target.')
  switch (given[0]) {
    case 'to-earliest':
      return {kind: 'earliest'}
    case 'to-latest':
      return {kind: 'latest'}
    case 'to-offset':
      return {kind: 'offset', offset: flags['to-offset'] as number}
    case 'shift-by': {
      const text = (flags['shift-by'] as string).trim()
      if (!/^[+-]?\d+$/.test(text))
        throw usageError(
          `--shift-by: "${text}" is not a whole number`,
          'For example: --shift-by -100 or --shift-by +10.',
        )
      return {kind: 'shift', by: Number(text)}
    }
    case 'to-datetime': {
      const text = flags['to-datetime'] as string
      const timestamp = parseIsoTime(text)
      if (timestamp === undefined)
        throw usageError(
          `--to-datetime: "${text}" is not an ISO 8601 date-time`,
          'For example: 2026-01-31T12:00:00Z, 2026-01-31T12:00:00+01:00, or 2026-01-31 (local time).',
        )
      return {kind: 'time', timestamp}
    }
    case 'by-duration': {
      const text = flags['by-duration'] as string
      return {kind: 'time', timestamp: now - requireDuration(text, '--by-duration', {wait: false})}
    }
  }
}

/** One `--topic` value: a topic, and optionally the partitions to reset (`orders:0,1`). */
export interface TopicScope {
  topic: string
  /** Undefined: every partition of the topic. */
  partitions?: number[]
}

/** Parses `--topic` values; the same topic given twice is merged, and a topic given whole stays whole. */
export function parseTopicScopes(values: string[]): TopicScope[] {
  const scopes = new Map<string, TopicScope>()
  for (const value of values) {
    // Topic names cannot contain ':', so the first one separates the partitions.
    const at = value.indexOf(':')
    const topic = at === -1 ? value : value.slice(0, at)
    if (topic === '') throw usageError(`--topic "${value}": no topic name`, 'Use --topic orders or --topic orders:0,1.')
    let partitions: number[] | undefined
    if (at !== -1) {
      const list = value
        .slice(at + 1)
        .split(',')
        .map((p) => p.trim())
      if (list.some((p) => !/^\d+$/.test(p)))
        throw usageError(
          `--topic "${value}": partitions must be a comma-separated list of numbers`,
          'Use --topic orders or --topic orders:0,1.',
        )
      partitions = list.map(Number)
    }
    const known = scopes.get(topic)
    if (known === undefined) scopes.set(topic, {topic, partitions})
    else if (known.partitions === undefined || partitions === undefined) known.partitions = undefined
    else known.partitions = [...new Set([...known.partitions, ...partitions])]
  }
  return [...scopes.values()].map((s) =>
    s.partitions ? {topic: s.topic, partitions: [...s.partitions].sort((a, b) => a - b)} : s,
  )
}

export interface ResetInput {
  target: ResetTarget
  /** The partitions to reset. */
  partitions: Array<{topic: string; partition: number}>
  /** The group's committed offsets by `tpKey`; partitions with nothing committed have no entry. */
  committed: Map<string, number>
  /** Log start and end offsets by `tpKey`; every partition to reset needs one. */
  watermarks: Map<string, PartitionWatermarks>
  /** For a `time` target: the first offset at or after the time, by `tpKey` (the log end offset when there is none). */
  timeOffsets?: Map<string, number>
}

export interface ResetRow {
  topic: string
  partition: number
  /** The committed offset now; null when nothing is committed. */
  committed: number | null
  newOffset: number
  logStart: number
  logEnd: number
  /** Set when the target was outside the log and the new offset was moved to its start or end. */
  clamped: 'logStart' | 'logEnd' | null
}

/**
 * The new offset of every partition, sorted by topic and partition. As kafka-consumer-groups does, a target outside
 * [logStart, logEnd] is moved to the nearest end (and flagged), and --shift-by needs a committed offset to shift.
 */
export function planReset(input: ResetInput): ResetRow[] {
  const sorted = [...input.partitions].sort((a, b) =>
    a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition,
  )
  if (input.target.kind === 'shift') {
    const uncommitted = sorted.filter((p) => !input.committed.has(tpKey(p.topic, p.partition)))
    if (uncommitted.length > 0) {
      const names =
        uncommitted
          .slice(0, 5)
          .map((p) => `${p.topic}[${p.partition}]`)
          .join(', ') + (uncommitted.length > 5 ? `, and ${uncommitted.length - 5} more` : '')
      throw usageError(
        `--shift-by needs a committed offset to shift, and the group has none on ${names}`,
        'Narrow the partitions with --topic topic:0,1, or move them with another target first.',
      )
    }
  }
  return sorted.map(({topic, partition}) => {
    const key = tpKey(topic, partition)
    const marks = input.watermarks.get(key)
    if (!marks) throw new Error(`no log offsets for ${topic}[${partition}]`)
    const committed = input.committed.get(key) ?? null
    const wanted = targetOffset(input.target, committed, marks, input.timeOffsets?.get(key))
    const newOffset = Math.min(Math.max(wanted, marks.logStart), marks.logEnd)
    const clamped = wanted < marks.logStart ? 'logStart' : wanted > marks.logEnd ? 'logEnd' : null
    return {topic, partition, committed, newOffset, logStart: marks.logStart, logEnd: marks.logEnd, clamped}
  })
}

function targetOffset(
  target: ResetTarget,
  committed: number | null,
  marks: PartitionWatermarks,
  timeOffset: number | undefined,
): number {
  switch (target.kind) {
    case 'earliest':
      return marks.logStart
    case 'latest':
      return marks.logEnd
    case 'offset':
      return target.offset
    case 'shift':
      return (committed as number) + target.by
    case 'time':
      // No record at or after the time: the end, as Kafka does.
      return timeOffset === undefined || timeOffset < 0 ? marks.logEnd : timeOffset
  }
}

/** Partitions whose target was out of range, for one warning line. */
export function clampedSummary(rows: ResetRow[]): string | undefined {
  const low = rows.filter((r) => r.clamped === 'logStart').length
  const high = rows.filter((r) => r.clamped === 'logEnd').length
  if (low + high === 0) return undefined
  const parts: string[] = []
  if (low > 0) parts.push(`${low} partition${low === 1 ? '' : 's'} moved up to the log start offset`)
  if (high > 0) parts.push(`${high} partition${high === 1 ? '' : 's'} moved down to the log end offset`)
  return `the target is outside the log on ${low + high} partition${low + high === 1 ? '' : 's'}: ${parts.join(', ')}`
}
