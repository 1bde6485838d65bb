// Latency percentiles without keeping the latencies: an HDR-style histogram with log-linear buckets in microseconds.
// Memory is fixed (27,648 counters, 216 KiB) however many values are recorded; a percentile is at most 0.1 % above
// the true value, never below it; values below 2 ms are exact to the microsecond.

/** Sub-buckets per power of two: 2^10 = 1024, so a bucket is at most 1/1024 of the values it holds wide. */
const subBucketBits = 10
const subBuckets = 1 << subBucketBits

/** The largest value kept apart from its neighbours: 2^36 µs, about 19 hours; larger values land in the last bucket. */
export const highestTrackableMicros = 2 ** 36 - 1

/** Index of the highest set bit of a non-negative integer below 2^53. */
function highestBit(value: number): number {
  if (value < 2 ** 32) return 31 - Math.clz32(value)
  return 32 + 31 - Math.clz32(Math.floor(value / 2 ** 32))
}

/**
 * The bucket of a value: values below 2048 have one each (exact); above, each power of two [2^k, 2^(k+1)) is split
 * into 1024 equal sub-buckets, so bucket width grows with the value and relative precision stays the same.
 */
export function bucketIndex(micros: number): number {
  if (micros < 2 * subBuckets) return micros
  const shift = highestBit(micros) - subBucketBits
  return subBuckets * shift + Math.floor(micros / 2 ** shift)
}

/** The values a bucket holds: [lowest, highest], both inclusive. */
export function bucketRange(index: number): [number, number] {
  if (index < 2 * subBuckets) return [index, index]
  const shift = Math.floor(index / subBuckets) - 1
  const top = index - subBuckets * shift
  return [top * 2 ** shift, (top + 1) * 2 ** shift - 1]
}

const bucketCount = bucketIndex(highestTrackableMicros) + 1

export class LatencyHistogram {
  // Float64: counts stay exact up to 2^53, far beyond any run.
  private readonly counts = new Float64Array(bucketCount)
  private total = 0
  private sum = 0
  private lowest = Number.POSITIVE_INFINITY
  private highest = 0

  /** Records a latency in microseconds (fractions are rounded; a negative value, from clock skew, counts as 0). */
  record(micros: number): void {
    const value = Math.min(Math.max(Math.round(micros), 0), highestTrackableMicros)
    this.counts[bucketIndex(value)]++
    this.total++
    this.sum += value
    if (value < this.lowest) this.lowest = value
    if (value > this.highest) this.highest = value
  }

  get count(): number {
    return this.total
  }

  /** Exact smallest and largest values recorded (µs); 0 when empty. */
  get min(): number {
    return this.total === 0 ? 0 : this.lowest
  }

  get max(): number {
    return this.highest
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total
  }

  /** Number of buckets: the memory a histogram takes does not depend on how much was recorded. */
  static get size(): number {
    return bucketCount
  }

  /**
   * The value (µs) at or below which `percentile` % of the recorded values lie: the top of the bucket that holds the
   * value of that rank, but never above the largest value recorded. 0 when empty.
   */
  percentile(percentile: number): number {
    if (this.total === 0) return 0
    if (percentile <= 0) return this.min
    // p × n / 100 rather than p / 100 × n: 99.9 / 100 × 1000 is 999.0000000000001 in floating point.
    const rank = Math.min(this.total, Math.max(1, Math.ceil((percentile * this.total) / 100)))
    let seen = 0
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]
      if (seen >= rank) return Math.min(bucketRange(i)[1], this.highest)
    }
    return this.highest
  }

  /** Adds another histogram's values to this one. */
  add(other: LatencyHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i]
    this.total += other.total
    this.sum += other.sum
    this.lowest = Math.min(this.lowest, other.lowest)
    this.highest = Math.max(this.highest, other.highest)
  }
}
