// What a perf run is asked to do, from its flags: how many messages or for how long, at what rate, how large. Every
// contradiction is a one-line usage error (exit 2) before anything connects.
import {usageError} from '../errors.js'
import {requireDuration} from '../time/duration.js'

export type Rate = number | 'max'

export interface PerfPlan {
  /** Messages to send (or read); undefined when the run is bounded by time. */
  count?: number
  /** How long to send (or read); undefined when bounded by count. */
  durationMs?: number
  rate: Rate
  /** Value size in bytes. */
  size: number
}

export interface PlanFlags {
  count?: number
  duration?: string
  rate?: string
  size?: number
}

export interface PlanDefaults {
  rate: Rate
  durationMs: number
  size: number
  /** The smallest value the command can send (e2e needs room for its time stamp). */
  minSize: number
  /** Why the minimum is what it is, for the error message. */
  minSizeReason?: string
}

export function parseRate(text: string): Rate {
  const value = text.trim().toLowerCase()
  if (value === 'max') return 'max'
  const rate = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN
  if (!(rate > 0) || !Number.isFinite(rate))
    throw usageError(`--rate ${text}: expected messages per second above 0, or max`)
  return rate
}

/** --count and --duration, one of them at most; neither gives the default duration. */
export function parseBound(flags: Pick<PlanFlags, 'count' | 'duration'>): {count?: number; durationMs?: number} {
  if (flags.count !== undefined && flags.duration !== undefined)
    throw usageError('--count and --duration cannot be used together', 'Give one: a number of messages or a time.')
  if (flags.count !== undefined && (!Number.isInteger(flags.count) || flags.count < 1))
    throw usageError(`--count ${flags.count}: expected a whole number of messages, at least 1`)
  if (flags.duration === undefined) return flags.count === undefined ? {} : {count: flags.count}
  return {durationMs: requireDuration(flags.duration, '--duration')}
}

export function resolvePlan(flags: PlanFlags, defaults: PlanDefaults): PerfPlan {
  const bound = parseBound(flags)
  const rate = flags.rate === undefined ? defaults.rate : parseRate(flags.rate)
  const size = flags.size ?? defaults.size
  if (!Number.isInteger(size) || size < defaults.minSize) {
    const why = defaults.minSizeReason ? ` (${defaults.minSizeReason})` : ''
    throw usageError(`--size ${size}: must be at least ${defaults.minSize} bytes${why}`)
  }
  if (bound.count === undefined && bound.durationMs === undefined) bound.durationMs = defaults.durationMs
  return {...bound, rate, size}
}

/**
 * How many messages a run sends. At a fixed rate a duration means rate × duration messages on the schedule, so that a
 * producer that falls behind still sends them (late, and its latencies say so) rather than quietly sending fewer.
 * At --rate max with a duration: as many as fit in it (Infinity here).
 */
export function messagesToSend(plan: PerfPlan): number {
  if (plan.count !== undefined) return plan.count
  if (plan.rate === 'max') return Number.POSITIVE_INFINITY
  return Math.max(1, Math.floor((plan.rate * (plan.durationMs ?? 0)) / 1000))
}
