// What each fault case measured, kept as JSON lines while the suite runs and printed as one table at its end
// (the table in test/faults/README.md is a copy of a run's).
import fs from 'node:fs'

export interface Figures {
  case: string
  /** Lines given to produce, or messages in the topic for consume cases. */
  messages: number
  /** What kcli's summary said was delivered (produce cases). */
  reported?: number
  /** Distinct ids missing from the topic (produce) or from everything consumed (consume: gaps). */
  lost: number
  /** Ids stored (produce) or printed (consume) more than once. */
  duplicated: number
  exit: number | null
  /** From the fault (or the interrupt) to kcli's exit. */
  exitMs?: number
}

export function recordFigures(figures: Figures): void {
  const file = process.env.KCLI_FAULT_FIGURES
  if (file) fs.appendFileSync(file, `${JSON.stringify(figures)}\n`)
}

export function figuresTable(jsonLines: string): string {
  const rows = jsonLines
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Figures)
    // Cases that run side by side record in the order they end: by name, the table of one run lines up with another's.
    .sort((a, b) => (a.case < b.case ? -1 : a.case > b.case ? 1 : 0))
  const header = '| case | messages | kcli said delivered | lost / gaps | duplicated / repeats | exit | time to exit |'
  const body = rows.map(
    (r) =>
      `| ${r.case} | ${r.messages} | ${r.reported ?? '-'} | ${r.lost} | ${r.duplicated} | ${r.exit ?? '-'} | ${r.exitMs === undefined ? '-' : `${(r.exitMs / 1000).toFixed(1)} s`} |`,
  )
  return [header, '|---|---:|---:|---:|---:|---:|---:|', ...body].join('\n')
}
