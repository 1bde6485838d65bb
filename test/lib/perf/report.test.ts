// The perf report: percentiles in ms from the histogram, the exit code, and the table a person reads.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {Chalk} from 'chalk'

import {LatencyHistogram} from '../../../src/lib/perf/histogram.js'
import {
  type PerfReport,
  latencySummary,
  liveLine,
  perfExitCode,
  renderReport,
  throughput,
} from '../../../src/lib/perf/report.js'

const plain = new Chalk({level: 0})

function report(overrides: Partial<PerfReport> = {}): PerfReport {
  const h = new LatencyHistogram()
  for (let v = 1; v <= 1000; v++) h.record(v * 10)
  return {
    command: 'produce',
    topic: 'bench',
    partitions: 3,
    settings: {count: 1000, durationMs: null, rate: 'max', size: 100, acks: 'all'},
    interrupted: false,
    elapsedMs: 2000,
    sent: 1000,
    delivered: 1000,
    failed: 0,
    notConfirmed: 0,
    consumed: null,
    bytes: 100_000,
    ...throughput(1000, 100_000, 2000),
    latencyMs: latencySummary(h),
    failures: [],
    unconfirmed: [],
    ...overrides,
  }
}

describe('perf report', () => {
  it('summarises latencies in milliseconds', () => {
    const h = new LatencyHistogram()
    for (let v = 1; v <= 1000; v++) h.record(v)
    assert.deepEqual(latencySummary(h), {
      count: 1000,
      min: 0.001,
      mean: 0.501,
      p50: 0.5,
      p95: 0.95,
      p99: 0.99,
      p999: 0.999,
      max: 1,
    })
    assert.equal(latencySummary(new LatencyHistogram()), null)
  })

  it('counts throughput in messages and MB (2^20 bytes) per second', () => {
    assert.deepEqual(throughput(1000, 2 * 1_048_576, 2000), {msgPerSec: 500, mbPerSec: 1})
    assert.deepEqual(throughput(5, 5, 0), {msgPerSec: 0, mbPerSec: 0})
  })

  it('exits 1 on failed, not confirmed or (e2e) unread messages, 130 when interrupted', () => {
    assert.equal(perfExitCode(report()), 0)
    assert.equal(perfExitCode(report({failed: 2})), 1)
    assert.equal(perfExitCode(report({notConfirmed: 1})), 1)
    assert.equal(perfExitCode(report({command: 'e2e', consumed: 999})), 1)
    assert.equal(perfExitCode(report({command: 'e2e', consumed: 1000})), 0)
    assert.equal(perfExitCode(report({failed: 2, interrupted: true})), 130)
  })

  it('renders a table with the counts, throughput and percentiles', () => {
    const text = renderReport(report(), plain)
    assert.equal(
      text,
      [
        'perf produce to bench (3 partitions): 100-byte values, rate max, acks all',
        'sent        1,000',
        'delivered   1,000',
        'failed      0',
        'elapsed     2.00 s',
        'throughput  500 msg/s, 0.05 MB/s',
        '',
        'LATENCY (ms)            MIN   MEAN  P50   P95   P99   P99.9  MAX',
        'send → delivery report  0.01  5.01  5.00  9.50  9.90  9.99   10.00',
      ].join('\n'),
    )
  })

  it('names failures and leaves out what a command does not measure', () => {
    const failed = renderReport(
      report({failed: 2, delivered: 998, failures: [{reason: 'too large for the broker', count: 2}]}),
      plain,
    )
    assert.match(failed, /^ {2}2 failed: too large for the broker$/m)
    assert.doesNotMatch(failed, /not confirmed/)
    const unsure = renderReport(
      report({delivered: 997, notConfirmed: 3, unconfirmed: [{reason: 'timed out', count: 3}]}),
      plain,
    )
    assert.match(unsure, /^failed {9}0$/m)
    assert.match(unsure, /^not confirmed {2}3$/m)
    assert.match(unsure, /^ {2}3 not confirmed: timed out$/m)
    const consume = renderReport(
      report({
        command: 'consume',
        sent: null,
        delivered: null,
        failed: null,
        notConfirmed: null,
        consumed: 10,
        latencyMs: null,
      }),
      plain,
    )
    assert.match(consume, /^perf consume from bench \(3 partitions\)/)
    assert.doesNotMatch(consume, /sent|delivered|failed|confirmed|LATENCY/)
    assert.match(consume, /^consumed {4}10$/m)
  })

  it('writes a live line', () => {
    const h = new LatencyHistogram()
    h.record(4210)
    assert.equal(
      liveLine('producing', {sent: 12_000, delivered: 11_800}, 11_800, 1000, h, 3000),
      'producing: 12,000 sent, 11,800 delivered, 5,900 msg/s, p99 4.21 ms',
    )
  })
})
