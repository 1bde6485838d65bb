// The send loop against a stand-in producer: messages go on their schedule, a stall or a full queue delays them but
// never moves their intended send times (no coordinated omission), and every message is sent and settled.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {Producer} from '@confluentinc/kafka-javascript'

import type {PerfPlan} from '../../../src/lib/perf/plan.js'
import {type PerfProducer, SendStats, sendAndSettle} from '../../../src/lib/perf/sender.js'

interface Sent {
  seq: number
  intended: number
  at: number
}

/** A producer that acknowledges at once; `onProduce` may stall it or throw (e.g. a full queue). */
function standIn(onProduce: (attempt: number) => void = () => {}) {
  const stats = new SendStats()
  const sent: Sent[] = []
  let pending: Sent | undefined
  let attempts = 0
  const producer = {
    produce(_topic: string, _partition: null, _value: Buffer, _key: null, _ts: null, opaque?: number) {
      onProduce(attempts++)
      sent.push({...pending!, at: performance.now()})
      assert.equal(opaque, pending!.seq, 'the sequence number travels as the opaque')
      stats.settled++
      stats.delivered++
    },
    poll() {},
  }
  const perf: PerfProducer = {producer: producer as unknown as Producer, partitions: [0], stats}
  const send = (plan: PerfPlan, control = {stopped: false, interrupted: false}) =>
    sendAndSettle(
      perf,
      {topic: 't', plan, producerProperties: {'message.timeout.ms': 1000}},
      {value: Buffer.alloc(1), opaque: true, prepare: (seq, intended) => (pending = {seq, intended, at: 0})},
      control,
    )
  return {stats, sent, send}
}

const busyWait = (ms: number) => {
  const until = performance.now() + ms
  while (performance.now() < until);
}

describe('perf send loop', () => {
  it('sends --count messages on the schedule, none before its time', async () => {
    const {stats, sent, send} = standIn()
    await send({rate: 1000, count: 40, size: 1})
    assert.equal(stats.sent, 40)
    assert.equal(stats.inFlight, 0)
    const start = sent[0].intended
    sent.forEach((m, i) => {
      assert.equal(m.seq, i)
      assert.ok(Math.abs(m.intended - (start + i)) < 1e-6, `message ${i} meant for ${m.intended - start} ms`)
      assert.ok(m.at >= m.intended, `message ${i} sent before its time`)
    })
  })

  it('keeps the intended times through a stall, and catches up', async () => {
    // The 5th call stalls for 30 ms: the messages due meanwhile go late, but keep their own intended times.
    const {sent, send} = standIn((attempt) => attempt === 5 && busyWait(30))
    await send({rate: 1000, count: 60, size: 1})
    const start = sent[0].intended
    assert.ok(Math.abs(sent[20].intended - (start + 20)) < 1e-6)
    const late = sent[20].at - sent[20].intended
    assert.ok(late >= 10, `message 20 went ${late} ms after its time, and that delay is what gets measured`)
    assert.equal(sent.length, 60)
  })

  it('retries a full queue without losing or shifting a message', async () => {
    const full = Object.assign(new Error('Local: Queue full'), {code: -184})
    const {stats, sent, send} = standIn((attempt) => {
      if (attempt >= 3 && attempt < 6) throw full
    })
    await send({rate: 2000, count: 10, size: 1})
    assert.deepEqual(
      sent.map((m) => m.seq),
      [...Array(10).keys()],
    )
    assert.equal(stats.sent, 10)
    assert.equal(stats.failed, 0)
  })

  it('counts a message the client refuses outright as failed, and goes on', async () => {
    const tooLarge = Object.assign(new Error('Broker: Message size too large'), {code: 10})
    const {stats, send} = standIn((attempt) => {
      if (attempt === 2) throw tooLarge
    })
    await send({rate: 'max', count: 5, size: 1})
    assert.equal(stats.sent, 5)
    assert.equal(stats.delivered, 4)
    assert.deepEqual(stats.failureList(), [
      {reason: 'too large for the broker (message.max.bytes / max.request.size)', count: 1},
    ])
  })

  it('at --rate max sends until the duration is over, and stops when asked', async () => {
    const timed = standIn()
    const started = performance.now()
    await timed.send({rate: 'max', durationMs: 200, size: 1})
    const took = performance.now() - started
    // Bounds wide enough for a loaded machine (where the process may not run for tens of ms): it sends for the
    // duration, not for ever, and more than a few times.
    assert.ok(took >= 200 && took < 5000, `took ${took} ms`)
    assert.ok(timed.stats.sent > 10, `${timed.stats.sent} sent`)

    const stopped = standIn()
    await stopped.send({rate: 10, count: 1000, size: 1}, {stopped: true, interrupted: true})
    assert.equal(stopped.stats.sent, 0)
  })
})
