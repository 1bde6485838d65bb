// The fixed-rate schedule: which messages are due when, without drift, at any rate.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {RateSchedule} from '../../../src/lib/perf/schedule.js'

describe('RateSchedule', () => {
  it('spaces messages evenly from the start', () => {
    const s = new RateSchedule(1000, 100, 10)
    assert.equal(s.intendedAt(0), 100)
    assert.equal(s.intendedAt(1), 101)
    assert.equal(s.intendedAt(9), 109)
  })

  it('counts the messages due by a time, the first at the start', () => {
    const s = new RateSchedule(1000, 100, 10)
    assert.equal(s.dueBy(99.99), 0)
    assert.equal(s.dueBy(100), 1)
    assert.equal(s.dueBy(100.999), 1)
    assert.equal(s.dueBy(101), 2)
    assert.equal(s.dueBy(105.5), 6)
    assert.equal(s.dueBy(10_000), 10, 'never more than the total')
  })

  it('lets a late loop catch up: everything overdue is due at once', () => {
    const s = new RateSchedule(100, 0, 1000)
    // A 250 ms stall: 26 messages (0 ms, 10 ms ... 250 ms) are due, each keeping its own intended time.
    assert.equal(s.dueBy(250), 26)
    assert.equal(s.intendedAt(25), 250)
  })

  it('agrees with intendedAt at every boundary, for rates that do not divide a millisecond', () => {
    for (const rate of [3, 7, 333, 1000, 12_345, 1_000_000]) {
      const s = new RateSchedule(rate, 12.5, 50_000)
      for (let seq = 0; seq < 2000; seq += 7) {
        const t = s.intendedAt(seq)
        assert.equal(s.dueBy(t), seq + 1, `rate ${rate}, message ${seq} at its time`)
        assert.equal(s.dueBy(t - 1e-9), seq, `rate ${rate}, just before message ${seq}`)
      }
    }
  })

  it('does not drift over a long run', () => {
    const s = new RateSchedule(1000, 0, 100_000_000)
    assert.equal(s.intendedAt(86_400_000), 86_400_000, 'one day in: still on the millisecond')
    assert.equal(s.dueBy(3_600_000), 3_600_001)
  })

  it('says how long to wait for a message', () => {
    const s = new RateSchedule(10, 0, 3)
    assert.equal(s.waitFor(1, 40), 60)
    assert.equal(s.waitFor(1, 150), 0)
    assert.equal(s.waitFor(3, 0), Infinity)
  })

  it('refuses a rate that is not above 0', () => {
    assert.throws(() => new RateSchedule(0, 0, 1), RangeError)
    assert.throws(() => new RateSchedule(-1, 0, 1), RangeError)
    assert.throws(() => new RateSchedule(Number.NaN, 0, 1), RangeError)
  })
})
