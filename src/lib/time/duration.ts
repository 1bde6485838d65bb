// Parses the durations users type in flags and settings: "10s", "500ms", "2m", "1h", "1d"; a bare number is
// milliseconds.

const unitMs: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/** Returns milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  if (!match) return undefined
  const value = Number(match[1]) * unitMs[match[2] ?? 'ms']
  return Number.isFinite(value) ? Math.round(value) : undefined
}

export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0 || ms < 1000) return `${ms}ms`
  return `${ms / 1000}s`
}
