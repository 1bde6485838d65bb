// Durations as users type them, one rule for every flag, variable and rc key: a bare number is seconds (as in
// `sleep 10`), or a number with a unit: ms, s, m, h, d.
import {usageError} from '../errors.js'
import {warn} from '../terminal/output.js'

const unitMs: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/** The rule, in the words every duration error uses as its hint. */
export const durationHint = 'A duration is a number of seconds, or a number with a unit: 500ms, 10s, 5m, 1h, 2d.'

/** Node's timers fire at once beyond this (about 24.8 days): no wait may be longer. */
export const longestWaitMs = 2 ** 31 - 1

/** Returns milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?\s*$/i.exec(text)
  if (!match) return undefined
  const value = Number(match[1]) * unitMs[(match[2] ?? 's').toLowerCase()]
  return Number.isFinite(value) ? Math.round(value) : undefined
}

/** A number of seconds as given in an rc file (`timeout: 5`), in milliseconds. */
export function secondsToMs(seconds: number): number | undefined {
  const ms = Math.round(seconds * 1000)
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

/**
 * A duration from a flag or setting (`where` names it: `--timeout`, `KCLI_TIMEOUT`), or a usage error that quotes it
 * and states the rule. A wait must be more than zero and fit a timer; a look back (`--by-duration`) need not.
 */
export function requireDuration(text: string, where: string, options: {wait?: boolean} = {}): number {
  const wait = options.wait ?? true
  const ms = parseDuration(text)
  if (ms === undefined) throw usageError(`${where}: "${text}" is not a duration`, durationHint)
  checkDuration(ms, text, where, wait)
  return ms
}

/** Checks milliseconds already parsed (an rc file's number) against the same bounds as `requireDuration`. */
export function checkDuration(ms: number, given: string, where: string, wait = true): number {
  if (wait && ms <= 0) throw usageError(`${where}: "${given}" is no time at all`, durationHint)
  if (wait && ms > longestWaitMs)
    throw usageError(`${where}: "${given}" is longer than kcli can wait (24 days)`, durationHint)
  // Tools that count in milliseconds (and kcli's own older versions) make `5000` a likely slip for 5 s, not 83 minutes.
  if (wait && ms >= 1_000_000 && /^\s*\d+(\.\d+)?\s*$/.test(given))
    warn(
      `${where}: ${given.trim()} is ${given.trim()} seconds (${longForm(ms)}); for milliseconds write ${given.trim()}ms`,
    )
  return ms
}

function longForm(ms: number): string {
  const minutes = ms / 60_000
  return minutes < 120 ? `${Math.round(minutes)} minutes` : `${Math.round(minutes / 60)} hours`
}

export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0 || ms < 1000) return `${ms}ms`
  return `${ms / 1000}s`
}
