// When each message of a fixed-rate run is meant to be sent. Latency is measured from these intended times, not from
// when the sending loop got round to a message: a stall then shows in the latencies of every message it delayed
// (no coordinated omission), as it would for an application that has to send at that rate.

export class RateSchedule {
  private readonly intervalMs: number

  /** `total` messages at `perSecond`, the first one due at `startMs` (any monotonic clock in ms). */
  constructor(
    readonly perSecond: number,
    readonly startMs: number,
    readonly total: number,
  ) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`rate must be above 0, not ${perSecond}`)
    this.intervalMs = 1000 / perSecond
  }

  /** The intended send time of message `seq` (0-based). */
  intendedAt(seq: number): number {
    return this.startMs + seq * this.intervalMs
  }

  /** How many messages are due by `nowMs`: those whose intended time is at or before it, at most `total`. */
  dueBy(nowMs: number): number {
    if (nowMs < this.startMs) return 0
    let due = Math.min(this.total, Math.floor((nowMs - this.startMs) / this.intervalMs) + 1)
    // The division and the multiplication in intendedAt round differently: settle on intendedAt's view.
    while (due > 0 && this.intendedAt(due - 1) > nowMs) due--
    while (due < this.total && this.intendedAt(due) <= nowMs) due++
    return due
  }

  /** Milliseconds from `nowMs` until message `seq` is due; 0 when it is due already, Infinity past the end. */
  waitFor(seq: number, nowMs: number): number {
    if (seq >= this.total) return Number.POSITIVE_INFINITY
    return Math.max(0, this.intendedAt(seq) - nowMs)
  }
}
