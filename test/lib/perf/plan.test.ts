// Flags to a perf plan: defaults, and a one-line usage error (exit 2) for everything that contradicts itself.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {KcliError} from '../../../src/lib/errors.js'
import {type PlanDefaults, messagesToSend, parseBound, parseRate, resolvePlan} from '../../../src/lib/perf/plan.js'

const produceDefaults: PlanDefaults = {rate: 'max', durationMs: 10_000, size: 100, minSize: 1}
const e2eDefaults: PlanDefaults = {rate: 1000, durationMs: 10_000, size: 100, minSize: 24, minSizeReason: 'the stamp'}

function usage(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof KcliError)
    assert.equal(error.exit, 2)
    assert.match(error.message, message)
    assert.doesNotMatch(error.message, /\n/)
    return true
  })
}

describe('perf plan', () => {
  it('defaults to a duration, the command rate and 100-byte values', () => {
    assert.deepEqual(resolvePlan({}, produceDefaults), {durationMs: 10_000, rate: 'max', size: 100})
    assert.deepEqual(resolvePlan({}, e2eDefaults), {durationMs: 10_000, rate: 1000, size: 100})
  })

  it('takes a count or a duration, not both', () => {
    assert.deepEqual(resolvePlan({count: 5}, produceDefaults), {count: 5, rate: 'max', size: 100})
    assert.deepEqual(resolvePlan({duration: '2m', rate: '50', size: 10}, produceDefaults), {
      durationMs: 120_000,
      rate: 50,
      size: 10,
    })
    usage(
      () => resolvePlan({count: 5, duration: '1s'}, produceDefaults),
      /^--count and --duration cannot be used together$/,
    )
    usage(() => parseBound({count: 0}), /^--count 0: /)
    usage(() => parseBound({duration: 'soon'}), /^--duration: "soon" is not a duration$/)
    usage(() => parseBound({duration: '0s'}), /^--duration: "0s" is no time at all$/)
  })

  it('reads a rate as messages per second or max', () => {
    assert.equal(parseRate('1000'), 1000)
    assert.equal(parseRate('2.5'), 2.5)
    assert.equal(parseRate('MAX'), 'max')
    usage(() => parseRate('0'), /^--rate 0: expected messages per second above 0, or max$/)
    usage(() => parseRate('-5'), /^--rate -5: /)
    usage(() => parseRate('fast'), /^--rate fast: /)
  })

  it('refuses a size below what the command needs, saying why', () => {
    usage(() => resolvePlan({size: 0}, produceDefaults), /^--size 0: must be at least 1 bytes$/)
    usage(() => resolvePlan({size: 23}, e2eDefaults), /^--size 23: must be at least 24 bytes \(the stamp\)$/)
    assert.equal(resolvePlan({size: 24}, e2eDefaults).size, 24)
  })

  it('turns a duration at a fixed rate into that many messages on the schedule', () => {
    assert.equal(messagesToSend({rate: 1000, durationMs: 30_000, size: 1}), 30_000)
    assert.equal(messagesToSend({rate: 3, durationMs: 1000, size: 1}), 3)
    assert.equal(messagesToSend({rate: 0.5, durationMs: 1000, size: 1}), 1, 'at least one')
    assert.equal(messagesToSend({rate: 1000, count: 7, size: 1}), 7)
    assert.equal(messagesToSend({rate: 'max', durationMs: 1000, size: 1}), Infinity, 'max: as many as fit')
  })
})
