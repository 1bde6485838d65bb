// The report of a perf run: the --json shape, the final table a person reads, the live line, and the exit code.
import type {ChalkInstance} from 'chalk'

import {ExitCode} from '../errors.js'
import {outColours, renderTable} from '../terminal/output.js'
import {grouped} from '../terminal/numbers.js'
import type {LatencyHistogram} from './histogram.js'
import type {PerfPlan, Rate} from './plan.js'

export type PerfCommand = 'produce' | 'consume' | 'e2e'

/** Latency percentiles in milliseconds (µs resolution). */
export interface LatencySummary {
  count: number
  min: number
  mean: number
  p50: number
  p95: number
  p99: number
  p999: number
  max: number
}

export interface PerfSettings {
  count: number | null
  durationMs: number | null
  rate: Rate | null
  size: number | null
  acks: string | null
}

/** Documented in the README (`kcli perf`) and in each command's --help; change them together. */
export interface PerfReport {
  command: PerfCommand
  topic: string
  partitions: number
  settings: PerfSettings
  /** Stopped by Ctrl-C or SIGTERM: the figures cover the run up to then. */
  interrupted: boolean
  elapsedMs: number
  /** Handed to the producer (produce, e2e; null for consume). */
  sent: number | null
  /** Acknowledged by the broker (produce, e2e). With acks=0: sent on the wire, nothing acknowledged. */
  delivered: number | null
  /** Certainly not stored, with the reasons in `failures` (produce, e2e). */
  failed: number | null
  /**
   * Not delivered but possibly stored (sent, and the answer lost or late; or no report before the run ended), with the
   * reasons in `unconfirmed` (produce, e2e).
   */
  notConfirmed: number | null
  /** Read by the consumer (consume, e2e). */
  consumed: number | null
  /** Key and value bytes of the messages counted for throughput: delivered (produce), consumed (consume, e2e). */
  bytes: number
  msgPerSec: number
  /** MB of 1,048,576 bytes, as Kafka's perf tools count them. */
  mbPerSec: number
  /** produce: from each message's send time to its delivery report; e2e: to the consumer having it; consume: null. */
  latencyMs: LatencySummary | null
  failures: Array<{reason: string; count: number}>
  unconfirmed: Array<{reason: string; count: number}>
}

const round3 = (n: number) => Math.round(n * 1000) / 1000

/** The producing side of a run, as SendStats counts it. */
export interface SendFigures {
  sent: number
  delivered: number
  failed: number
  notConfirmed: number
  failureList(): Array<{reason: string; count: number}>
  unconfirmedList(): Array<{reason: string; count: number}>
}

export interface RunFigures extends Pick<
  PerfReport,
  'command' | 'topic' | 'partitions' | 'settings' | 'interrupted' | 'elapsedMs'
> {
  send?: SendFigures
  consumed?: number
  /** The messages and bytes throughput counts: delivered (produce), consumed (consume, e2e). */
  messages: number
  bytes: number
  latency?: LatencyHistogram
}

export function buildReport(run: RunFigures): PerfReport {
  return {
    command: run.command,
    topic: run.topic,
    partitions: run.partitions,
    settings: run.settings,
    interrupted: run.interrupted,
    elapsedMs: round3(run.elapsedMs),
    sent: run.send?.sent ?? null,
    delivered: run.send?.delivered ?? null,
    failed: run.send?.failed ?? null,
    notConfirmed: run.send?.notConfirmed ?? null,
    consumed: run.consumed ?? null,
    bytes: run.bytes,
    ...throughput(run.messages, run.bytes, run.elapsedMs),
    latencyMs: run.latency ? latencySummary(run.latency) : null,
    failures: run.send?.failureList() ?? [],
    unconfirmed: run.send?.unconfirmedList() ?? [],
  }
}

export function latencySummary(histogram: LatencyHistogram): LatencySummary | null {
  if (histogram.count === 0) return null
  const ms = (micros: number) => Math.round(micros) / 1000
  return {
    count: histogram.count,
    min: ms(histogram.min),
    mean: ms(histogram.mean),
    p50: ms(histogram.percentile(50)),
    p95: ms(histogram.percentile(95)),
    p99: ms(histogram.percentile(99)),
    p999: ms(histogram.percentile(99.9)),
    max: ms(histogram.max),
  }
}

export function throughput(messages: number, bytes: number, elapsedMs: number): {msgPerSec: number; mbPerSec: number} {
  if (elapsedMs <= 0) return {msgPerSec: 0, mbPerSec: 0}
  return {
    msgPerSec: round3((messages * 1000) / elapsedMs),
    mbPerSec: round3((bytes * 1000) / elapsedMs / 1_048_576),
  }
}

export function settingsOf(plan: Partial<PerfPlan>, acks: string | null): PerfSettings {
  return {
    count: plan.count ?? null,
    durationMs: plan.durationMs ?? null,
    rate: plan.rate ?? null,
    size: plan.size ?? null,
    acks,
  }
}

/** 1 when a message was not delivered or (e2e) not read back; 130 when interrupted, whatever else happened. */
export function perfExitCode(report: PerfReport): number {
  if (report.interrupted) return ExitCode.interrupted
  if ((report.failed ?? 0) > 0 || (report.notConfirmed ?? 0) > 0) return ExitCode.failure
  if (report.command === 'e2e' && (report.consumed ?? 0) < (report.delivered ?? 0)) return ExitCode.failure
  return ExitCode.ok
}

// Up to three decimals for a count that is not whole (a --rate of 0.5), as toLocaleString wrote it.
const count = (n: number) => (Number.isInteger(n) ? grouped(n) : grouped(n, 3).replace(/\.?0+$/, ''))
const decimal = (n: number, digits = 2) => grouped(n, digits)

const latencyLabels: Record<PerfCommand, string> = {
  produce: 'send → delivery report',
  e2e: 'send → consumed',
  consume: '',
}

function describeSettings(s: PerfSettings): string {
  const parts: string[] = []
  if (s.size !== null) parts.push(`${count(s.size)}-byte values`)
  if (s.rate !== null) parts.push(s.rate === 'max' ? 'rate max' : `rate ${count(s.rate)} msg/s`)
  if (s.acks !== null) parts.push(`acks ${s.acks}`)
  return parts.length > 0 ? `: ${parts.join(', ')}` : ''
}

/** The final table on stdout. */
export function renderReport(report: PerfReport, colours: ChalkInstance = outColours()): string {
  const direction = report.command === 'consume' ? 'from' : 'to'
  const title = `perf ${report.command} ${direction} ${report.topic} (${report.partitions} partition${report.partitions === 1 ? '' : 's'})${describeSettings(report.settings)}${report.interrupted ? colours.yellow(' — interrupted') : ''}`
  const rows: string[][] = []
  if (report.sent !== null) rows.push(['sent', count(report.sent)])
  if (report.delivered !== null)
    rows.push([
      report.settings.acks === '0' ? 'delivered (acks=0, unacknowledged)' : 'delivered',
      count(report.delivered),
    ])
  if (report.failed !== null)
    rows.push(['failed', report.failed > 0 ? colours.red(count(report.failed)) : count(report.failed)])
  if (report.notConfirmed) rows.push(['not confirmed', colours.red(count(report.notConfirmed))])
  if (report.consumed !== null) {
    const short = report.command === 'e2e' && report.delivered !== null && report.consumed < report.delivered
    rows.push(['consumed', short ? colours.red(count(report.consumed)) : count(report.consumed)])
  }
  rows.push(['elapsed', `${decimal(report.elapsedMs / 1000)} s`])
  rows.push(['throughput', `${count(Math.round(report.msgPerSec))} msg/s, ${decimal(report.mbPerSec)} MB/s`])
  const lines = [colours.bold(title), renderTable(rows, {header: false})]
  for (const failure of report.failures) lines.push(colours.red(`  ${count(failure.count)} failed: ${failure.reason}`))
  for (const item of report.unconfirmed) lines.push(colours.red(`  ${count(item.count)} not confirmed: ${item.reason}`))
  const l = report.latencyMs
  if (l) {
    lines.push('')
    lines.push(
      renderTable([
        ['LATENCY (ms)', 'MIN', 'MEAN', 'P50', 'P95', 'P99', 'P99.9', 'MAX'],
        [latencyLabels[report.command], ...[l.min, l.mean, l.p50, l.p95, l.p99, l.p999, l.max].map((v) => decimal(v))],
      ]),
    )
  }
  return lines.join('\n')
}

/**
 * The live line on a terminal (stderr), e.g. `producing: 12,000 sent, 11,800 delivered, 3,990 msg/s, p99 4.21 ms`;
 * the rate is of `rateOf` messages since `startedMs` (performance.now()).
 */
export function liveLine(
  verb: string,
  counts: Record<string, number>,
  rateOf: number,
  startedMs: number,
  latency?: LatencyHistogram,
  nowMs = performance.now(),
): string {
  const elapsedMs = nowMs - startedMs
  const parts = Object.entries(counts).map(([label, n]) => `${count(n)} ${label}`)
  parts.push(`${count(Math.round(elapsedMs > 0 ? (rateOf * 1000) / elapsedMs : 0))} msg/s`)
  if (latency && latency.count > 0) parts.push(`p99 ${decimal(latency.percentile(99) / 1000)} ms`)
  return `${verb}: ${parts.join(', ')}`
}
