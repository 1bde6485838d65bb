// The latency histogram: exact where it should be, within its stated precision elsewhere, fixed in size.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {LatencyHistogram, bucketIndex, bucketRange, highestTrackableMicros} from '../../../src/lib/perf/histogram.js'

/** The value of rank ceil(p% × n) in sorted values: the definition the histogram approximates. */
function exactPercentile(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]
}

/** A deterministic generator (xorshift), so a failure can be reproduced. */
function random(seed: number): () => number {
  let x = seed
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

describe('LatencyHistogram', () => {
  it('is empty at first', () => {
    const h = new LatencyHistogram()
    assert.equal(h.count, 0)
    assert.equal(h.percentile(99), 0)
    assert.equal(h.min, 0)
    assert.equal(h.max, 0)
    assert.equal(h.mean, 0)
  })

  it('is exact to the microsecond below 2 ms', () => {
    const h = new LatencyHistogram()
    for (let v = 1; v <= 1000; v++) h.record(v)
    assert.equal(h.percentile(50), 500)
    assert.equal(h.percentile(99), 990)
    assert.equal(h.percentile(99.9), 999)
    assert.equal(h.percentile(100), 1000)
    assert.equal(h.min, 1)
    assert.equal(h.max, 1000)
    assert.equal(h.mean, 500.5)
  })

  it('puts every value in a bucket that holds it, at most 1/1024 of the value wide', () => {
    const next = random(42)
    for (let i = 0; i < 100_000; i++) {
      const v = Math.floor(next() * 2 ** (1 + next() * 35))
      const [low, high] = bucketRange(bucketIndex(v))
      assert.ok(low <= v && v <= high, `${v} not in [${low}, ${high}]`)
      assert.ok(high - low + 1 <= Math.max(1, v / 1024), `bucket of ${v} is ${high - low + 1} wide`)
    }
  })

  it('numbers its buckets without gaps or overlaps', () => {
    let expectedLow = 0
    for (let i = 0; i <= bucketIndex(highestTrackableMicros); i++) {
      const [low, high] = bucketRange(i)
      assert.equal(low, expectedLow, `bucket ${i}`)
      assert.equal(bucketIndex(low), i)
      assert.equal(bucketIndex(high), i)
      expectedLow = high + 1
    }
    assert.equal(expectedLow, highestTrackableMicros + 1)
  })

  it('gives percentiles at most 0.1 % above the exact ones, never below', () => {
    const next = random(7)
    const h = new LatencyHistogram()
    const values: number[] = []
    for (let i = 0; i < 200_000; i++) {
      // Log-normal-ish latencies from 0.1 ms to a few seconds, with a long tail.
      const v = Math.round(Math.exp(5 + 4 * next() + 3 * next() ** 8) * 10)
      values.push(v)
      h.record(v)
    }
    values.sort((a, b) => a - b)
    for (const p of [1, 25, 50, 90, 95, 99, 99.9, 99.99, 100]) {
      const exact = exactPercentile(values, p)
      const approx = h.percentile(p)
      assert.ok(approx >= exact, `p${p}: ${approx} < exact ${exact}`)
      assert.ok(approx - exact <= exact / 1024, `p${p}: ${approx} vs exact ${exact}`)
    }
    assert.equal(h.max, values.at(-1))
    assert.equal(h.min, values[0])
  })

  it('never reports a percentile above the largest value recorded', () => {
    const h = new LatencyHistogram()
    // Both land in the bucket [999,936, 1,000,447]: its top would overstate the largest latency.
    h.record(1_000_001)
    h.record(1_000_002)
    assert.equal(h.percentile(99), 1_000_002)
    assert.equal(h.percentile(50), 1_000_002)
  })

  it('keeps its size whatever it records, clamping the out-of-range', () => {
    const size = LatencyHistogram.size
    assert.ok(size < 30_000, `${size} buckets`)
    const h = new LatencyHistogram()
    h.record(-5)
    h.record(2 ** 50)
    h.record(12.6)
    assert.equal(h.count, 3)
    assert.equal(h.min, 0)
    assert.equal(h.max, highestTrackableMicros)
    assert.equal(h.percentile(50), 13)
    assert.equal(LatencyHistogram.size, size)
  })

  it('adds another histogram', () => {
    const a = new LatencyHistogram()
    const b = new LatencyHistogram()
    for (let v = 1; v <= 500; v++) a.record(v)
    for (let v = 501; v <= 1000; v++) b.record(v)
    a.add(b)
    assert.equal(a.count, 1000)
    assert.equal(a.percentile(50), 500)
    assert.equal(a.max, 1000)
    assert.equal(a.min, 1)
  })
})
